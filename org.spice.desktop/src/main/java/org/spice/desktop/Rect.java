package org.spice.desktop;

/** A rectangle in pixels: x and y of the top-left corner, width and height. */
public record Rect(int x, int y, int width, int height) {
    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public boolean isEmpty() {
        return width <= 0 || height <= 0;
    }

    public Rect union(Rect o) {
        if (isEmpty()) {
            return o;
        }
        if (o.isEmpty()) {
            return this;
        }
        int l = Math.min(x, o.x);
        int t = Math.min(y, o.y);
        return new Rect(l, t, Math.max(right(), o.right()) - l, Math.max(bottom(), o.bottom()) - t);
    }

    public Rect intersect(Rect o) {
        int l = Math.max(x, o.x);
        int t = Math.max(y, o.y);
        int r = Math.min(right(), o.right());
        int b = Math.min(bottom(), o.bottom());
        return new Rect(l, t, Math.max(0, r - l), Math.max(0, b - t));
    }
}
