package org.spice.display.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.spice.protocol.SpiceProtocolException;

/**
 * SPICE_IMAGE_TYPE_LZ4: a top-down byte, a bitmap format byte (16BIT, 24BIT, 32BIT or RGBA), then LZ4 blocks, each
 * a big-endian u32 size and a raw LZ4 block. spice-server compresses the rows with LZ4_compress_fast_continue, so
 * a block may copy from every block before it: they decode into one buffer, each with the earlier output as its
 * dictionary. (lz4-java's decompressors take independent blocks only and refuse such back-references as malformed
 * input, hence this decoder.) Rows are packed (no padding) and bottom-up unless the top-down byte is set.
 */
public final class Lz4Decoder {
    /** A 32-bit pixel (b, g, r, x or a) read in one load. */
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    /** Eight bytes of a short copy moved at once. */
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    /** The most scratch bytes a thread keeps: a 1920x1080 32-bit image. */
    static final int KEPT_SCRATCH = 1920 * 1080 * 4;
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();
    /** The most bytes one byte of LZ4 data decodes to. */
    static final long MAX_RATIO = 255;

    private Lz4Decoder() {
    }

    public static Pixels decode(byte[] d, int off, int len, int width, int height) {
        ImageLimits.check(width, height, "LZ4");
        if (len < 2) {
            throw new SpiceProtocolException("LZ4 image of " + len + " bytes");
        }
        boolean topDown = d[off] != 0;
        int format = d[off + 1] & 0xff;
        int bpp = switch (format) {
            case BitmapCodec.FMT_16BIT -> 2;
            case BitmapCodec.FMT_24BIT -> 3;
            case BitmapCodec.FMT_32BIT, BitmapCodec.FMT_RGBA -> 4;
            default -> throw new SpiceProtocolException("LZ4 image of bitmap format " + format);
        };
        int stride = width * bpp;
        // A byte of LZ4 yields at most 255 bytes (a match length's extension byte), so data that cannot hold the
        // picture is refused before the picture's memory is taken.
        if ((long) stride * height > MAX_RATIO * (len - 2)) {
            throw new SpiceProtocolException("LZ4 image of " + len + " bytes cannot hold " + width + "x" + height
                    + " pixels");
        }
        int size = stride * height;
        byte[] out = scratch(size);
        int op = 0;
        int ip = off + 2;
        int end = off + len;
        while (ip < end) {
            if (end - ip < 4) {
                throw new SpiceProtocolException("LZ4 block size cut short");
            }
            long blockSize = (d[ip] & 0xffL) << 24 | (d[ip + 1] & 0xff) << 16 | (d[ip + 2] & 0xff) << 8
                    | (d[ip + 3] & 0xff);
            ip += 4;
            if (blockSize > end - ip) {
                throw new SpiceProtocolException("LZ4 block of " + blockSize + " bytes but " + (end - ip) + " left");
            }
            op = block(d, ip, ip + (int) blockSize, out, op, size);
            ip += (int) blockSize;
        }
        if (op != size) {
            throw new SpiceProtocolException("LZ4 image decoded to " + op + " bytes, not the " + size + " of "
                    + width + "x" + height);
        }
        int[] px = new int[width * height];
        for (int row = 0; row < height; row++) {
            int p = (topDown ? row : height - 1 - row) * stride;
            int dst = row * width;
            int rowEnd = dst + width;
            switch (format) {
                case BitmapCodec.FMT_16BIT -> {
                    for (; dst < rowEnd; dst++, p += 2) {
                        int v = (out[p] & 0xff) | (out[p + 1] & 0xff) << 8;
                        px[dst] = 0xff000000 | expand5(v >> 10) << 16 | expand5(v >> 5) << 8 | expand5(v);
                    }
                }
                case BitmapCodec.FMT_24BIT -> {
                    for (; dst < rowEnd; dst++, p += 3) {
                        px[dst] = 0xff000000 | (out[p + 2] & 0xff) << 16 | (out[p + 1] & 0xff) << 8 | (out[p] & 0xff);
                    }
                }
                case BitmapCodec.FMT_32BIT -> {
                    for (; dst < rowEnd; dst++, p += 4) {
                        px[dst] = 0xff000000 | (int) LE_INT.get(out, p);
                    }
                }
                default -> {
                    for (; dst < rowEnd; dst++, p += 4) {
                        px[dst] = (int) LE_INT.get(out, p);
                    }
                }
            }
        }
        return new Pixels(width, height, px);
    }

