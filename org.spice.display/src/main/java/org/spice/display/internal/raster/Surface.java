package org.spice.display.internal.raster;

import java.util.List;
import org.spice.desktop.Rect;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.SpiceProtocolException;

/**
 * A client-side drawing surface: 0xAARRGGBB pixels with the raster operations SPICE draw commands use. The
 * alpha-only formats (8_A, 1_A) keep only the alpha of what is written, as pixman's a8 and a1 images do: their
 * pixels are 0xAA000000, read back as that alpha with colour 0; a1 keeps the alpha's top bit (0 or 0xff).
 */
public final class Surface {
    /** How a written pixel is stored: as it is, opaque (no alpha), 16-bit, alpha only, one alpha bit. */
    private static final int STORE_ARGB = 0;
    private static final int STORE_OPAQUE = 1;
    private static final int STORE_16 = 2;
    private static final int STORE_A8 = 3;
    private static final int STORE_A1 = 4;

    public final int width;
    public final int height;
    final int format;
    private final int store;
    public final int[] px;

    /** A surface of a SPICE surface format (DisplayMessages.SURFACE_FMT_*); spice-gtk starts it all zero bytes. */
    public Surface(int width, int height, int format) {
        this.width = width;
        this.height = height;
        this.format = format;
        this.store = switch (format) {
            case DisplayMessages.SURFACE_FMT_32_ARGB -> STORE_ARGB;
            case DisplayMessages.SURFACE_FMT_32_XRGB -> STORE_OPAQUE;
            case DisplayMessages.SURFACE_FMT_16_555, DisplayMessages.SURFACE_FMT_16_565 -> STORE_16;
            case DisplayMessages.SURFACE_FMT_8_A -> STORE_A8;
            case DisplayMessages.SURFACE_FMT_1_A -> STORE_A1;
            default -> throw new SpiceProtocolException("surface of unknown format " + format);
        };
        this.px = new int[width * height];
        if (store == STORE_OPAQUE || store == STORE_16) {
            // zero bytes read as opaque black without alpha
            java.util.Arrays.fill(px, 0xff000000);
        }
    }

    /** A surface of the same size and format holding a copy of these pixels. */
    public Surface copy() {
        Surface c = new Surface(width, height, format);
        System.arraycopy(px, 0, c.px, 0, px.length);
        return c;
    }

    /** Whether the top byte of a pixel is alpha (32-bit ARGB and the alpha-only formats) rather than unused. */
    boolean hasAlpha() {
        return store == STORE_ARGB || store == STORE_A8 || store == STORE_A1;
    }

    /** Whether the surface keeps alpha only (8_A, 1_A): pixels 0xAA000000. */
    public boolean alphaOnly() {
        return store == STORE_A8 || store == STORE_A1;
    }

    /** Whether the surface holds 16-bit pixels (x1r5g5b5 or r5g6b5 in spice-gtk's canvas). */
    public boolean is16Bit() {
        return store == STORE_16;
    }

    /**
     * A pixel value of this 16-bit surface's format (how SPICE gives colours for it) as 0xffRRGGBB, each channel
     * widened by repeating its top bits, as pixman reads 16-bit pixels.
     */
    public int expand16(int v) {
        int r;
        int g;
        if (format == DisplayMessages.SURFACE_FMT_16_565) {
            r = v >> 11 & 0x1f;
            g = v >> 5 & 0x3f;
            g = g << 2 | g >> 4;
        } else {
            r = v >> 10 & 0x1f;
            g = v >> 5 & 0x1f;
            g = g << 3 | g >> 2;
        }
        int b = v & 0x1f;
        return 0xff000000 | (r << 3 | r >> 2) << 16 | g << 8 | (b << 3 | b >> 2);
    }

    /** An ARGB colour as a 16-bit surface keeps it: truncated to its bits (pixman's store), then widened again. */
    int quantize16(int argb) {
        int r = argb >> 19 & 0x1f;
        int b = argb >> 3 & 0x1f;
        if (format == DisplayMessages.SURFACE_FMT_16_565) {
            return expand16(r << 11 | (argb >> 10 & 0x3f) << 5 | b);
        }
        return expand16(r << 10 | (argb >> 11 & 0x1f) << 5 | b);
    }

    /**
     * A pixel as stored: a surface without alpha keeps 0xff in the top byte, a 16-bit one 5 or 6 bits a channel, an
     * alpha-only one the alpha (a1: its top bit, as pixman stores a1).
     */
    int fix(int argb) {
        return switch (store) {
            case STORE_OPAQUE -> argb | 0xff000000;
            case STORE_16 -> quantize16(argb);
            case STORE_A8 -> argb & 0xff000000;
            case STORE_A1 -> argb >> 31 & 0xff000000;
            default -> argb;
        };
    }

    /**
     * A solid colour (a pixel value of the surface's format, as spice-common writes it unconverted at the surface's
     * depth) as this surface paints it: on a 16-bit surface the widened 555 or 565 value; on an alpha-only surface
     * the value's low byte (8_A) or low bit (1_A) is the alpha.
     */
    int solid(int color) {
        return switch (store) {
            case STORE_16 -> expand16(color);
            case STORE_A8 -> color << 24;
            case STORE_A1 -> (color & 1) != 0 ? 0xff000000 : 0;
            default -> color;
        };
    }

    /** A stored pixel as a compositing destination: opaque unless the surface has alpha. */
    int dest(int argb) {
        return hasAlpha() ? argb : argb | 0xff000000;
    }

