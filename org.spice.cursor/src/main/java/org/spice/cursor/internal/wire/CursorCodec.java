package org.spice.cursor.internal.wire;

import io.netty.buffer.ByteBuf;
import org.spice.cursor.api.CursorShape;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.Wire;

/**
 * spice.proto {@code Cursor}: flags, a header unless the cursor is NONE, and the shape's bytes. Types: ALPHA
 * (BGRA), MONO (AND then XOR mask), and COLOR4/8/16/24/32 (pixels, a palette for 4 and 8, then an AND mask).
 */
public final class CursorCodec {
    public static final int FLAG_NONE = 1;
    public static final int FLAG_CACHE_ME = 2;
    public static final int FLAG_FROM_CACHE = 4;

    public static final int TYPE_ALPHA = 0;
    public static final int TYPE_MONO = 1;
    public static final int TYPE_COLOR4 = 2;
    public static final int TYPE_COLOR8 = 3;
    public static final int TYPE_COLOR16 = 4;
    public static final int TYPE_COLOR24 = 5;
    public static final int TYPE_COLOR32 = 6;

    /** Cursors are small; spice-server refuses more than 512 pixels a side too. */
    public static final int MAX_SIDE = 512;

    private CursorCodec() {
    }

    /** The decoded header and shape; unique identifies it in the cursor cache. */
    public record Decoded(int flags, long unique, CursorShape shape) {
    }

    public static Decoded decode(ByteBuf in) {
        int flags = Wire.u16(in, "cursor flags");
        if ((flags & FLAG_NONE) != 0) {
            in.skipBytes(in.readableBytes());
            return new Decoded(flags, 0, null);
        }
        Wire.need(in, 17, "cursor header");
        long unique = in.readLongLE();
        int type = in.readUnsignedByte();
        int w = in.readUnsignedShortLE();
        int h = in.readUnsignedShortLE();
        int hx = in.readUnsignedShortLE();
        int hy = in.readUnsignedShortLE();
        if ((flags & FLAG_FROM_CACHE) != 0) {
            in.skipBytes(in.readableBytes());
            return new Decoded(flags, unique, null);
        }
        if (w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE) {
            throw new SpiceProtocolException("cursor size " + w + "x" + h + " outside 1.." + MAX_SIDE);
        }
        int[] px = new int[w * h];
        boolean[] inv = new boolean[w * h];
        int maskStride = (w + 7) / 8;
        switch (type) {
            case TYPE_ALPHA -> {
                Wire.need(in, 4L * w * h, "alpha cursor");
                for (int i = 0; i < px.length; i++) {
                    px[i] = in.readIntLE();
                }
            }
            case TYPE_MONO -> {
                Wire.need(in, 2L * maskStride * h, "mono cursor");
                int and = in.readerIndex();
                int xor = and + maskStride * h;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean a = bit(in, and, maskStride, x, y);
                        boolean o = bit(in, xor, maskStride, x, y);
                        int i = y * w + x;
                        px[i] = a ? (o ? 0xff000000 : 0) : (o ? 0xffffffff : 0xff000000);
                        inv[i] = a && o;
                    }
                }
                in.skipBytes(2 * maskStride * h);
            }
            case TYPE_COLOR4, TYPE_COLOR8, TYPE_COLOR16, TYPE_COLOR24, TYPE_COLOR32 -> color(in, type, w, h, px, inv);
            default -> throw new SpiceProtocolException("unknown cursor type " + type);
        }
        return new Decoded(flags, unique, new CursorShape(w, h, Math.min(hx, w - 1), Math.min(hy, h - 1), px, inv));
    }

    private static boolean bit(ByteBuf in, int base, int stride, int x, int y) {
        return (in.getByte(base + y * stride + x / 8) & (0x80 >> (x & 7))) != 0;
    }

    private static void color(ByteBuf in, int type, int w, int h, int[] px, boolean[] inv) {
        int bpp = switch (type) {
            case TYPE_COLOR4 -> 4;
            case TYPE_COLOR8 -> 8;
            case TYPE_COLOR16 -> 16;
            case TYPE_COLOR24 -> 24;
            default -> 32;
        };
        int stride = (w * bpp + 7) / 8;
        int paletteEntries = type == TYPE_COLOR4 ? 16 : type == TYPE_COLOR8 ? 256 : 0;
        int maskStride = (w + 7) / 8;
        Wire.need(in, (long) stride * h + 4L * paletteEntries + (long) maskStride * h, "color cursor");
        int data = in.readerIndex();
        int palette = data + stride * h;
        int mask = palette + 4 * paletteEntries;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int row = data + y * stride;
                int rgb = switch (bpp) {
                    case 4 -> in.getIntLE(palette + 4 * ((in.getByte(row + x / 2) >> ((x & 1) == 0 ? 4 : 0)) & 0xf));
                    case 8 -> in.getIntLE(palette + 4 * (in.getByte(row + x) & 0xff));
                    case 16 -> {
                        int v = in.getUnsignedShortLE(row + 2 * x);
                        yield expand5(v >> 10) << 16 | expand5(v >> 5) << 8 | expand5(v);
                    }
                    case 24 -> in.getUnsignedMediumLE(row + 3 * x);
                    default -> in.getIntLE(row + 4 * x);
                } & 0xffffff;
                boolean and = bit(in, mask, maskStride, x, y);
                int i = y * w + x;
                px[i] = and ? (rgb == 0 ? 0 : 0xff000000) : 0xff000000 | rgb;
                inv[i] = and && rgb != 0;
            }
        }
        in.skipBytes(stride * h + 4 * paletteEntries + maskStride * h);
    }

    private static int expand5(int v) {
        v &= 0x1f;
        return v << 3 | v >> 2;
    }

    /** A cursor field with an ALPHA shape, or FLAG_NONE (no shape) for null. */
    public static void encodeAlpha(ByteBuf out, long unique, CursorShape s) {
        encode(out, new Decoded(s == null ? FLAG_NONE : 0, unique, s));
    }

    /**
     * A cursor field as its flags say: only the flags for NONE, else the header and an ALPHA shape. A reference to a
     * cached cursor (FROM_CACHE) needs the header of a shape this record does not keep, so it is not encoded.
     */
    public static void encode(ByteBuf out, Decoded c) {
        if ((c.flags() & FLAG_NONE) != 0) {
            out.writeShortLE(c.flags());
            return;
        }
        CursorShape s = c.shape();
        if (s == null) {
            throw new IllegalArgumentException("cursor " + c.unique() + " with flags " + c.flags() + " has no shape");
        }
        out.writeShortLE(c.flags()).writeLongLE(c.unique()).writeByte(TYPE_ALPHA).writeShortLE(s.width())
                .writeShortLE(s.height()).writeShortLE(s.hotX()).writeShortLE(s.hotY());
        for (int p : s.argb()) {
            out.writeIntLE(p);
        }
    }
}
