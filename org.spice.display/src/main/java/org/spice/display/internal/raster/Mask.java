package org.spice.display.internal.raster;

/**
 * A QMask: a 1-bit image (bit set: draw) placed at {@code x,y} of the draw's box, possibly inverted. Only pixels on
 * the mask image can be drawn, inverted or not.
 */
public record Mask(int width, int height, boolean[] bits, int x, int y, boolean invert) {
    boolean covers(int mx, int my) {
        if (mx < 0 || my < 0 || mx >= width || my >= height) {
            return false;
        }
        return bits[my * width + mx] != invert;
    }
}
