package org.spice.display.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import org.spice.display.internal.codec.QuicFormat.Component;
import org.spice.display.internal.codec.QuicFormat.RgbModel;
import org.spice.display.internal.codec.QuicFormat.State;

/**
 * Encoder of SPICE QUIC images, the mirror image of {@link QuicDecoder}: the same adaptive Golomb-Rice model, run
 * coder and pseudo-random model update schedule ({@link QuicFormat}), so that for an RGB32 image it writes the very
 * bytes spice-server writes (checked against the streams QEMU sent). It writes every QUIC type: GRAY (the blue
 * component), RGB16 (the top 5 bits of each colour component), RGB24 and RGB32 (colour only), RGBA (colour, then
 * alpha as its own plane).
 *
 * <p>Pixels are 0xAARRGGBB ints, {@code width} per row at {@code offset + row * stride}, top row first (QUIC has
 * no orientation flag: the decoder always gets the top row first). Arguments are the server's own pictures, not
 * network input: a size outside {@link ImageLimits} or a range outside the array throws
 * {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}.
 */
public final class QuicEncoder {
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    /** The largest output buffer a thread keeps between images: the first guess for a 1920x1080 RGB image. */
    static final int KEPT_SCRATCH = 64 + 1920 * 1080 * 3;
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    private final QuicFamily family;
    private final int mask;
    private final int[] fold;
    private final int[] bucketOf;
    private final int[] escapeBase;
    private final int[] escapeLength;
    private final int[] codeword;

    // the bit writer: words go to out[] little-endian; acc holds accBits pending bits in its low end
    private byte[] out;
    private int outPos;
    private long acc;
    private int accBits;

    /** The model of RGB24 and RGB32 images ({@code rgbImage}). */
    private RgbModel rgb;

    private QuicEncoder(QuicFamily family, int capacity) {
        this.family = family;
        this.mask = family.mask;
        this.fold = family.fold;
        this.bucketOf = family.bucketOf;
        this.escapeBase = family.escapeBase;
        this.escapeLength = family.escapeLength;
        this.codeword = family.codeword;
        this.out = scratch(Math.max(64, capacity));
    }

    /** An opaque image as RGB32 (the alpha byte of the pixels is ignored). */
    public static byte[] encodeRgb32(int width, int height, int[] pixels, int offset, int stride) {
        return encode(QuicFormat.TYPE_RGB32, width, height, pixels, offset, stride);
    }

    /** An image with alpha as RGBA: the colour plane, then the alpha plane. */
    public static byte[] encodeRgba(int width, int height, int[] pixels, int offset, int stride) {
        return encode(QuicFormat.TYPE_RGBA, width, height, pixels, offset, stride);
    }

    /**
     * Encodes {@code width x height} pixels as QUIC image {@code type} ({@link QuicFormat#TYPE_GRAY} ..
     * {@link QuicFormat#TYPE_RGBA}).
     *
     * @return the QUIC stream: header words, the rows, zero padding and the closing zero word
     */
    public static byte[] encode(int type, int width, int height, int[] pixels, int offset, int stride) {
        if (type < QuicFormat.TYPE_GRAY || type > QuicFormat.TYPE_RGBA) {
            throw new IllegalArgumentException("QUIC image type " + type);
        }
        checkArea(width, height, pixels, offset, stride, "QUIC");
        QuicFamily family = type == QuicFormat.TYPE_RGB16 ? QuicFamily.BPC5 : QuicFamily.BPC8;
        int planes = type == QuicFormat.TYPE_GRAY ? 1 : type == QuicFormat.TYPE_RGBA ? 4 : 3;
        // A guess at the output (photos need about 2 bytes per colour component at worst); the buffer grows.
        long guess = 64 + (long) width * height * planes;
        QuicEncoder e = new QuicEncoder(family, (int) Math.min(guess, 1 << 26));
        e.word(QuicFormat.MAGIC);
        e.word(QuicFormat.VERSION);
        e.word(type);
        e.word(width);
        e.word(height);
        e.image(type, width, height, pixels, offset, stride);
        return e.finish();
    }