    public Rect bounds() {
        return new Rect(0, 0, width, height);
    }

    /**
     * The parts of {@code box} to paint: inside the surface and, when there is a clip, inside its rects. The clip is
     * a region, the union of its rects (as pixman holds it for spice-gtk): overlapping rects are painted once, so an
     * operation such as invert is applied once, and the work of a draw is bounded by the surface's area however
     * many times a lying clip list repeats a rect.
     */
    List<Rect> paintable(Rect box, List<Rect> clip) {
        Rect inside = box.intersect(bounds());
        if (clip == null) {
            return inside.isEmpty() ? List.of() : List.of(inside);
        }
        List<Rect> parts = clip.stream().map(inside::intersect).filter(r -> !r.isEmpty()).toList();
        return parts.size() <= 1 ? parts : union(parts);
    }

    /** The union of non-empty rects as disjoint rects, band by band from the top. */
    static List<Rect> union(List<Rect> rects) {
        int[] ys = rects.stream().flatMapToInt(r -> java.util.stream.IntStream.of(r.y(), r.bottom())).sorted()
                .distinct().toArray();
        Rect[] byTop = rects.toArray(Rect[]::new);
        java.util.Arrays.sort(byTop, java.util.Comparator.comparingInt(Rect::y));
        List<Rect> active = new java.util.ArrayList<>();
        List<Rect> out = new java.util.ArrayList<>();
        int next = 0;
        for (int b = 0; b + 1 < ys.length; b++) {
            int y0 = ys[b];
            int y1 = ys[b + 1];
            while (next < byTop.length && byTop[next].y() <= y0) {
                active.add(byTop[next++]);
            }
            active.removeIf(r -> r.bottom() <= y0);
            if (active.isEmpty()) {
                continue;
            }
            active.sort(java.util.Comparator.comparingInt(Rect::x));
            int x0 = active.get(0).x();
            int x1 = active.get(0).right();
            for (Rect r : active) {
                if (r.x() > x1) {
                    out.add(new Rect(x0, y0, x1 - x0, y1 - y0));
                    x0 = r.x();
                }
                x1 = Math.max(x1, r.right());
            }
            out.add(new Rect(x0, y0, x1 - x0, y1 - y0));
        }
        return out;
    }

    /** Copies {@code src} (its area {@code srcX,srcY} onwards) to {@code box}, one to one (OP_PUT). */
    void put(Pixels src, int srcX, int srcY, Rect box, List<Rect> clip) {
        for (Rect r : paintable(box, clip)) {
            // in longs: the source point is the peer's, and near the int range's ends its area's edges overflow
            long sx = (long) srcX + (r.x() - box.x());
            long sy = (long) srcY + (r.y() - box.y());
            long x0 = Math.max(sx, 0);
            long y0 = Math.max(sy, 0);
            long x1 = Math.min(sx + r.width(), src.width());
            long y1 = Math.min(sy + r.height(), src.height());
            if (x0 >= x1 || y0 >= y1) {
                continue; // the source area lies beside the source
            }
            for (long row = y0; row < y1; row++) {
                int from = (int) (row * src.width() + x0);
                int to = (int) ((r.y() + (row - sy)) * width + r.x() + (x0 - sx));
                int n = (int) (x1 - x0);
                if (store == STORE_16 || store == STORE_A8 || store == STORE_A1) {
                    for (int i = 0; i < n; i++) {
                        px[to + i] = fix(src.at(from + i));
                    }
                } else if (src.opaque()) {
                    // the top byte is not alpha: a copy that makes it 0xff (one vectorised pass, as fast as a copy)
                    int[] a = src.argb();
                    for (int i = 0; i < n; i++) {
                        px[to + i] = a[from + i] | 0xff000000;
                    }
                } else {
                    System.arraycopy(src.argb(), from, px, to, n);
                }
            }
        }
    }

    /** Scales {@code src} area to {@code box} with nearest-neighbour sampling (OP_PUT). */
    public void putScaled(Pixels src, Rect srcArea, Rect box, List<Rect> clip) {
        for (Rect r : paintable(box, clip)) {
            for (int y = r.y(); y < r.bottom(); y++) {
                int sy = srcArea.y() + (int) ((long) (y - box.y()) * srcArea.height() / box.height());
                for (int x = r.x(); x < r.right(); x++) {
                    int sx = srcArea.x() + (int) ((long) (x - box.x()) * srcArea.width() / box.width());
                    if (sx >= 0 && sy >= 0 && sx < src.width() && sy < src.height()) {
                        int v = src.at(sy * src.width() + sx);
                        px[y * width + x] = store == STORE_ARGB || store == STORE_OPAQUE ? v : fix(v);
                    }
                }
            }
        }
    }

    /** Copies pixels within this surface from {@code srcX,srcY} to {@code box}; overlapping areas are safe. */
    public void copyBits(int srcX, int srcY, Rect box, List<Rect> clip) {
        Pixels snapshot = new Pixels(width, height, px.clone());
        put(snapshot, srcX, srcY, box, clip);
    }

    public Pixels region(Rect area) {
        Rect r = area.intersect(bounds());
        int[] out = new int[r.width() * r.height()];
        for (int row = 0; row < r.height(); row++) {
            System.arraycopy(px, (r.y() + row) * width + r.x(), out, row * r.width(), r.width());
        }
        return new Pixels(r.width(), r.height(), out);
    }
}
