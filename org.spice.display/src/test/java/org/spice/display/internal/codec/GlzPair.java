package org.spice.display.internal.codec;

/** Two GLZ_RGB images for tests outside this package: a 12x3 image (id 0), then a 4x3 one (id 1) copying from it. */
public final class GlzPair {
    private GlzPair() {
    }

    public static byte[] first() {
        return FuzzSeedWriter.lzOfType(LzFormat.RGB32, true, 0);
    }

    /** 4x3 pixels, all copied from the first image's first row (12 pixels back into image 0). */
    public static byte[] copyingFromFirst() {
        LzStreams g = LzStreams.glz(LzFormat.RGB32, true, 4, 3, 16, 1, 1);
        g.glzRef(12, 0, 1, false);
        return g.toBytes();
    }
}
