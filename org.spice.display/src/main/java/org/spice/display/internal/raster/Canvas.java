package org.spice.display.internal.raster;

import java.util.List;
import org.spice.desktop.Rect;
import org.spice.display.internal.codec.Pixels;
import org.spice.protocol.SpiceProtocolException;

/**
 * Renders SPICE draw commands into a {@link Surface} with the semantics of spice-common's software canvas
 * (canvas_base.c, sw_canvas.c, rop3.c, lines.c): which pixels each command touches, how a scaled source is
 * sampled (pixman's nearest and bilinear filters), and how colours combine (raster ops, Porter-Duff with pixman's
 * rounding). Every method draws only inside its {@link Area}.
 */
public final class Canvas {
    public static final int SCALE_INTERPOLATE = 0;
    public static final int SCALE_NEAREST = 1;

    private Canvas() {
    }

    /** Fill: each pixel becomes {@code rop(brush, dest)}. */
    public static void fill(Surface s, Area a, Brush b, int rop) {
        if (rop == Rops.NOOP) {
            return;
        }
        Rect r = a.bounds();
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                if (a.contains(x, y)) {
                    int i = y * s.width + x;
                    s.px[i] = s.fix(Rops.rop2(rop, b.at(x, y), s.px[i]));
                }
            }
        }
    }

    /**
     * A source image placed on a draw's box: {@code area} of {@code image} stretched over {@code box};
     * {@code opaque} reads its alpha as 0xff (a surface without SRC_SURFACE_HAS_ALPHA).
     */
    public record Source(Pixels image, Rect area, Rect box, int scaleMode, boolean opaque) {
        public Source(Pixels image, Rect area, Rect box, int scaleMode) {
            this(image, area, box, scaleMode, false);
        }

        boolean sameSize() {
            return area.width() == box.width() && area.height() == box.height();
        }

        /**
         * The source pixel for surface pixel {@code x,y}. One to one: the image's pixel, or OUTSIDE off the image
         * (canvas blits only what the image has). Scaled: pixman's sample with the scale mode, or with nearest
         * when {@code forceNearest}; OUTSIDE for a nearest sample off the image.
         */
        long at(int x, int y, boolean forceNearest) {
            if (sameSize()) {
                return Sampling.fetch(image, area.x() + (long) x - box.x(), area.y() + (long) y - box.y(),
                        Sampling.REPEAT_NONE, opaque);
            }
            long fsx = ((long) area.width() << 16) / box.width();
            long fsy = ((long) area.height() << 16) / box.height();
            long vx = fixMul(((long) x - box.x()) * 65536 + 32768, fsx) + ((long) area.x() << 16);
            long vy = fixMul(((long) y - box.y()) * 65536 + 32768, fsy) + ((long) area.y() << 16);
            if (forceNearest || scaleMode == SCALE_NEAREST) {
                return Sampling.nearest(image, vx, vy, Sampling.REPEAT_NONE, opaque);
            }
            return Sampling.bilinear(image, vx, vy, Sampling.REPEAT_NONE, opaque) & 0xffffffffL;
        }

        long at(int x, int y) {
            return at(x, y, false);
        }
    }

    /** pixman's fixed-point multiply with rounding (pixman_transform_point_3d). */
    static long fixMul(long a, long b) {
        return (a * b + 0x8000) >> 16;
    }

    /** Copy and blend: each pixel becomes {@code rop(src, dest)}. */
    public static void blit(Surface s, Area a, Source src, int rop) {
        if (rop == Rops.NOOP) {
            return;
        }
        Rect r = a.bounds();
        if (rop == Rops.COPY && a.isFull() && src.sameSize()) {
            s.put(src.image(), src.area().x() + r.x() - src.box().x(), src.area().y() + r.y() - src.box().y(), r, null);
            return;
        }
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                if (a.contains(x, y)) {
                    long v = src.at(x, y);
                    if (v != Sampling.OUTSIDE || !src.sameSize()) {
                        // a scaled source is first drawn into a temporary image: off the source it holds 0
                        int i = y * s.width + x;
                        s.px[i] = s.fix(Rops.rop2(rop, (int) Math.max(0, v), s.px[i]));
                    }
                }
            }
        }
    }

    /** Opaque: the source is copied, then the brush combined with it by {@code rop} (brush first, copied source second). */
    public static void opaque(Surface s, Area a, Source src, Brush b, int rop) {
        if (rop == Rops.NOOP) {
            return;
        }
        blit(s, a, src, Rops.COPY);
        fill(s, a, b, rop);
    }

    /** Rop3: each pixel becomes {@code rop3(code, brush, src, dest)}; the source must cover the whole box. */
    public static void rop3(Surface s, Area a, Source src, Brush b, int code) {
        if (src.sameSize() && (src.area.x() < 0 || src.area.y() < 0 || src.area.right() > src.image.width()
                || src.area.bottom() > src.image.height())) {
            throw new SpiceProtocolException("rop3: source area " + src.area + " is not inside its "
                    + src.image.width() + "x" + src.image.height() + " image");
        }
        Rect r = a.bounds();
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                if (a.contains(x, y)) {
                    int i = y * s.width + x;
                    int sv = (int) Math.max(0, src.at(x, y));
                    s.px[i] = s.fix(Rops.rop3(code, b.at(x, y), sv, s.px[i]));
                }
            }
        }
    }

    /**
     * Transparent: source pixels whose RGB is not {@code trueColor}'s replace the destination (scaled: nearest); on a
     * 16-bit surface the key is the widened 16-bit colour; on an alpha-only surface the source's alpha is compared
     * with the key's low byte (spice-common's 8-bit colour key on the source converted to a8).
     */
    public static void transparent(Surface s, Area a, Source src, int trueColor) {
        boolean alphaOnly = s.alphaOnly();
        int key = alphaOnly ? trueColor & 0xff : trueColor & 0xffffff;
        Rect r = a.bounds();
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                if (a.contains(x, y)) {
                    long v = src.at(x, y, true);
                    // scaled, the temporary image holds 0 off the source, which the key compares like any pixel
                    if (v == Sampling.OUTSIDE && src.sameSize()) {
                        continue;
                    }
                    // compared as the surface holds it: on a 16-bit surface the source is first converted to it
                    int p = s.fix((int) Math.max(0, v));
                    if ((alphaOnly ? p >>> 24 : p & 0xffffff) != key) {
                        s.px[y * s.width + x] = p;
                    }
                }
            }
        }
    }

    /**
     * Alpha blend: the source (premultiplied) times {@code alpha}/255 OVER the
     * destination, pixman's OVER; a scaled source is sampled nearest, as canvas does.
     */
    public static void alphaBlend(Surface s, Area a, Source src, int alpha) {
        if (alpha == 0) {
            return;
        }
        Rect r = a.bounds();
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                if (!a.contains(x, y)) {
                    continue;
                }
                long sample = src.at(x, y, true);
                if (sample == Sampling.OUTSIDE) {
                    continue; // transparent: OVER leaves the destination
                }
                int v = (int) sample;
                if (alpha != 0xff) {
                    v = Rops.mulPixel(v, alpha);
                }
                int i = y * s.width + x;
                s.px[i] = s.fix(Rops.over(v, s.dest(s.px[i])));
            }
        }
    }

    /** Raster glyphs of one string: 1, 4 or 8 bits per pixel, rows stored bottom-up as canvas reads them. */
    public record Glyph(int x, int y, int width, int height, byte[] data) {
    }

    /**
     * Text: the back area (when not empty) is filled with the back brush; then the glyphs' coverage (A1: 255, A4:
     * the high nibble values, A8: bytes; overlapping glyphs keep the larger) makes the fore brush OVER the
     * destination. A back area with a fore mode other than OP_PUT draws nothing, as canvas does.
     */
    public static void text(Surface s, Area a, int bpp, List<Glyph> glyphs, Rect backArea, Brush fore, Brush back,
            boolean forePut) {
        if (!backArea.isEmpty()) {
            if (!forePut) {
                return;
            }
            fill(s, a.within(backArea), back, Rops.COPY);
        }
        if (glyphs.isEmpty() || fore.type() == Brush.NONE) {
            return;
        }
        Rect bounds = null;
        for (Glyph g : glyphs) {
            Rect box = new Rect(g.x, g.y, g.width, g.height);
            bounds = bounds == null ? box : union(bounds, box);
        }
        // the coverage is only needed where the text can draw
        Rect win = bounds.intersect(a.bounds());
        if (win.isEmpty()) {
            return;
        }
        int[] cover = new int[win.width() * win.height()];
        for (Glyph g : glyphs) {
            int stride = (g.width * bpp + 7) / 8;
            for (int row = 0; row < g.height; row++) {
                int py = g.y + row;
                if (py < win.y() || py >= win.bottom()) {
                    continue;
                }
                int src = (g.height - 1 - row) * stride;
                for (int x = 0; x < g.width; x++) {
                    int px = g.x + x;
                    if (px < win.x() || px >= win.right()) {
                        continue;
                    }
                    int b = g.data[src + x * bpp / 8] & 0xff;
                    int i = (py - win.y()) * win.width() + px - win.x();
                    switch (bpp) {
                        case 1 -> {
                            if ((b >> (7 - (x & 7)) & 1) != 0) {
                                cover[i] = 255;
                            }
                        }
                        case 4 -> {
                            // canvas keeps MAX(old, byte & 0xf0) and MAX(old, byte << 4) in a byte
                            int v = (x & 1) == 0 ? b & 0xf0 : b << 4;
                            cover[i] = Math.max(cover[i], v) & 0xff;
                        }
                        default -> cover[i] = Math.max(cover[i], b);
                    }
                }
            }
        }
        for (int y = win.y(); y < win.bottom(); y++) {
            for (int x = win.x(); x < win.right(); x++) {
                int m = cover[(y - win.y()) * win.width() + x - win.x()];
                if (m == 0 || !a.contains(x, y)) {
                    continue;
                }
                int c = fore.type() == Brush.SOLID ? 0xff000000 | fore.color()
                        : fore.at(x - bounds.x(), y - bounds.y());
                int i = y * s.width + x;
                s.px[i] = s.fix(Rops.over(m == 255 ? c : Rops.mulPixel(c, m), s.dest(s.px[i])));
            }
        }
    }

    static Rect union(Rect a, Rect b) {
        int x = Math.min(a.x(), b.x());
        int y = Math.min(a.y(), b.y());
        return new Rect(x, y, Math.max(a.right(), b.right()) - x, Math.max(a.bottom(), b.bottom()) - y);
    }

    /** One polyline of a stroke, in whole pixels (fixed-point points rounded as canvas rounds them). */
    public record Polyline(int[] xs, int[] ys, int n) {
    }

    /**
     * Stroke: X's zero-width lines (miZeroLine with the default octant bias, CapNotLast: no polyline draws its last
     * point) through each polyline, each pixel combined with the brush by {@code rop}.
     */
    public static void stroke(Surface s, Area a, List<Polyline> lines, Brush b, int rop) {
        if (rop == Rops.NOOP) {
            return;
        }
        for (Polyline p : lines) {
            for (int i = 0; i + 1 < p.n; i++) {
                zeroLine(s, a, p.xs[i], p.ys[i], p.xs[i + 1], p.ys[i + 1], b, rop);
            }
        }
    }

    private static final int XDECREASING = 4;
    private static final int YDECREASING = 2;
    private static final int YMAJOR = 1;
    /** X's DEFAULTZEROLINEBIAS: octants 2, 3, 4 and 5 step axially when the error term is exactly zero. */
    private static final int BIAS = 1 << (YDECREASING | YMAJOR) | 1 << (XDECREASING | YDECREASING | YMAJOR)
            | 1 << (XDECREASING | YDECREASING) | 1 << XDECREASING;

    /**
     * The pixels miZeroLine draws from x1,y1 towards x2,y2, not the end point. Pixel k along the major axis has the
     * minor coordinate advanced floor((e0 + k * e1) / (2 * major)) + 1 times, the closed form of Bresenham's loop,
     * so only the steps on the surface are visited.
     */
    static void zeroLine(Surface s, Area a, int x1, int y1, int x2, int y2, Brush b, int rop) {
        long adx = Math.abs((long) x2 - x1);
        long ady = Math.abs((long) y2 - y1);
        int sx = x2 < x1 ? -1 : 1;
        int sy = y2 < y1 ? -1 : 1;
        int octant = (x2 < x1 ? XDECREASING : 0) | (y2 < y1 ? YDECREASING : 0);
        boolean xMajor = adx > ady;
        long major = xMajor ? adx : ady;
        long minor = xMajor ? ady : adx;
        if (!xMajor) {
            octant |= YMAJOR;
        }
        if (major == 0) {
            return;
        }
        long e1 = minor << 1;
        long e0 = e1 - major - ((BIAS >> octant) & 1) - e1;
        long start = xMajor ? x1 : y1;
        int step = xMajor ? sx : sy;
        long limit = xMajor ? s.width : s.height;
        // steps k in [0, major) whose major coordinate start + step * k is in [0, limit)
        long kLo;
        long kHi;
        if (step > 0) {
            kLo = Math.max(0, -start);
            kHi = Math.min(major, limit - start);
        } else {
            kLo = Math.max(0, start - (limit - 1));
            kHi = Math.min(major, start + 1);
        }
        for (long k = kLo; k < kHi; k++) {
            long m = Math.floorDiv(e0 + k * e1, major << 1) + 1;
            long px = xMajor ? x1 + sx * k : x1 + sx * m;
            long py = xMajor ? y1 + sy * m : y1 + sy * k;
            if (px >= 0 && py >= 0 && px < s.width && py < s.height && a.contains((int) px, (int) py)) {
                int i = (int) py * s.width + (int) px;
                s.px[i] = s.fix(Rops.rop2(rop, b.at((int) px, (int) py), s.px[i]));
            }
        }
    }

    /** A Render composite's picture: an image with its sampling (pixman filter and repeat) and affine transform. */
    public record Picture(Pixels image, boolean opaque, boolean nearest, int repeat, long[] transform) {
        /** The picture's pixel for destination pixel {@code dx,dy} with the picture's origin at {@code ox,oy}. */
        long sample(long dx, long dy) {
            long[] v = position(dx, dy);
            if (nearest) {
                return Sampling.nearest(image, v[0], v[1], repeat, opaque);
            }
            return Sampling.bilinear(image, v[0], v[1], repeat, opaque) & 0xffffffffL;
        }

        /** Where pixel {@code dx,dy}'s centre falls in the picture, 16.16 fixed point, through the transform. */
        private long[] position(long dx, long dy) {
            long vx = (dx << 16) + 0x8000;
            long vy = (dy << 16) + 0x8000;
            if (transform == null) {
                return new long[] {vx, vy};
            }
            return new long[] {fixMul(transform[0], vx) + fixMul(transform[1], vy) + transform[2],
                fixMul(transform[3], vx) + fixMul(transform[4], vy) + transform[5]};
        }

        /**
         * Whether pixman counts this picture as opaque over destination area {@code r} (picture coordinates offset
         * by dx, dy): an image without alpha that repeats, or whose samples cover the area. A transformed picture
         * that does not repeat is taken as not covering (pixman may find that it does, which changes only SATURATE).
         */
        boolean opaqueOver(Rect r, long dx, long dy) {
            if (!opaque) {
                return false;
            }
            if (repeat != Sampling.REPEAT_NONE) {
                return true;
            }
            return transform == null && r.x() + dx >= 0 && r.y() + dy >= 0 && r.right() + dx <= image.width()
                    && r.bottom() + dy <= image.height();
        }

        /**
         * The same pixel as floats {a, r, g, b}, as pixman's float pipeline reads it: an 8-bit sample expanded,
         * except that a transformed bilinear sample is interpolated in floats.
         */
        float[] sampleWide(long dx, long dy) {
            if (transform != null && !nearest) {
                long[] v = position(dx, dy);
                return Sampling.bilinearWide(image, v[0], v[1], repeat, opaque);
            }
            return Combiners.expand((int) Math.max(0, sample(dx, dy)));
        }
    }

    /**
     * Composite (Render): pixman operator {@code op} of the source, through the mask when there is one (its alpha,
     * or each of its channels with {@code componentAlpha}), with the destination over the draw's box; picture
     * coordinates start at the origins for the box's top-left pixel. {@link Combiners} says which operators pixman
     * combines in floats, and those sample their pictures in floats too.
     */
    public static void composite(Surface s, Area a, Rect box, int op, Picture src, int srcX, int srcY, Picture mask,
            int maskX, int maskY, boolean componentAlpha, boolean destOpaque) {
        Rect r = a.bounds();
        op = Combiners.effective(op, mask == null && src.opaqueOver(r, srcX - box.x(), srcY - box.y()));
        boolean wide = Combiners.wide(op);
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                if (!a.contains(x, y)) {
                    continue;
                }
                long sx = srcX + (long) x - box.x();
                long sy = srcY + (long) y - box.y();
                long mx = maskX + (long) x - box.x();
                long my = maskY + (long) y - box.y();
                int i = y * s.width + x;
                int d = s.dest(s.px[i]);
                if (destOpaque) {
                    d |= 0xff000000;
                }
                int out;
                if (wide) {
                    out = Combiners.combineWide(op, src.sampleWide(sx, sy), mask == null ? null
                            : mask.sampleWide(mx, my), componentAlpha, Combiners.expand(d));
                } else {
                    int sv = (int) Math.max(0, src.sample(sx, sy));
                    if (mask == null) {
                        out = Combiners.unified(op, sv, d);
                    } else {
                        int mv = (int) Math.max(0, mask.sample(mx, my));
                        if (componentAlpha) {
                            out = Combiners.component(op, sv, mv, d);
                        } else {
                            int m = mv >>> 24;
                            out = Combiners.unified(op, m == 0 ? 0 : Rops.mulPixel(sv, m), d);
                        }
                    }
                }
                s.px[i] = s.fix(out);
            }
        }
    }

    /** Saturated per-channel addition. */
    static int add(int a, int b) {
        int r = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            r |= Math.min(255, (a >>> shift & 0xff) + (b >>> shift & 0xff)) << shift;
        }
        return r;
    }
}
