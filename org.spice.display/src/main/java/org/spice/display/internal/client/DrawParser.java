package org.spice.display.internal.client;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.spice.desktop.Rect;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.raster.Brush;
import org.spice.display.internal.raster.Canvas;
import org.spice.display.internal.raster.Combiners;
import org.spice.display.internal.raster.DashedStroke;
import org.spice.display.internal.raster.Mask;
import org.spice.display.internal.raster.Rops;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.Wire;

/**
 * Parses the data of the display channel's draw messages (after their DisplayBase) into {@link Draw}s. Every image
 * a message carries is read, so the pixmap cache follows the server even when nothing is drawn; counts and sizes
 * are checked against the bytes the message has before anything is allocated.
 */
final class DrawParser {
    static final int MASK_INVERS = 1;
    static final int PATH_BEGIN = 1;
    static final int PATH_END = 2;
    static final int PATH_CLOSE = 8;
    static final int PATH_BEZIER = 16;
    static final int LINE_START_WITH_GAP = 4;
    static final int LINE_STYLED = 8;
    static final int STRING_A1 = 1;
    static final int STRING_A4 = 2;
    static final int STRING_A8 = 4;
    static final int ALPHA_SRC_SURFACE_HAS_ALPHA = 2;
    static final int COMPOSITE_COMPONENT_ALPHA = 1 << 18;
    static final int COMPOSITE_HAS_MASK = 1 << 19;
    static final int COMPOSITE_HAS_SRC_TRANSFORM = 1 << 20;
    static final int COMPOSITE_HAS_MASK_TRANSFORM = 1 << 21;
    static final int COMPOSITE_SOURCE_OPAQUE = 1 << 22;
    static final int COMPOSITE_DEST_OPAQUE = 1 << 24;

    private DrawParser() {
    }

    /**
     * The draw of message {@code type}, its body read from after the DisplayBase; {@code start} is where the body
     * starts (image and path offsets count from there).
     */
    static Draw parse(int type, ByteBuf in, int start, Rect box, ImageReader images) {
        return switch (type) {
            case DisplayMessages.DRAW_FILL -> {
                Brush brush = brush(in, start, images);
                int rop = Rops.fromDescriptor(Wire.u16(in, "fill rop"), Rops.Input.BRUSH, Rops.Input.DEST);
                Mask mask = mask(in, start, images);
                yield (s, a, b) -> Canvas.fill(s, a.masked(mask, b), brush.on(s), rop);
            }
            case DisplayMessages.DRAW_COPY, DisplayMessages.DRAW_BLEND -> {
                DisplayMessages.Copy copy = DisplayMessages.Copy.decode(in);
                int rop = Rops.fromDescriptor(copy.ropDescriptor(), Rops.Input.SRC, Rops.Input.DEST);
                Mask mask = mask(copy.mask(), in, start, images);
                Canvas.Source source = source(in, start, copy.srcBitmap(), copy.srcArea(), box, copy.scaleMode(),
                        images);
                yield (s, a, b) -> Canvas.blit(s, a.masked(mask, b), source, rop);
            }
            case DisplayMessages.DRAW_OPAQUE -> {
                long src = Wire.u32(in, "src_bitmap");
                Rect area = DisplayMessages.readRect(in, "src_area");
                Brush brush = brush(in, start, images);
                int rop = Rops.fromDescriptor(Wire.u16(in, "opaque rop"), Rops.Input.BRUSH, Rops.Input.SRC);
                int scale = Wire.u8(in, "scale mode");
                Mask mask = mask(in, start, images);
                Canvas.Source source = source(in, start, src, area, box, scale, images);
                yield (s, a, b) -> Canvas.opaque(s, a.masked(mask, b), source, brush.on(s), rop);
            }
            case DisplayMessages.DRAW_BLACKNESS, DisplayMessages.DRAW_WHITENESS, DisplayMessages.DRAW_INVERS -> {
                Mask mask = mask(in, start, images);
                int rop = type == DisplayMessages.DRAW_BLACKNESS ? Rops.CLEAR
                        : type == DisplayMessages.DRAW_WHITENESS ? Rops.SET : Rops.INVERT;
                yield (s, a, b) -> Canvas.fill(s, a.masked(mask, b), Brush.EMPTY, rop);
            }
            case DisplayMessages.DRAW_ROP3 -> {
                long src = Wire.u32(in, "src_bitmap");
                Rect area = DisplayMessages.readRect(in, "src_area");
                Brush brush = brush(in, start, images);
                int code = Wire.u8(in, "rop3");
                int scale = Wire.u8(in, "scale mode");
                Mask mask = mask(in, start, images);
                Canvas.Source source = source(in, start, src, area, box, scale, images);
                yield (s, a, b) -> Canvas.rop3(s, a.masked(mask, b), source, brush.on(s), code);
            }
            case DisplayMessages.DRAW_TRANSPARENT -> {
                long src = Wire.u32(in, "src_bitmap");
                Rect area = DisplayMessages.readRect(in, "src_area");
                Wire.u32(in, "src_color");
                int trueColor = (int) Wire.u32(in, "true_color");
                Canvas.Source source = source(in, start, src, area, box, Canvas.SCALE_NEAREST, images);
                yield (s, a, b) -> Canvas.transparent(s, a, source, s.is16Bit() ? s.expand16(trueColor) : trueColor);
            }
            case DisplayMessages.DRAW_ALPHA_BLEND -> {
                int flags = Wire.u8(in, "alpha_flags");
                int alpha = Wire.u8(in, "alpha");
                long src = Wire.u32(in, "src_bitmap");
                Rect area = DisplayMessages.readRect(in, "src_area");
                boolean opaque = ImageReader.isSurface(in, start, src) && (flags & ALPHA_SRC_SURFACE_HAS_ALPHA) == 0;
                Canvas.Source source = source(in, start, src, area, box, Canvas.SCALE_NEAREST, images);
                Canvas.Source placed = new Canvas.Source(source.image(), area, box, Canvas.SCALE_NEAREST, opaque);
                yield (s, a, b) -> Canvas.alphaBlend(s, a, placed, alpha);
            }
            case DisplayMessages.DRAW_STROKE -> stroke(in, start, images);
            case DisplayMessages.DRAW_TEXT -> text(in, start, images);
            case DisplayMessages.DRAW_COMPOSITE -> composite(in, start, images);
            default -> throw new IllegalArgumentException("not a draw message: " + type);
        };
    }