    /** Checks the size against {@link ImageLimits} and that every pixel lies inside {@code pixels}. */
    static void checkArea(int width, int height, int[] pixels, int offset, int stride, String codec) {
        Objects.requireNonNull(pixels, "pixels");
        if (width <= 0 || height <= 0 || width > ImageLimits.MAX_SIDE || height > ImageLimits.MAX_SIDE
                || (long) width * height > ImageLimits.MAX_PIXELS) {
            throw new IllegalArgumentException(codec + ": image size " + width + "x" + height + " outside the limits");
        }
        if (stride < width) {
            throw new IllegalArgumentException(codec + ": stride " + stride + " below width " + width);
        }
        long last = offset + (long) (height - 1) * stride + width;
        if (offset < 0 || last > pixels.length) {
            throw new IndexOutOfBoundsException(codec + ": " + width + "x" + height + " pixels at " + offset
                    + " with stride " + stride + " reach past the " + pixels.length + " of the array");
        }
    }

    private void image(int type, int width, int height, int[] px, int offset, int stride) {
        if (type == QuicFormat.TYPE_RGB24 || type == QuicFormat.TYPE_RGB32) {
            rgbImage(width, height, px, offset, stride);
            return;
        }
        boolean gray = type == QuicFormat.TYPE_GRAY;
        Component a = new Component(family, width);
        Component b = gray ? null : new Component(family, width);
        Component c = gray ? null : new Component(family, width);
        State colorState = new State();
        Component alpha = type == QuicFormat.TYPE_RGBA ? new Component(family, width)
                : null;
        State alphaState = alpha == null ? null : new State();
        for (int y = 0; y < height; y++) {
            boolean first = y == 0;
            a.startRow(first);
            if (!gray) {
                b.startRow(first);
                c.startRow(first);
            }
            int row = offset + y * stride;
            int[] ra = a.cur;
            if (gray) {
                for (int x = 0; x < width; x++) {
                    ra[x] = px[row + x] & 0xff;
                }
            } else if (type == QuicFormat.TYPE_RGB16) {
                int[] rb = b.cur;
                int[] rc = c.cur;
                for (int x = 0; x < width; x++) {
                    int p = px[row + x];
                    ra[x] = (p >>> 19) & 0x1f;
                    rb[x] = (p >>> 11) & 0x1f;
                    rc[x] = (p >>> 3) & 0x1f;
                }
            } else {
                int[] rb = b.cur;
                int[] rc = c.cur;
                for (int x = 0; x < width; x++) {
                    int p = px[row + x];
                    ra[x] = (p >>> 16) & 0xff;
                    rb[x] = (p >>> 8) & 0xff;
                    rc[x] = p & 0xff;
                }
            }
            row(a, b, c, colorState, width, first);
            if (alpha != null) {
                alpha.startRow(first);
                int[] al = alpha.cur;
                for (int x = 0; x < width; x++) {
                    al[x] = px[row + x] >>> 24;
                }
                row(alpha, null, null, alphaState, width, first);
            }
        }
    }

    /**
     * RGB24 and RGB32, what spice-server sends: the same model and schedule as {@link #row} and {@link #segment}
     * with three components, but reading the components straight from the pixels (the other types copy each row
     * into component rows first). Runs compare the colour bytes of whole pixels.
     */
    private void rgbImage(int width, int height, int[] px, int offset, int stride) {
        rgb = new RgbModel(width);
        State st = new State();
        for (int y = 0; y < height; y++) {
            boolean firstRow = y == 0;
            rgb.startRow(firstRow);
            int at = offset + y * stride;
            int pos = 0;
            int left = width;
            while (st.waitIndex < QuicFormat.WAIT_MASK_MAX && st.waitLeft <= left) {
                if (st.waitLeft != 0) {
                    rgbSegment(px, at, stride, st, firstRow, pos, pos + st.waitLeft);
                    pos += st.waitLeft;
                    left -= st.waitLeft;
                }
                st.nextWaitIndex();
            }
            if (left != 0) {
                rgbSegment(px, at, stride, st, firstRow, pos, pos + left);
                if (st.waitIndex < QuicFormat.WAIT_MASK_MAX) {
                    st.waitLeft -= left;
                }
            }
        }
    }

