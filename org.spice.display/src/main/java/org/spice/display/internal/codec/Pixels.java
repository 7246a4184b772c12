package org.spice.display.internal.codec;

/**
 * A decoded image: {@code width * height} pixels as 0xAARRGGBB ints, row-major, top row first. Opaque formats
 * decode with alpha 0xff, except where {@code opaque} says the top byte is not alpha at all: it is then what the peer
 * sent in SPICE's unused fourth byte (an LZ4 image of the 32BIT format arrives as B, G, R and that byte, and decodes
 * as a copy of it, as spice-gtk's x8r8g8b8 images hold it), and whoever reads the pixels reads it as 0xff.
 */
public record Pixels(int width, int height, int[] argb, boolean opaque) {
    public Pixels {
        if ((long) width * height != argb.length) {
            throw new IllegalArgumentException(width + "x" + height + " image with " + argb.length + " pixels");
        }
    }

    /** Pixels whose top byte is their alpha. */
    public Pixels(int width, int height, int[] argb) {
        this(width, height, argb, false);
    }

    /** The pixel at {@code index} with its alpha: 0xff where the image is {@link #opaque}. */
    public int at(int index) {
        return opaque ? argb[index] | 0xff000000 : argb[index];
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