    private static Canvas.Source source(ByteBuf in, int start, long offset, Rect area, Rect box, int scale,
            ImageReader images) {
        Pixels p = images.read(in, start, offset);
        if (p == null) {
            throw new SpiceProtocolException("draw without a source image");
        }
        if (scale != Canvas.SCALE_INTERPOLATE && scale != Canvas.SCALE_NEAREST) {
            throw new SpiceProtocolException("unknown image scale mode " + scale);
        }
        if (box.isEmpty() && !(area.width() == box.width() && area.height() == box.height())) {
            throw new SpiceProtocolException("source area " + area + " scaled to an empty box");
        }
        return new Canvas.Source(p, area, box, scale);
    }

    /** Brush: type, then a colour (SOLID) or a pattern image offset and its position (PATTERN). */
    static Brush brush(ByteBuf in, int start, ImageReader images) {
        int type = Wire.u8(in, "brush type");
        return switch (type) {
            case Brush.NONE -> Brush.EMPTY;
            case Brush.SOLID -> new Brush(Brush.SOLID, (int) Wire.u32(in, "brush color"), null, 0, 0);
            case Brush.PATTERN -> {
                long offset = Wire.u32(in, "pattern image");
                int x = Wire.i32(in, "pattern position");
                int y = Wire.i32(in, "pattern position");
                Pixels p = images.read(in, start, offset);
                if (p == null) {
                    throw new SpiceProtocolException("pattern brush without an image");
                }
                yield new Brush(Brush.PATTERN, 0, p, x, y);
            }
            default -> throw new SpiceProtocolException("unknown brush type " + type);
        };
    }

    /** QMask: flags (INVERS), position, 1-bit image offset (0: no mask). */
    static Mask mask(ByteBuf in, int start, ImageReader images) {
        return mask(DisplayMessages.QMask.decode(in), in, start, images);
    }

    private static Mask mask(DisplayMessages.QMask m, ByteBuf in, int start, ImageReader images) {
        return images.mask(in, start, m.bitmap(), m.flags() & MASK_INVERS, m.x(), m.y());
    }