    /** {@link #segment} for pixels {@code [i, end)} of the RGB row starting at {@code px[at]}. */
    private void rgbSegment(int[] px, int at, int stride, State st, boolean firstRow, int i, int end) {
        int waitMask = (1 << st.waitIndex) - 1;
        int stop;
        if (i == 0) {
            rgbPixel(0, px[at], firstRow ? 0 : px[at - stride]);
            if (st.waitCount != 0) {
                st.waitCount--;
            } else {
                st.waitCount = st.nextRandom() & waitMask;
                rgb.updateAt(st, 0);
            }
            i = 1;
            stop = 1 + st.waitCount;
        } else {
            stop = i + st.waitCount;
        }
        if (firstRow) {
            while (stop < end) {
                for (; i <= stop; i++) {
                    rgbPixel(i, px[at + i], px[at + i - 1]);
                }
                rgb.updateAt(st, stop);
                stop = i + (st.nextRandom() & waitMask);
            }
            for (; i < end; i++) {
                rgbPixel(i, px[at + i], px[at + i - 1]);
            }
            st.waitCount = stop - end;
            return;
        }
        int runStart = 0;
        for (;;) {
            for (;;) {
                boolean full = stop < end;
                int limit = full ? stop + 1 : end;
                i = rgbFromMean(px, at, at - stride, i, limit, runStart);
                if (i < limit) {
                    break; // a run starts at i
                }
                if (!full) {
                    st.waitCount = stop - end;
                    return;
                }
                rgb.updateAt(st, stop);
                stop = i + (st.nextRandom() & waitMask);
            }
            st.waitCount = stop - i;
            runStart = i;
            int length = 0;
            int last = px[at + i - 1];
            while (i < end && ((px[at + i] ^ last) & 0xffffff) == 0) {
                length++;
                i++;
            }
            writeRun(st, length);
            if (i == end) {
                return;
            }
            stop = i + st.waitCount;
        }
    }

    /** Codes pixel {@code i} of an RGB row, each component predicted by the same component of {@code predicted}. */
    private void rgbPixel(int i, int pixel, int predicted) {
        int[] folded = rgb.folded;
        int contexts = folded[i];
        int values = 0;
        for (int k = 0, shift = 16; k < 3; k++, shift -= 8) {
            int value = fold[((pixel >>> shift) - (predicted >>> shift)) & 0xff];
            values |= value << shift;
            putCode((rgb.codeOf[k * 256 + ((contexts >>> shift) & 0xff)] >>> 8) & 0xff, value);
        }
        folded[i + 1] = values;
    }

    /**
     * The pixels of most rows: codes pixels {@code [i, limit)} of an RGB row below the first, each component
     * predicted by the mean of its left and upper neighbours, and stops where a run may start.
     *
     * <p>This loop is {@link #code} and {@link #put} for red, green and blue written out, with the bit writer's
     * state in local variables (stored back on return), the three contexts (the previous pixel's folded values) in
     * one local, the three components' means taken at once, each codeword looked up whole in
     * {@link QuicFamily#codeword}, and the three codewords appended as one when they fit in 32 bits (most pixels):
     * a loop over the components, a call per component, a branch on the escape or a check for a full word after
     * each codeword costs more than the coding itself. The longer codewords are appended one by one, written out
     * as well: calling {@link #put} for them measured 4 % slower on the desktop screen, a loop over the three 11 %.
     *
     * @return {@code limit}, or the pixel where a run starts
     */
    private int rgbFromMean(int[] px, int at, int up, int i, int limit, int runStart) {
        long acc = this.acc;
        int accBits = this.accBits;
        byte[] out = this.out;
        int outPos = this.outPos;
        int[] folded = rgb.folded;
        int[] codeOf = rgb.codeOf;
        int[] codeword = this.codeword;
        int contexts = folded[i];
        // room for the pixels' codewords (three of at most 31 bits a pixel) and the word stored ahead of them, so
        // that the loop does not test for it
        while (out.length - outPos < (limit - i) * 12L + 8) {
            out = grown(out);
        }
        // the neighbours move along in registers: the pixel just coded is the next one's left
        int left = px[at + i - 1];
        int leftOfLeft = i > 1 ? px[at + i - 2] : 0;
        int aboveLeft = px[up + i - 1];
        for (; i < limit; i++) {
            int above = px[up + i];
            if (((left ^ leftOfLeft) & 0xffffff) == 0 && ((above ^ aboveLeft) & 0xffffff) == 0 && i > 2
                    && runStart != i) {
                break;
            }
            // the rounded-down mean of every byte of left and above: no carry crosses a byte
            int mean = (left & above) + (((left ^ above) & 0xfefefefe) >>> 1);
            int pixel = px[at + i];
            // folding is the zigzag map of the difference taken as a signed byte: 0, -1, 1, -2 become 0, 1, 2, 3
            int dr = (pixel >>> 16) - (mean >>> 16) << 24 >> 24;
            int red = dr << 1 ^ dr >> 31;
            int dg = (pixel >>> 8) - (mean >>> 8) << 24 >> 24;
            int green = dg << 1 ^ dg >> 31;
            int db = pixel - mean << 24 >> 24;
            int blue = db << 1 ^ db >> 31;
            int cr = codeword[codeOf[contexts >>> 16] & 0xff00 | red];
            int cg = codeword[codeOf[256 + ((contexts >>> 8) & 0xff)] & 0xff00 | green];
            int cb = codeword[codeOf[512 + (contexts & 0xff)] & 0xff00 | blue];
            contexts = red << 16 | green << 8 | blue;
            folded[i + 1] = contexts;

            int lr = cr & 31;
            int lg = cg & 31;
            int lb = cb & 31;
            int bits = lr + lg + lb;
            if (bits <= 32) {
                // the usual case: the three codewords go in as one, and the word is stored whether it is full or
                // not (a word not full is stored again when it is): on a photo about every second pixel fills a
                // word, at random, and a branch on it measured slower than the store (docs/codec-bench.md)
                acc = acc << bits | ((long) (cr >>> 5) << (lg + lb) | (long) (cg >>> 5) << lb | cb >>> 5);
                accBits += bits;
                int full = accBits >>> 5;
                accBits -= full << 5;
                LE_INT.set(out, outPos, (int) (acc >>> accBits));
                outPos += full << 2;
            } else {
                acc = acc << lr | cr >>> 5;
                accBits += lr;
                if (accBits >= 32) {
                    accBits -= 32;
                    LE_INT.set(out, outPos, (int) (acc >>> accBits));
                    outPos += 4;
                }
                acc = acc << lg | cg >>> 5;
                accBits += lg;
                if (accBits >= 32) {
                    accBits -= 32;
                    LE_INT.set(out, outPos, (int) (acc >>> accBits));
                    outPos += 4;
                }
                acc = acc << lb | cb >>> 5;
                accBits += lb;
                if (accBits >= 32) {
                    accBits -= 32;
                    LE_INT.set(out, outPos, (int) (acc >>> accBits));
                    outPos += 4;
                }
            }
            leftOfLeft = left;
            left = pixel;
            aboveLeft = above;
        }
        this.acc = acc;
        this.accBits = accBits;
        this.out = out;
        this.outPos = outPos;
        return i;
    }

