package org.spice.display.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

import org.spice.display.video.Lz4DecoderService;
import org.spice.display.video.VideoCodecException;
import org.spice.protocol.SpiceProtocolException;

/**
 * SPICE_IMAGE_TYPE_LZ4: a top-down byte, a bitmap format byte (16BIT, 24BIT, 32BIT or RGBA), then LZ4 blocks, each
 * a big-endian u32 size and a raw LZ4 block. spice-server compresses the rows with LZ4_compress_fast_continue, so
 * a block may copy from every block before it: they decode into one buffer, each with the earlier output as its
 * dictionary. (lz4-java's decompressors take independent blocks only and refuse such back-references as malformed
 * input, hence this decoder.) Rows are packed (no padding) and bottom-up unless the top-down byte is set.
 *
 * <p>A 32BIT image's pixels are B, G, R and an unused byte, which the pixels keep as sent ({@link Pixels#opaque}), as
 * spice-gtk's x8r8g8b8 images do: decoding is then a copy of the blocks' bytes, which a native LZ4 decoder can write
 * straight into the pixels' array.
 */
public final class Lz4Decoder {
    /** Eight bytes of a short copy moved at once. */
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    /** The most scratch bytes a thread keeps: a 1920x1080 32-bit image. */
    static final int KEPT_SCRATCH = 1920 * 1080 * 4;
    /** For a match offset below 8: its smallest multiple of 8 or more (a copy that far back repeats the same bytes). */
    private static final int[] PERIOD = {0, 8, 8, 9, 8, 10, 12, 14};
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();
    /** The most bytes one byte of LZ4 data decodes to. */
    static final long MAX_RATIO = 255;

    private Lz4Decoder() {
    }

    public static Pixels decode(byte[] d, int off, int len, int width, int height) {
        return decode(d, off, len, width, height, null);
    }

    /**
     * As {@link #decode(byte[], int, int, int, int)}, into {@code into} when it holds exactly the image's pixels
     * (see {@link Pixels#array}).
     */
    public static Pixels decode(byte[] d, int off, int len, int width, int height, int[] into) {
        return decode(d, off, len, width, height, into, null);
    }

