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

    /**
     * The array a decoder writes a {@code width x height} image into: {@code into} when it has exactly that many
     * elements (a caller that keeps one array per image size, as a C decoder writes into a surface it reuses,
     * spares the JVM allocating and zeroing megabytes an image), else a new one. Decoders write every element
     * before they read it, so what {@code into} held does not matter.
     */
    static int[] array(int[] into, int width, int height) {
        int count = width * height;
        return into != null && into.length == count ? into : new int[count];
    }
}