    /** One row, cut where the wait mask index grows, exactly as the decoder cuts it. */
    private void row(Component a, Component b, Component c,
            State st, int width, boolean first) {
        int pos = 0;
        int left = width;
        while (st.waitIndex < QuicFormat.WAIT_MASK_MAX && st.waitLeft <= left) {
            if (st.waitLeft != 0) {
                segment(a, b, c, st, first, pos, pos + st.waitLeft);
                pos += st.waitLeft;
                left -= st.waitLeft;
            }
            st.nextWaitIndex();
        }
        if (left != 0) {
            segment(a, b, c, st, first, pos, pos + left);
            if (st.waitIndex < QuicFormat.WAIT_MASK_MAX) {
                st.waitLeft -= left;
            }
        }
    }

    private void segment(Component a, Component b, Component c,
            State st, boolean first, int i, int end) {
        int waitMask = (1 << st.waitIndex) - 1;
        int stop;
        if (i == 0) {
            codeFirst(a, first);
            if (b != null) {
                codeFirst(b, first);
                codeFirst(c, first);
            }
            if (st.waitCount != 0) {
                st.waitCount--;
            } else {
                st.waitCount = st.nextRandom() & waitMask;
                QuicFormat.updateAt(family, a, b, c, st, 0);
            }
            i = 1;
            stop = 1 + st.waitCount;
        } else {
            stop = i + st.waitCount;
        }
        if (first) {
            while (stop < end) {
                for (; i <= stop; i++) {
                    fromLeft(a, i);
                    if (b != null) {
                        fromLeft(b, i);
                        fromLeft(c, i);
                    }
                }
                QuicFormat.updateAt(family, a, b, c, st, stop);
                stop = i + (st.nextRandom() & waitMask);
            }
            for (; i < end; i++) {
                fromLeft(a, i);
                if (b != null) {
                    fromLeft(b, i);
                    fromLeft(c, i);
                }
            }
            st.waitCount = stop - end;
            return;
        }
        int runStart = 0;
        for (;;) {
            boolean run = false;
            for (;;) {
                boolean full = stop < end;
                int limit = full ? stop + 1 : end;
                for (; i < limit; i++) {
                    if (i > 2 && runStart != i && QuicFormat.runPredicted(a, b, c, i)) {
                        run = true;
                        break;
                    }
                    fromMean(a, i);
                    if (b != null) {
                        fromMean(b, i);
                        fromMean(c, i);
                    }
                }
                if (run) {
                    break;
                }
                if (!full) {
                    st.waitCount = stop - end;
                    return;
                }
                QuicFormat.updateAt(family, a, b, c, st, stop);
                stop = i + (st.nextRandom() & waitMask);
            }
            st.waitCount = stop - i;
            runStart = i;
            int length = 0;
            while (i < end && samePixel(a, b, c, i)) {
                length++;
                i++;
            }
            writeRun(st, length);
            if (i == end) {
                return;
            }
            stop = i + st.waitCount;
        }
    }

