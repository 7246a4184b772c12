package org.spice.display.internal.codec;

import org.spice.protocol.SpiceProtocolException;

/** SPICE uncompressed bitmaps (spice.proto {@code bitmap_fmt}): every format, both row orders, palettes. */
public final class BitmapCodec {
    public static final int FMT_1BIT_LE = 1;
    public static final int FMT_1BIT_BE = 2;
    public static final int FMT_4BIT_LE = 3;
    public static final int FMT_4BIT_BE = 4;
    public static final int FMT_8BIT = 5;
    public static final int FMT_16BIT = 6;
    public static final int FMT_24BIT = 7;
    public static final int FMT_32BIT = 8;
    public static final int FMT_RGBA = 9;
    public static final int FMT_8BIT_A = 10;

    private BitmapCodec() {
    }

    /** Bits per pixel of a format, or -1 when the format is unknown. */
    public static int bitsPerPixel(int format) {
        return switch (format) {
            case FMT_1BIT_LE, FMT_1BIT_BE -> 1;
            case FMT_4BIT_LE, FMT_4BIT_BE -> 4;
            case FMT_8BIT, FMT_8BIT_A -> 8;
            case FMT_16BIT -> 16;
            case FMT_24BIT -> 24;
            case FMT_32BIT, FMT_RGBA -> 32;
            default -> -1;
        };
    }

    /**
     * Writes {@code width} pixels from {@code px[from]} into {@code row} at {@code at} as 32-bit bitmap pixels (b,
     * g, r and a zero pad byte); the top byte of the pixels is ignored.
     */
    public static void writeRow32(int[] px, int from, int width, byte[] row, int at) {
        for (int x = 0, o = at; x < width; x++, o += 4) {
            int p = px[from + x];
            row[o] = (byte) p;
            row[o + 1] = (byte) (p >> 8);
            row[o + 2] = (byte) (p >> 16);
            row[o + 3] = 0;
        }
    }

    /** The pixels as an uncompressed top-down 32-bit bitmap: {@code height} rows of {@code 4 * width} bytes. */
    public static byte[] encode32(int width, int height, int[] px, int offset, int stride) {
        QuicEncoder.checkArea(width, height, px, offset, stride, "bitmap");
        byte[] out = new byte[4 * width * height];
        for (int y = 0; y < height; y++) {
            writeRow32(px, offset + y * stride, width, out, 4 * width * y);
        }
        return out;
    }

    /**
     * Decodes {@code height} rows of {@code stride} bytes at {@code data[offset]}.
     *
     * @param palette 0x00RRGGBB entries for the indexed formats, else ignored
     * @param topDown whether the first row is the top one
     */
    public static Pixels decode(int format, int width, int height, int stride, boolean topDown, byte[] data,
            int offset, int[] palette) {
        ImageLimits.check(width, height, "bitmap");
        int bpp = bitsPerPixel(format);
        if (bpp < 0) {
            throw new SpiceProtocolException("bitmap: unknown format " + format);
        }
        long minStride = ((long) width * bpp + 7) / 8;
        if (stride < minStride) {
            throw new SpiceProtocolException("bitmap: stride " + stride + " too small for " + width + " pixels of "
                    + bpp + " bits");
        }
        if (offset < 0 || (long) stride * height > data.length - offset) {
            throw new SpiceProtocolException("bitmap: " + height + " rows of " + stride + " bytes but only "
                    + (data.length - offset) + " bytes present");
        }
        boolean indexed = bpp <= 8 && format != FMT_8BIT_A;
        if (indexed && palette == null) {
            throw new SpiceProtocolException("bitmap: indexed format " + format + " without a palette");
        }
        int[] out = new int[width * height];
        for (int row = 0; row < height; row++) {
            int src = offset + row * stride;
            int dst = (topDown ? row : height - 1 - row) * width;
            for (int x = 0; x < width; x++) {
                out[dst + x] = pixel(format, data, src, x, palette);
            }
        }
        return new Pixels(width, height, out);
    }

    private static int pixel(int format, byte[] d, int row, int x, int[] palette) {
        switch (format) {
            case FMT_32BIT: {
                int p = row + 4 * x;
                return 0xff000000 | (d[p + 2] & 0xff) << 16 | (d[p + 1] & 0xff) << 8 | (d[p] & 0xff);
            }
            case FMT_RGBA: {
                int p = row + 4 * x;
                return (d[p + 3] & 0xff) << 24 | (d[p + 2] & 0xff) << 16 | (d[p + 1] & 0xff) << 8 | (d[p] & 0xff);
            }
            case FMT_24BIT: {
                int p = row + 3 * x;
                return 0xff000000 | (d[p + 2] & 0xff) << 16 | (d[p + 1] & 0xff) << 8 | (d[p] & 0xff);
            }
            case FMT_16BIT: {
                int p = row + 2 * x;
                int v = (d[p] & 0xff) | (d[p + 1] & 0xff) << 8;
                return 0xff000000 | expand5(v >> 10) << 16 | expand5(v >> 5) << 8 | expand5(v);
            }
            case FMT_8BIT_A:
                return (d[row + x] & 0xff) << 24;
            case FMT_8BIT:
                return lookup(palette, d[row + x] & 0xff);
            case FMT_4BIT_BE:
                return lookup(palette, (d[row + x / 2] >> ((x & 1) == 0 ? 4 : 0)) & 0xf);
            case FMT_4BIT_LE:
                return lookup(palette, (d[row + x / 2] >> ((x & 1) == 0 ? 0 : 4)) & 0xf);
            case FMT_1BIT_BE:
                return lookup(palette, (d[row + x / 8] >> (7 - (x & 7))) & 1);
            default: // FMT_1BIT_LE
                return lookup(palette, (d[row + x / 8] >> (x & 7)) & 1);
        }
    }

    private static int expand5(int v) {
        v &= 0x1f;
        return v << 3 | v >> 2;
    }

    private static int lookup(int[] palette, int index) {
        if (index >= palette.length) {
            throw new SpiceProtocolException("bitmap: palette index " + index + " beyond its " + palette.length
                    + " entries");
        }
        return 0xff000000 | palette[index];
    }
}