    /** The slice of the body at {@code offset}, to its end. */
    private static ByteBuf at(ByteBuf in, int start, long offset, String what) {
        if (offset == 0 || offset > in.writerIndex() - start) {
            throw new SpiceProtocolException(what + " offset " + offset + " outside the message");
        }
        return in.slice(start + (int) offset, in.writerIndex() - start - (int) offset);
    }

    private static Draw stroke(ByteBuf in, int start, ImageReader images) {
        long pathOffset = Wire.u32(in, "stroke path");
        int attr = Wire.u8(in, "line attr flags");
        DashedStroke.Style style = null;
        if ((attr & LINE_STYLED) != 0) {
            int nseg = Wire.u8(in, "line style segments");
            long styleOffset = Wire.u32(in, "line style");
            style = lineStyle(at(in, start, styleOffset, "line style"), nseg, (attr & LINE_START_WITH_GAP) != 0);
        }
        Brush brush = brush(in, start, images);
        int fore = Rops.fromDescriptor(Wire.u16(in, "stroke fore_mode"), Rops.Input.BRUSH, Rops.Input.DEST);
        // the canvas draws only the "on" dashes (LineOnOffDash): back_mode is never used
        Wire.u16(in, "stroke back_mode");
        List<Canvas.Polyline> lines = path(at(in, start, pathOffset, "stroke path"));
        if (style != null) {
            DashedStroke.Style dashes = style;
            return (s, a, b) -> DashedStroke.stroke(s, a, lines, brush.on(s), fore, dashes);
        }
        return (s, a, b) -> Canvas.stroke(s, a, lines, brush.on(s), fore);
    }

    /**
     * The dash list of a styled line as canvas builds it: each 28.4 length rounded like a coordinate and kept in a
     * byte (canvas stores it in an unsigned char, so 256 becomes 0 and -1 becomes 255). START_WITH_GAP moves the
     * first length to the end and starts each polyline the (new) first length into the list. An empty list, or
     * one whose lengths are all zero, is refused: canvas reads past its list or divides by zero on it.
     */
    static DashedStroke.Style lineStyle(ByteBuf p, int nseg, boolean startWithGap) {
        if (nseg == 0) {
            throw new SpiceProtocolException("styled line with no style segments");
        }
        Wire.need(p, 4L * nseg, "line style");
        int[] style = new int[nseg];
        int total = 0;
        for (int i = 0; i < nseg; i++) {
            style[i] = fixToInt(p.readIntLE()) & 0xff;
            total += style[i];
        }
        if (total == 0) {
            throw new SpiceProtocolException("line style of " + nseg + " segments, all of zero length");
        }
        if (!startWithGap) {
            return new DashedStroke.Style(style, 0);
        }
        int[] dashes = new int[nseg];
        System.arraycopy(style, 1, dashes, 0, nseg - 1);
        dashes[nseg - 1] = style[0];
        return new DashedStroke.Style(dashes, dashes[0]);
    }

    /**
     * A path's segments as canvas walks them: BEGIN starts a new polyline at the segment's first point, BEZIER
     * points come in threes and are flattened, END closes the polyline (back to its first point with CLOSE).
     */
    static List<Canvas.Polyline> path(ByteBuf p) {
        long n = Wire.u32(p, "path segments");
        Wire.need(p, 5 * n, "path segments");
        List<Canvas.Polyline> out = new ArrayList<>();
        Points cur = new Points();
        for (long i = 0; i < n; i++) {
            int flags = Wire.u8(p, "path segment flags");
            long count = Wire.u32(p, "path segment points");
            Wire.need(p, 8 * count, "path segment points");
            int[] fx = new int[(int) count];
            int[] fy = new int[(int) count];
            for (int k = 0; k < count; k++) {
                fx[k] = p.readIntLE();
                fy[k] = p.readIntLE();
            }
            int k = 0;
            if ((flags & PATH_BEGIN) != 0) {
                cur.flush(out);
                if (count == 0) {
                    throw new SpiceProtocolException("path segment begins without a point");
                }
                cur.add(fixToInt(fx[0]), fixToInt(fy[0]));
                k = 1;
            }
            if ((flags & PATH_BEZIER) != 0) {
                if ((count - k) % 3 != 0) {
                    throw new SpiceProtocolException("bezier path segment of " + (count - k) + " points");
                }
                for (; k + 2 < count; k += 3) {
                    if (cur.n == 0) {
                        throw new SpiceProtocolException("bezier path segment without a starting point");
                    }
                    bezier(cur, (long) cur.xs[cur.n - 1] << 4, (long) cur.ys[cur.n - 1] << 4, fx[k], fy[k],
                            fx[k + 1], fy[k + 1], fx[k + 2], fy[k + 2], 0);
                }
            } else {
                for (; k < count; k++) {
                    cur.add(fixToInt(fx[k]), fixToInt(fy[k]));
                }
            }
            if ((flags & PATH_END) != 0) {
                if ((flags & PATH_CLOSE) != 0 && cur.n > 0) {
                    cur.add(cur.xs[0], cur.ys[0]);
                }
                cur.flush(out);
            }
        }
        cur.flush(out);
        return out;
    }

