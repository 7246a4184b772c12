package org.spice.display.internal.codec;

/**
 * A decoded image: {@code width * height} pixels as 0xAARRGGBB ints, row-major, top row first. Opaque formats
 * decode with alpha 0xff.
 */
public record Pixels(int width, int height, int[] argb) {
    public Pixels {
        if ((long) width * height != argb.length) {
            throw new IllegalArgumentException(width + "x" + height + " image with " + argb.length + " pixels");
        }
    }
}