    /**
     * As {@link #decode(byte[], int, int, int, int, int[])}, the blocks of a 32-bit image decoded by {@code blocks}
     * where that is not null and runs here.
     */
    public static Pixels decode(byte[] d, int off, int len, int width, int height, int[] into,
            Lz4DecoderService blocks) {
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
        int[] px = Pixels.array(into, width, height);
        if (blocks != null && bpp == 4 && decodedBy(blocks, d, off + 2, len - 2, px)) {
            if (!topDown) {
                flipRows(px, width, height);
            }
            return new Pixels(width, height, px, format == BitmapCodec.FMT_32BIT);
        }
        byte[] out = scratch(size);
        int op = 0;
        int rowsDone = 0;
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
            // The rows a block completed become pixels now, while its bytes are still in the cache (a block holds
            // up to 64 KiB of rows), instead of in a second pass over the whole image.
            int rows = op / stride;
            toPixels(out, rowsDone, rows, stride, format, topDown, width, height, px);
            rowsDone = rows;
        }
        if (op != size) {
            throw new SpiceProtocolException("LZ4 image decoded to " + op + " bytes, not the " + size + " of "
                    + width + "x" + height);
        }
        return new Pixels(width, height, px, format == BitmapCodec.FMT_32BIT);
    }

    /** Whether {@code blocks} decoded the blocks into {@code px}: false where it cannot run here. */
    private static boolean decodedBy(Lz4DecoderService blocks, byte[] d, int off, int len, int[] px) {
        try {
            return blocks.decode(d, off, len, px);
        } catch (VideoCodecException e) {
            throw new SpiceProtocolException("LZ4 image does not decode: " + e.getMessage(), e);
        }
    }

    /** Turns the rows of {@code px} upside down (a bottom-up image decoded in the order sent). */
    private static void flipRows(int[] px, int width, int height) {
        int[] row = new int[width];
        for (int top = 0, bottom = height - 1; top < bottom; top++, bottom--) {
            System.arraycopy(px, top * width, row, 0, width);
            System.arraycopy(px, bottom * width, px, top * width, width);
            System.arraycopy(row, 0, px, bottom * width, width);
        }
    }

    /** Turns the decoded rows {@code [from, to)} of {@code out} into pixels of {@code px}. */
    private static void toPixels(byte[] out, int from, int to, int stride, int format, boolean topDown, int width,
            int height, int[] px) {
        if (format == BitmapCodec.FMT_32BIT || format == BitmapCodec.FMT_RGBA) {
            // A bulk copy of little-endian ints (a memory copy here); the top byte stays as sent (see the class).
            IntBuffer ints = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            if (topDown) {
                ints.get(from * width, px, from * width, (to - from) * width);
            } else {
                for (int row = from; row < to; row++) {
                    ints.get(row * width, px, (height - 1 - row) * width, width);
                }
            }
            return;
        }
        for (int row = from; row < to; row++) {
            int p = row * stride;
            int dst = (topDown ? row : height - 1 - row) * width;
            int rowEnd = dst + width;
            if (format == BitmapCodec.FMT_16BIT) {
                for (; dst < rowEnd; dst++, p += 2) {
                    int v = (out[p] & 0xff) | (out[p + 1] & 0xff) << 8;
                    px[dst] = 0xff000000 | expand5(v >> 10) << 16 | expand5(v >> 5) << 8 | expand5(v);
                }
            } else {
                for (; dst < rowEnd; dst++, p += 3) {
                    px[dst] = 0xff000000 | (out[p + 2] & 0xff) << 16 | (out[p + 1] & 0xff) << 8 | (out[p] & 0xff);
                }
            }
        }
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
            if (lit < 15 && (token & 15) < 15 && end - ip >= 18 && in.length - ip >= 16 && limit - op >= 32
                    && out.length - op >= 40) {
                // The usual sequence in one go: up to 14 literals, a match of up to 18 bytes at least 8 back.
                LE_LONG.set(out, op, (long) LE_LONG.get(in, ip));
                LE_LONG.set(out, op + 8, (long) LE_LONG.get(in, ip + 8));
                ip += lit;
                op += lit;
                int offset = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8;
                if (offset >= 8 && offset <= op) {
                    ip += 2;
                    int from = op - offset;
                    LE_LONG.set(out, op, (long) LE_LONG.get(out, from));
                    LE_LONG.set(out, op + 8, (long) LE_LONG.get(out, from + 8));
                    LE_LONG.set(out, op + 16, (long) LE_LONG.get(out, from + 16));
                    op += (token & 15) + 4;
                    continue;
                }
                lit = 0; // literals done; the match below takes the general path
            }
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
            if (match <= 64 && out.length - op >= match + 16) {
                if (offset < 8) {
                    // A short period (a run of one pixel repeats 4 bytes back): lay out its first bytes one by one
                    // until they span a multiple of the period of 8 or more, after which every 8-byte move reads
                    // bytes already final. The few bytes written past the match are overwritten next.
                    int period = PERIOD[offset];
                    for (int k = 0; k < period; k++) {
                        out[op + k] = out[from + k];
                    }
                    for (int k = period; k < match; k += 8) {
                        LE_LONG.set(out, op + k, (long) LE_LONG.get(out, op + k - period));
                    }
                } else {
                    // 8 or more bytes back, in 8-byte moves: each reads only bytes before op or written by an
                    // earlier move; the few written past the match are overwritten next. The first 16 bytes are
                    // moved whatever the length (most matches are that short), without a loop to mispredict.
                    LE_LONG.set(out, op, (long) LE_LONG.get(out, from));
                    LE_LONG.set(out, op + 8, (long) LE_LONG.get(out, from + 8));
                    for (int k = 16; k < match; k += 8) {
                        LE_LONG.set(out, op + k, (long) LE_LONG.get(out, from + k));
                    }
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
