package org.spice.desktop;

/**
 * One immutable picture of a display source: {@code width * height} pixels as 0x00RRGGBB ints (the top byte is
 * ignored), row-major, top row first. Sources never change a frame's array after publishing it.
 *
 * @param serial increases with every change, so a consumer can tell frames apart cheaply
 */
public record Frame(int width, int height, int[] rgb, long serial) {
    /** The largest side and picture the display channel sends and decodes (more than an 8K monitor). */
    public static final int MAX_SIDE = 16384;
    public static final long MAX_PIXELS = 8192L * 8192L;

    /** Whether a picture of {@code width} x {@code height} is within {@link #MAX_SIDE} and {@link #MAX_PIXELS}. */
    public static boolean fits(long width, long height) {
        return width > 0 && height > 0 && width <= MAX_SIDE && height <= MAX_SIDE && width * height <= MAX_PIXELS;
    }

    public Frame {
        if ((long) width * height != rgb.length) {
            throw new IllegalArgumentException(width + "x" + height + " frame with " + rgb.length + " pixels");
        }
    }
}
