package org.spice.display.internal.codec;

import org.spice.desktop.Frame;
import org.spice.protocol.SpiceProtocolException;

/** Bounds every decoder checks before it allocates pixels for a size read from the network. */
public final class ImageLimits {
    /** Larger than any surface QXL or a 8K monitor uses: the desktop SPI's bounds of a frame. */
    public static final int MAX_SIDE = Frame.MAX_SIDE;
    public static final long MAX_PIXELS = Frame.MAX_PIXELS;

    private ImageLimits() {
    }

    public static void check(long width, long height, String what) {
        if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
            throw new SpiceProtocolException(what + ": image size " + width + "x" + height + " outside the limits ("
                    + MAX_SIDE + " per side, " + MAX_PIXELS + " pixels)");
        }
    }
}
