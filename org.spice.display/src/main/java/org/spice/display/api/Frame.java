package org.spice.display.api;

/**
 * One immutable picture of a display source: {@code width * height} pixels as 0x00RRGGBB ints (the top byte is
 * ignored), row-major, top row first. Sources never change a frame's array after publishing it.
 *
 * @param serial increases with every change, so a consumer can tell frames apart cheaply
 */
public record Frame(int width, int height, int[] rgb, long serial) {
    public Frame {
        if ((long) width * height != rgb.length) {
            throw new IllegalArgumentException(width + "x" + height + " frame with " + rgb.length + " pixels");
        }
    }
}
