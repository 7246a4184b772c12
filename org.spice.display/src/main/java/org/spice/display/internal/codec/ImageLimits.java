package org.spice.display.internal.codec;

import org.spice.protocol.SpiceProtocolException;

/** Bounds every decoder checks before it allocates pixels for a size read from the network. */
public final class ImageLimits {
    /** Larger than any surface QXL or a 8K monitor uses. */
    public static final int MAX_SIDE = 16384;
    public static final long MAX_PIXELS = 8192L * 8192L;

    private ImageLimits() {
    }

    public static void check(long width, long height, String what) {
        if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
            throw new SpiceProtocolException(what + ": image size " + width + "x" + height + " outside the limits ("
                    + MAX_SIDE + " per side, " + MAX_PIXELS + " pixels)");
        }
    }
}