    /**
     * The thread's buffer for the bytes an image inflates to before they become pixels: kept between images up to
     * {@link #KEPT_SCRATCH} bytes, so that a client decoding frame after frame neither allocates nor zeroes megabytes
     * each time and the bytes stay in the cache. The decoder writes every byte of an image before it reads it.
     */
    private static byte[] scratch(int size) {
        byte[] b = SCRATCH.get();
        if (b != null && b.length >= size) {
            return b;
        }
        b = new byte[size];
        if (size <= KEPT_SCRATCH) {
            SCRATCH.set(b);
        }
        return b;
    }

    private static int expand5(int v) {
        v &= 0x1f;
        return v << 3 | v >> 2;
    }

    /**
     * Decodes one raw LZ4 block {@code in[ip..end)} into {@code out} from {@code op}, up to {@code limit} bytes
     * ({@code out} may be longer); matches may reach back into everything already in {@code out}. Returns the new
     * output position.
     */
    static int block(byte[] in, int ip, int end, byte[] out, int op, int limit) {
        while (ip < end) {
            int token = in[ip++] & 0xff;
            int lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (ip >= end) {
                        throw new SpiceProtocolException("LZ4 literal length cut short");
                    }
                    b = in[ip++] & 0xff;
                    lit += b;
                    if (lit > end - ip) {
                        // already longer than the rest of the block; checked here so it cannot overflow an int
                        throw new SpiceProtocolException("LZ4 literals of " + lit + "+ bytes overrun the block");
                    }
                } while (b == 255);
            }
            if (lit > end - ip || lit > limit - op) {
                throw new SpiceProtocolException("LZ4 literals of " + lit + " bytes overrun the "
                        + (lit > end - ip ? "block" : "image"));
            }
            if (lit <= 16 && in.length - ip >= 16 && out.length - op >= 16) {
                // Most literal runs are short: two 8-byte moves instead of an arraycopy call. The bytes written past
                // the run are within the arrays and overwritten by what the stream decodes next.
                LE_LONG.set(out, op, (long) LE_LONG.get(in, ip));
                LE_LONG.set(out, op + 8, (long) LE_LONG.get(in, ip + 8));
            } else {
                System.arraycopy(in, ip, out, op, lit);
            }
            ip += lit;
            op += lit;
            if (ip == end) {
                break; // the last sequence has literals only
            }
            if (end - ip < 2) {
                throw new SpiceProtocolException("LZ4 match offset cut short");
            }
            int offset = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8;
            ip += 2;
            if (offset == 0 || offset > op) {
                throw new SpiceProtocolException("LZ4 match offset " + offset + " before the start of the image");
            }
            int match = token & 15;
            if (match == 15) {
                int b;
                do {
                    if (ip >= end) {
                        throw new SpiceProtocolException("LZ4 match length cut short");
                    }
                    b = in[ip++] & 0xff;
                    match += b;
                    if (match > limit - op) {
                        // checked here so it cannot overflow an int
                        throw new SpiceProtocolException("LZ4 match of " + match + "+ bytes overruns the image");
                    }
                } while (b == 255);
            }
            match += 4;
            if (match > limit - op) {
                throw new SpiceProtocolException("LZ4 match of " + match + " bytes overruns the image");
            }
            int from = op - offset;
            if (offset >= 8 && match <= 64 && out.length - op >= match + 8) {
                // A short match 8 or more bytes back, in 8-byte moves: each reads only bytes already final (those
                // before op, or written by an earlier move); the few written past the match are overwritten next.
                for (int k = 0; k < match; k += 8) {
                    LE_LONG.set(out, op + k, (long) LE_LONG.get(out, from + k));
                }
                op += match;
                continue;
            }
            // an overlapping match repeats its last offset bytes: copy what exists, doubling each time
            for (int left = match; left > 0; ) {
                int n = Math.min(left, op - from);
                System.arraycopy(out, from, out, op, n);
                op += n;
                left -= n;
            }
        }
        return op;
    }
}
