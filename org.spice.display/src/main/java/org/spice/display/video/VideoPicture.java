package org.spice.display.video;

/**
 * One decoded video frame: {@code width} x {@code height} pixels as 0xAARRGGBB ints (alpha ignored), rows top
 * down.
 */
public record VideoPicture(int width, int height, int[] argb) {
    public VideoPicture {
        if (width <= 0 || height <= 0 || (long) width * height != argb.length) {
            throw new IllegalArgumentException(width + "x" + height + " picture with " + argb.length + " pixels");
        }
    }
}