    /** A 28.4 fixed-point coordinate to a pixel as canvas rounds it: up when the fraction exceeds one half. */
    static int fixToInt(int fixed) {
        int v = fixed >> 4;
        return (fixed & 0x0f) > 8 ? v + 1 : v;
    }

    /** Cubic bezier from p0 (28.4, the current point) by canvas's subdivision until it deviates by under half a pixel. */
    private static void bezier(Points out, long x0, long y0, long x1, long y1, long x2, long y2, long x3, long y3,
            int depth) {
        long a2 = dot(x1 - x0, y1 - y0, x1 - x0, y1 - y0);
        long b2 = dot(x3 - x0, y3 - y0, x3 - x0, y3 - y0);
        long c2 = dot(x2 - x3, y2 - y3, x2 - x3, y2 - y3);
        long ab = dot(x1 - x0, y1 - y0, x3 - x0, y3 - y0);
        long cb = dot(x2 - x3, y2 - y3, x0 - x3, y0 - y3);
        long h1 = (a2 * b2 - ab * ab) >> 3;
        long h2 = (c2 * b2 - cb * cb) >> 3;
        if ((h1 < b2 && h2 < b2) || depth >= 24) {
            out.add(fixToInt((int) x3), fixToInt((int) y3));
            return;
        }
        // canvas halves 32-bit fixed values with C's truncating division
        long x01 = (int) (x0 + x1) / 2;
        long y01 = (int) (y0 + y1) / 2;
        long x12 = (int) (x1 + x2) / 2;
        long y12 = (int) (y1 + y2) / 2;
        long x23 = (int) (x2 + x3) / 2;
        long y23 = (int) (y2 + y3) / 2;
        long x012 = (int) (x01 + x12) / 2;
        long y012 = (int) (y01 + y12) / 2;
        long x123 = (int) (x12 + x23) / 2;
        long y123 = (int) (y12 + y23) / 2;
        long x0123 = (int) (x012 + x123) / 2;
        long y0123 = (int) (y012 + y123) / 2;
        bezier(out, x0, y0, x01, y01, x012, y012, x0123, y0123, depth + 1);
        bezier(out, x0123, y0123, x123, y123, x23, y23, x3, y3, depth + 1);
    }

    private static long dot(long x1, long y1, long x2, long y2) {
        return (x1 * x2 + y1 * y2) >> 4;
    }

    /** The points of the polyline being built. */
    private static final class Points {
        int[] xs = new int[16];
        int[] ys = new int[16];
        int n;

        void add(int x, int y) {
            if (n == xs.length) {
                if (n >= 1 << 24) {
                    throw new SpiceProtocolException("path of more than " + n + " points");
                }
                xs = java.util.Arrays.copyOf(xs, n * 2);
                ys = java.util.Arrays.copyOf(ys, n * 2);
            }
            xs[n] = x;
            ys[n] = y;
            n++;
        }

        void flush(List<Canvas.Polyline> out) {
            if (n > 0) {
                out.add(new Canvas.Polyline(java.util.Arrays.copyOf(xs, n), java.util.Arrays.copyOf(ys, n), n));
                n = 0;
            }
        }
    }