    private static boolean samePixel(Component a, Component b, Component c,
            int i) {
        return a.cur[i] == a.cur[i - 1] && (b == null || b.cur[i] == b.cur[i - 1] && c.cur[i] == c.cur[i - 1]);
    }

    private void codeFirst(Component k, boolean firstRow) {
        int diff = firstRow ? k.cur[0] : k.cur[0] - k.prev[0];
        code(k, 0, fold[diff & mask]);
    }

    private void fromLeft(Component k, int i) {
        int[] cur = k.cur;
        code(k, i, fold[(cur[i] - cur[i - 1]) & mask]);
    }

    private void fromMean(Component k, int i) {
        int[] cur = k.cur;
        code(k, i, fold[(cur[i] - ((cur[i - 1] + k.prev[i]) >>> 1)) & mask]);
    }

    /** Writes the folded value of pixel {@code i} with the best code of its context. */
    private void code(Component k, int i, int value) {
        int[] folded = k.folded;
        folded[i + 1] = value;
        putCode(k.bestCode[bucketOf[folded[i]]], value);
    }

    /** Writes a folded value with Golomb-Rice code {@code code}. */
    private void putCode(int code, int value) {
        if (value < escapeBase[code]) {
            put((1 << code) | (value & ((1 << code) - 1)), (value >>> code) + code + 1);
        } else {
            put(value - escapeBase[code], escapeLength[code]);
        }
    }

    /** A run length: a 1 bit per full unit (the unit growing with every hit), a 0 bit, the rest in runOrder bits. */
    private void writeRun(State st, int length) {
        int hits = 0;
        while (length >= 1 << st.runOrder) {
            hits++;
            length -= 1 << st.runOrder;
            if (st.runState < QuicFormat.RUN_ORDER.length - 1) {
                st.runOrder = QuicFormat.RUN_ORDER[++st.runState];
            }
        }
        for (; hits >= 16; hits -= 16) {
            put(0xffff, 16);
        }
        if (hits > 0) {
            put((1 << hits) - 1, hits);
        }
        put(length, st.runOrder + 1);
        if (st.runState != 0) {
            st.runOrder = QuicFormat.RUN_ORDER[--st.runState];
        }
    }

    /** Appends the low {@code length} bits of {@code value} (1 to 32 bits; higher bits of value are zero). */
    private void put(int value, int length) {
        acc = (acc << length) | (value & 0xffffffffL);
        accBits += length;
        if (accBits >= 32) {
            accBits -= 32;
            emit((int) (acc >>> accBits));
        }
    }

    private void word(int value) {
        put(value, 32);
    }

    private void emit(int w) {
        if (outPos + 4 > out.length) {
            out = grown(out);
        }
        LE_INT.set(out, outPos, w);
        outPos += 4;
    }

    private static byte[] grown(byte[] out) {
        if (out.length >= Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("QUIC: encoded image exceeds 2 GB");
        }
        return Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 8, out.length * 2L));
    }

    /** Pads the last word with zero bits and adds one zero word, as the reference encoder ends its streams. */
    private byte[] finish() {
        if (accBits != 0) {
            emit((int) (acc << (32 - accBits)));
            accBits = 0;
        }
        emit(0);
        byte[] stream = Arrays.copyOf(out, outPos);
        if (out.length <= KEPT_SCRATCH) {
            SCRATCH.set(out);
        }
        return stream;
    }

    /**
     * The thread's output buffer: kept between images up to {@link #KEPT_SCRATCH} bytes, so that a server encoding
     * frame after frame neither allocates nor zeroes megabytes for each (the stream is copied out at the end, and
     * only the bytes written are copied).
     */
    private static byte[] scratch(int size) {
        byte[] b = SCRATCH.get();
        return b != null && b.length >= size ? b : new byte[size];
    }
}
