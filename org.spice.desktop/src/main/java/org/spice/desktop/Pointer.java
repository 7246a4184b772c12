package org.spice.desktop;

/**
 * The pointer a {@link DisplaySource} shows over its picture, as a guest's cursor: where its hot spot is, whether
 * it shows, and its image. The cursor channel sends it to clients (remote-viewer draws it in server mouse mode and
 * uses its image as the local pointer in client mode).
 *
 * @param x the hot spot's column in the source's frame
 * @param y its row
 * @param visible whether the pointer shows
 * @param shape its image; a source keeps the same instance while the image does not change, so a new instance
 *     is a new image for clients
 */
public record Pointer(int x, int y, boolean visible, Shape shape) {
    public Pointer {
        if (shape == null) {
            throw new IllegalArgumentException("a pointer needs a shape");
        }
    }

    /** The same pointer at another place. */
    public Pointer at(int nx, int ny) {
        return new Pointer(nx, ny, visible, shape);
    }

    /**
     * A pointer image.
     *
     * @param argb 0xAARRGGBB pixels, row-major, top row first, as a SPICE alpha cursor carries them
     */
    public record Shape(int width, int height, int hotX, int hotY, int[] argb) {
        public Shape {
            if (width <= 0 || height <= 0 || width > 512 || height > 512 || argb.length != width * height
                    || hotX < 0 || hotY < 0 || hotX >= width || hotY >= height) {
                throw new IllegalArgumentException("pointer shape " + width + "x" + height + " hot " + hotX + ","
                        + hotY + " with " + argb.length + " pixels");
            }
        }
    }
}