    private static Draw text(ByteBuf in, int start, ImageReader images) {
        long strOffset = Wire.u32(in, "text string");
        Rect backArea = DisplayMessages.readRect(in, "text back_area");
        Brush fore = brush(in, start, images);
        Brush back = brush(in, start, images);
        int foreMode = Wire.u16(in, "text fore_mode");
        Wire.u16(in, "text back_mode");
        ByteBuf str = at(in, start, strOffset, "text string");
        int length = Wire.u16(str, "string length");
        int flags = Wire.u8(str, "string flags");
        int bpp = (flags & STRING_A1) != 0 ? 1 : (flags & STRING_A4) != 0 ? 4 : (flags & STRING_A8) != 0 ? 8 : 0;
        List<Canvas.Glyph> glyphs = new ArrayList<>();
        if (bpp != 0) {
            Wire.need(str, 20L * length, "string glyphs");
            for (int i = 0; i < length; i++) {
                Wire.need(str, 20, "glyph");
                int rx = str.readIntLE();
                int ry = str.readIntLE();
                int ox = str.readIntLE();
                int oy = str.readIntLE();
                int w = str.readUnsignedShortLE();
                int h = str.readUnsignedShortLE();
                long size = (long) ((w * bpp + 7) / 8) * h;
                Wire.need(str, size, "glyph data");
                glyphs.add(new Canvas.Glyph(rx + ox, ry + oy, w, h, Wire.bytes(str, (int) size, "glyph data")));
            }
        }
        boolean forePut = foreMode == DisplayMessages.ROPD_OP_PUT;
        int depth = bpp;
        return (s, a, b) -> Canvas.text(s, a, depth, glyphs, backArea, fore.on(s), back.on(s), forePut);
    }

    private static Draw composite(ByteBuf in, int start, ImageReader images) {
        long flags = Wire.u32(in, "composite flags");
        long srcOffset = Wire.u32(in, "composite src");
        long maskOffset = (flags & COMPOSITE_HAS_MASK) != 0 ? Wire.u32(in, "composite mask") : 0;
        long[] srcTransform = (flags & COMPOSITE_HAS_SRC_TRANSFORM) != 0 ? transform(in) : null;
        long[] maskTransform = (flags & COMPOSITE_HAS_MASK_TRANSFORM) != 0 ? transform(in) : null;
        Wire.need(in, 8, "composite origins");
        int srcX = in.readShortLE();
        int srcY = in.readShortLE();
        int maskX = in.readShortLE();
        int maskY = in.readShortLE();
        boolean srcIsSurface = ImageReader.isSurface(in, start, srcOffset);
        Pixels src = images.read(in, start, srcOffset);
        if (src == null) {
            throw new SpiceProtocolException("composite without a source image");
        }
        Pixels mask = (flags & COMPOSITE_HAS_MASK) != 0 ? images.read(in, start, maskOffset) : null;
        if ((flags & COMPOSITE_HAS_MASK) != 0 && mask == null) {
            throw new SpiceProtocolException("composite with HAS_MASK but no mask image");
        }
        int op = (int) (flags & 0xff);
        Combiners.check(op);
        boolean componentAlpha = (flags & COMPOSITE_COMPONENT_ALPHA) != 0;
        Canvas.Picture s = new Canvas.Picture(src, srcIsSurface && (flags & COMPOSITE_SOURCE_OPAQUE) != 0,
                nearest((int) (flags >> 8 & 7)), (int) (flags >> 14 & 3), srcTransform);
        Canvas.Picture m = mask == null ? null : new Canvas.Picture(mask, false, nearest((int) (flags >> 11 & 7)),
                (int) (flags >> 16 & 3), maskTransform);
        boolean destOpaque = (flags & COMPOSITE_DEST_OPAQUE) != 0;
        return (surface, a, box) -> Canvas.composite(surface, a, box, op, s, srcX, srcY, m, maskX, maskY, componentAlpha,
                destOpaque);
    }

    /** pixman filters: FAST and NEAREST sample the nearest pixel, GOOD, BEST and BILINEAR interpolate. */
    private static boolean nearest(int filter) {
        return switch (filter) {
            case 0, 3 -> true;
            case 1, 2, 4 -> false;
            default -> throw new UnsupportedFeature("composite filter " + filter + " (convolution)");
        };
    }

    /** A Transform: t00 t01 t02 t10 t11 t12 as 16.16 fixed point. */
    private static long[] transform(ByteBuf in) {
        Wire.need(in, 24, "composite transform");
        long[] t = new long[6];
        for (int i = 0; i < 6; i++) {
            t[i] = in.readIntLE();
        }
        return t;
    }
}
