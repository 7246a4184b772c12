package org.spice.display.internal.raster;

import org.spice.display.internal.codec.Pixels;

/** A SPICE brush: none (colour 0), a solid colour, or a pattern image tiled from {@code x,y} on the surface. */
public record Brush(int type, int color, Pixels pattern, int x, int y) {
    public static final int NONE = 0;
    public static final int SOLID = 1;
    public static final int PATTERN = 2;

    public static final Brush EMPTY = new Brush(NONE, 0, null, 0, 0);

    /**
     * The brush as it paints on {@code s}. A solid colour is a pixel value of the surface's format (spice-common
     * writes it unconverted at the surface's depth): on a 16-bit surface a 555 or 565 value, on an 8_A surface the
     * alpha in its low byte.
     */
    public Brush on(Surface s) {
        return type == SOLID && (s.is16Bit() || s.alphaOnly()) ? new Brush(SOLID, s.solid(color), null, 0, 0) : this;
    }

    /** The brush's pixel at surface position {@code px,py}: pattern pixel ((px - x) mod w, (py - y) mod h). */
    int at(int px, int py) {
        if (type != PATTERN) {
            return color;
        }
        int tx = Math.floorMod(px - x, pattern.width());
        int ty = Math.floorMod(py - y, pattern.height());
        return pattern.at(ty * pattern.width() + tx);
    }
}
