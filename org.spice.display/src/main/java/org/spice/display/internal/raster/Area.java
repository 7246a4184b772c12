package org.spice.display.internal.raster;

import java.util.List;
import org.spice.desktop.Rect;

/**
 * The pixels a draw command may change: its box within the surface, narrowed by the clip rectangles and by a
 * 1-bit mask when it has them. Pixels are listed by {@link #contains}; {@link #bounds} encloses them.
 */
public final class Area {
    private final Rect bounds;
    /** Row-major over {@link #bounds}; null when every pixel of the bounds is in. */
    private final boolean[] in;

    private Area(Rect bounds, boolean[] in) {
        this.bounds = bounds;
        this.in = in;
    }

    /** {@code box} within the surface, and within the union of {@code clip}'s rectangles when there is a clip. */
    public static Area of(Surface s, Rect box, List<Rect> clip) {
        Rect r = box.intersect(s.bounds());
        if (r.isEmpty()) {
            return new Area(new Rect(0, 0, 0, 0), null);
        }
        if (clip == null) {
            return new Area(r, null);
        }
        List<Rect> parts = clip.stream().map(c -> c.intersect(r)).filter(p -> !p.isEmpty()).toList();
        if (parts.isEmpty()) {
            return new Area(new Rect(0, 0, 0, 0), null);
        }
        // The clip is a region, the union of its rects: a lying list that repeats a rect costs its area once.
        List<Rect> region = parts.size() == 1 ? parts : Surface.union(parts);
        if (region.size() == 1 && region.get(0).equals(r)) {
            return new Area(r, null);
        }
        boolean[] in = new boolean[r.width() * r.height()];
        for (Rect part : region) {
            for (int y = part.y(); y < part.bottom(); y++) {
                java.util.Arrays.fill(in, (y - r.y()) * r.width() + part.x() - r.x(),
                        (y - r.y()) * r.width() + part.right() - r.x(), true);
            }
        }
        return new Area(r, in);
    }

    /**
     * This area narrowed to the pixels whose mask bit is set (clear when {@code mask.invert()}): the mask's pixel
     * {@code (mask.x() + px - box.x(), mask.y() + py - box.y())} decides for pixel {@code (px, py)}, and pixels off
     * the mask are out either way, as in spice-common's canvas.
     */
    public Area masked(Mask mask, Rect box) {
        if (mask == null || isEmpty()) {
            return this;
        }
        boolean[] out = new boolean[bounds.width() * bounds.height()];
        for (int y = bounds.y(); y < bounds.bottom(); y++) {
            int my = mask.y() + y - box.y();
            for (int x = bounds.x(); x < bounds.right(); x++) {
                int mx = mask.x() + x - box.x();
                int i = (y - bounds.y()) * bounds.width() + x - bounds.x();
                out[i] = (in == null || in[i]) && mask.covers(mx, my);
            }
        }
        return new Area(bounds, out);
    }

    /** This area within {@code r}. */
    Area within(Rect r) {
        Rect b = bounds.intersect(r);
        if (b.isEmpty()) {
            return new Area(new Rect(0, 0, 0, 0), null);
        }
        if (in == null) {
            return new Area(b, null);
        }
        boolean[] out = new boolean[b.width() * b.height()];
        for (int y = b.y(); y < b.bottom(); y++) {
            for (int x = b.x(); x < b.right(); x++) {
                out[(y - b.y()) * b.width() + x - b.x()] = contains(x, y);
            }
        }
        return new Area(b, out);
    }

    Rect bounds() {
        return bounds;
    }

    boolean isEmpty() {
        if (bounds.isEmpty()) {
            return true;
        }
        if (in != null) {
            for (boolean b : in) {
                if (b) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** Whether every pixel of the bounds is in (no clip or mask narrowed it). */
    boolean isFull() {
        return in == null;
    }

    boolean contains(int x, int y) {
        if (x < bounds.x() || y < bounds.y() || x >= bounds.right() || y >= bounds.bottom()) {
            return false;
        }
        return in == null || in[(y - bounds.y()) * bounds.width() + x - bounds.x()];
    }
}
