package org.spice.display.internal.codec;

import static org.spice.display.internal.codec.QuicFormat.HEADER_WORDS;
import static org.spice.display.internal.codec.QuicFormat.MAGIC;
import static org.spice.display.internal.codec.QuicFormat.RUN_ORDER;
import static org.spice.display.internal.codec.QuicFormat.TYPE_GRAY;
import static org.spice.display.internal.codec.QuicFormat.TYPE_RGB16;
import static org.spice.display.internal.codec.QuicFormat.TYPE_RGB24;
import static org.spice.display.internal.codec.QuicFormat.TYPE_RGB32;
import static org.spice.display.internal.codec.QuicFormat.TYPE_RGBA;
import static org.spice.display.internal.codec.QuicFormat.VERSION;
import static org.spice.display.internal.codec.QuicFormat.WAIT_MASK_MAX;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import org.spice.display.internal.codec.QuicFormat.Component;
import org.spice.display.internal.codec.QuicFormat.RgbModel;
import org.spice.display.internal.codec.QuicFormat.State;
import org.spice.protocol.SpiceProtocolException;

/**
 * Decoder of SPICE QUIC images (SPICE_IMAGE_TYPE_QUIC), a lossless adaptive Golomb-Rice coder with per-component
 * context models and run-length coding.
 *
 * <p>Stream layout: five 32-bit little-endian header words (magic {@code "QUIC"}, version 0, image type, width,
 * height) followed by the bit stream of the rows, top row first, each 32-bit word little-endian and read from its
 * most significant bit. QUIC carries no orientation flag: the server always encodes the top row first, turning
 * bottom-up bitmaps around before it encodes them.
 *
 * <p>Per row, the colour components of every pixel are decoded together (red, green, blue, sharing one adaptation
 * state); an RGBA image then decodes the alpha row on its own with its own state. RGB16 components are 5-bit and
 * are widened to 8 bits by repeating their top bits ({@code v << 3 | v >> 2}), as spice-gtk's canvas does. GRAY
 * decodes to equal red, green and blue. RGBA alpha is returned as coded (SPICE surfaces hold premultiplied
 * colour).
 *
 * <p>Every malformed input fails with a {@link SpiceProtocolException}; the pixel buffer is allocated only after
 * {@link ImageLimits#check} and a check that the data can hold the image, and the decoder's work is bounded by the
 * image size and the input length. Like spice-gtk, the decoder ignores data after the end of the image; unlike
 * spice-gtk, it insists on the encoder's end marker (the 32 bits after the last pixel are zero), which rejects
 * streams that are garbage but happen to decode.
 */
public final class QuicDecoder {
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final QuicBitReader in;
    private final QuicFamily family;
    private final int[] unfold;
    private final int[] bucketOf;
    private final int mask;

    /** The model of RGB24 and RGB32 images ({@code rgbImage}). */
    private RgbModel rgb;

    private QuicDecoder(QuicBitReader in, QuicFamily family) {
        this.in = in;
        this.family = family;
        this.unfold = family.unfold;
        this.bucketOf = family.bucketOf;
        this.mask = family.mask;
    }

    /**
     * Decodes the QUIC stream in {@code data[offset, offset + length)} (the image's data, after its
     * {@code data_size} field).
     *
     * @return the pixels, top row first; opaque types have alpha 0xff
     * @throws SpiceProtocolException if the data is not a valid QUIC image
     * @throws IndexOutOfBoundsException if the range lies outside {@code data}
     */
    public static Pixels decode(byte[] data, int offset, int length) {
        return decode(data, offset, length, null);
    }

    /**
     * As {@link #decode(byte[], int, int)}, into {@code into} when it holds exactly the image's pixels (see
     * {@link Pixels#array}).
     */
    public static Pixels decode(byte[] data, int offset, int length, int[] into) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length < 4) {
            throw new SpiceProtocolException("QUIC data truncated: " + length + " bytes, no header");
        }
        int magic = header(data, offset, 0);
        if (magic != MAGIC) {
            throw new SpiceProtocolException(String.format("QUIC: bad magic 0x%08x", magic));
        }
        if (length < HEADER_WORDS * 4) {
            throw new SpiceProtocolException("QUIC data truncated: " + length + " bytes, shorter than the header");
        }
        int version = header(data, offset, 1);
        if (version != VERSION) {
            throw new SpiceProtocolException(String.format("QUIC: unsupported version 0x%08x", version));
        }
        int type = header(data, offset, 2);
        if (type < TYPE_GRAY || type > TYPE_RGBA) {
            throw new SpiceProtocolException("QUIC: unknown image type " + Integer.toUnsignedString(type));
        }
        long width = Integer.toUnsignedLong(header(data, offset, 3));
        long height = Integer.toUnsignedLong(header(data, offset, 4));
        ImageLimits.check(width, height, "QUIC");
        // Every pixel of the first row and the first three of every other row are coded (runs start at the
        // fourth pixel at the earliest), each component in at least one bit, and the encoder ends the stream
        // with at least 32 zero bits: a shorter stream is truncated, whatever its content.
        int components = type == TYPE_GRAY ? 1 : type == TYPE_RGBA ? 4 : 3;
        long minBits = components * (width + (height - 1) * Math.min(width, 3)) + 32;
        long bits = (long) ((length - HEADER_WORDS * 4) >>> 2) * 32;
        if (bits < minBits) {
            throw new SpiceProtocolException("QUIC data truncated: " + length + " bytes cannot hold a " + width
                    + "x" + height + " image of type " + type);
        }
        QuicBitReader in = new QuicBitReader(data, offset + HEADER_WORDS * 4, length - HEADER_WORDS * 4);
        QuicFamily family = type == TYPE_RGB16 ? QuicFamily.BPC5 : QuicFamily.BPC8;
        return new QuicDecoder(in, family).image(type, (int) width, (int) height, into);
    }

    private static int header(byte[] data, int offset, int word) {
        return (int) LE_INT.get(data, offset + 4 * word);
    }

    private Pixels image(int type, int width, int height, int[] into) {
        int[] argb = Pixels.array(into, width, height);
        if (type == TYPE_RGB24 || type == TYPE_RGB32) {
            return rgbImage(width, height, argb);
        }
        Component[] color;
        if (type == TYPE_GRAY) {
            color = new Component[] { new Component(family, width) };
        } else {
            color = new Component[] { new Component(family, width), new Component(family, width),
                new Component(family, width) };
        }
        State colorState = new State();
        Component[] alpha = null;
        State alphaState = null;
        if (type == TYPE_RGBA) {
            alpha = new Component[] { new Component(family, width) };
            alphaState = new State();
        }
        for (int y = 0; y < height; y++) {
            decodeRow(color, colorState, width, y);
            if (alpha != null) {
                decodeRow(alpha, alphaState, width, y);
            }
            int at = y * width;
            switch (type) {
                case TYPE_GRAY: {
                    int[] g = color[0].cur;
                    for (int x = 0; x < width; x++) {
                        argb[at + x] = 0xff000000 | g[x] * 0x010101;
                    }
                    break;
                }
                case TYPE_RGB16: {
                    int[] r = color[0].cur;
                    int[] g = color[1].cur;
                    int[] b = color[2].cur;
                    for (int x = 0; x < width; x++) {
                        argb[at + x] = 0xff000000 | widen5(r[x]) << 16 | widen5(g[x]) << 8 | widen5(b[x]);
                    }
                    break;
                }
                default: { // RGBA
                    int[] r = color[0].cur;
                    int[] g = color[1].cur;
                    int[] b = color[2].cur;
                    int[] a = alpha[0].cur;
                    for (int x = 0; x < width; x++) {
                        argb[at + x] = a[x] << 24 | r[x] << 16 | g[x] << 8 | b[x];
                    }
                }
            }
        }
        checkEnd();
        return new Pixels(width, height, argb);
    }

    private void checkEnd() {
        if (in.window() != 0) {
            // the reference encoder pads the last word with zero bits and adds a zero word
            throw new SpiceProtocolException("QUIC: no zero padding after the last pixel, the stream is corrupt");
        }
    }

    /**
     * RGB24 and RGB32, what spice-server sends: the same model and schedule as {@link #decodeRow} and
     * {@link #segment} with three components, but the components of a pixel are decoded straight into the output
     * pixel and the row above is read back from the output (the other types decode component rows, then pack
     * them). Runs compare whole pixels, which is comparing all three components since alpha is always 0xff.
     */
    private Pixels rgbImage(int width, int height, int[] argb) {
        rgb = new RgbModel(width);
        State st = new State();
        for (int y = 0; y < height; y++) {
            boolean firstRow = y == 0;
            rgb.startRow(firstRow);
            int at = y * width;
            int pos = 0;
            int left = width;
            while (st.waitIndex < WAIT_MASK_MAX && st.waitLeft <= left) {
                if (st.waitLeft != 0) {
                    rgbSegment(argb, at, width, st, firstRow, pos, pos + st.waitLeft);
                    pos += st.waitLeft;
                    left -= st.waitLeft;
                }
                st.nextWaitIndex();
            }
            if (left != 0) {
                rgbSegment(argb, at, width, st, firstRow, pos, pos + left);
                if (st.waitIndex < WAIT_MASK_MAX) {
                    st.waitLeft -= left;
                }
            }
        }
        checkEnd();
        return new Pixels(width, height, argb);
    }

    /** {@link #segment} for pixels {@code [i, end)} of the RGB row starting at {@code px[at]}. */
    private void rgbSegment(int[] px, int at, int width, State st, boolean firstRow, int i, int end) {
        int waitMask = (1 << st.waitIndex) - 1;
        int stop;
        if (i == 0) {
            px[at] = rgbPixel(0, firstRow ? 0 : px[at - width]);
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
                    px[at + i] = rgbPixel(i, px[at + i - 1]);
                }
                rgb.updateAt(st, stop);
                stop = i + (st.nextRandom() & waitMask);
            }
            for (; i < end; i++) {
                px[at + i] = rgbPixel(i, px[at + i - 1]);
            }
            st.waitCount = stop - end;
            return;
        }
        st.waitCount = rgbFromMean(px, at, at - width, i, end, st, waitMask, stop) - end;
    }

    /** Pixel {@code i} of an RGB row, each component predicted by the same component of {@code predicted}. */
    private int rgbPixel(int i, int predicted) {
        int pixel = 0xff000000;
        int[] folded = rgb.folded;
        int contexts = folded[i];
        int values = 0;
        for (int k = 0, shift = 16; k < 3; k++, shift -= 8) {
            int v = readCode((rgb.codeOf[k * 256 + ((contexts >>> shift) & 0xff)] >>> 8) & 0xff);
            values |= v << shift;
            pixel |= ((unfold[v] + (predicted >>> shift)) & 0xff) << shift;
        }
        folded[i + 1] = values;
        return pixel;
    }

    /**
     * The pixels of most rows: decodes pixels {@code [i, end)} of an RGB row below the first, each component
     * predicted by the mean of its left and upper neighbours, with the runs where they may start and the model's
     * updates after pixel {@code stop} and each next one the wait mask draws. The segment is one loop, so the bit
     * position and the neighbours stay in locals throughout: with a call per update and per run, as before, the
     * photo screen took 1.09 times as long (about 68,000 updates) and the desktop 1.03 to 1.08 (91,000 runs).
     *
     * <p>This loop is {@link #readCode} written out three times (red, green, blue), with the three contexts (the
     * previous pixel's folded values) in one local, the three components' means taken at once and each code's escape
     * parameters in its {@link QuicFamily#descriptor} (one load per code): a loop over the components, a call per
     * component or a table per escape parameter costs more than the decoding itself. A pixel's codewords are read
     * from a 64-bit window of the stream loaded afresh at the pixel's bit position, not from a buffer topped up when
     * it runs low: on a photo about every second pixel needs a top-up, after whichever of its codewords, and that
     * branch, taken at random, cost more than three loads a pixel (measured: the photo screen decodes 1.10 times as
     * fast, the desktop 1.04). The third codeword gets a window of its own when the first two took more than 32 bits,
     * so that each codeword sees 32 bits of the stream; the leading zeros are counted on the whole window (a window
     * of 32 zeros is an escape either way). A plain codeword's value is its bits as a number (the window's top
     * {@code length} bits: the 1 ending the zeros, then the code's bits) plus {@code (zeros - 1) << code}, and the
     * three values are unfolded and added to the mean's bytes all at once in one int: fewer operations a pixel than
     * masking out each code's bits and unfolding each byte (1.06 to 1.09 times as fast on the splash, desktop and
     * photo screens). The stream's last words are read through the reader's checked path.
     *
     * @return the pixel of the next model update, {@code end} or later
     */
    private int rgbFromMean(int[] px, int at, int up, int i, int end, State st, int waitMask, int stop) {
        QuicBitReader in = this.in;
        long position = in.position();
        // a pixel's windows read words up to 4 after the one it starts in (the third codeword's window starts at
        // most 52 bits on, so 2 words, and a window spans 3)
        int lastWindow = in.words - 5;
        int[] folded = rgb.folded;
        int[] codeOf = rgb.codeOf;
        int contexts = folded[i];
        // the neighbours move along in registers: the pixel just decoded is the next one's left
        int left = px[at + i - 1];
        int leftOfLeft = i > 1 ? px[at + i - 2] : 0;
        int aboveLeft = px[up + i - 1];
        int runStart = 0;
        while (i < end) {
            int above = px[up + i];
            if (left == leftOfLeft && above == aboveLeft && i > 2 && runStart != i) {
                // a run: its length, then its pixels repeat the left one; the wait for the next update pauses. The
                // next run may start where this one ends, unless this one was empty.
                in.seek(position);
                int length = readRun(st, end - i);
                position = in.position();
                Arrays.fill(px, at + i, at + i + length, left);
                stop += length;
                runStart = i;
                i += length;
                if (i < end) {
                    contexts = folded[i];
                    leftOfLeft = px[at + i - 2];
                    aboveLeft = px[up + i - 1];
                }
                continue;
            }
            // the rounded-down mean of every byte of left and above: no carry crosses a byte
            int mean = (left & above) + (((left ^ above) & 0xfefefefe) >>> 1);
            int red;
            int green;
            int blue;
            int word = (int) (position >>> 5);
            if (word <= lastWindow) {
                long window = in.window64(word, (int) position & 31);

                int d = codeOf[contexts >>> 16];
                int zeros = Long.numberOfLeadingZeros(window);
                int length;
                if (zeros < (d & 0xff)) {
                    int code = (d >>> 8) & 0xff;
                    length = zeros + 1 + code;
                    red = (int) (window >>> -length) + (zeros - 1 << code);
                } else {
                    length = (d >>> 16) & 0xff;
                    red = ((d & 0xff) << ((d >>> 8) & 0xff)) + (int) (window >>> -length);
                    if (red > 0xff) {
                        throw invalidCodeword(red);
                    }
                }
                window <<= length;
                int used = length;

                d = codeOf[256 + ((contexts >>> 8) & 0xff)];
                zeros = Long.numberOfLeadingZeros(window);
                if (zeros < (d & 0xff)) {
                    int code = (d >>> 8) & 0xff;
                    length = zeros + 1 + code;
                    green = (int) (window >>> -length) + (zeros - 1 << code);
                } else {
                    length = (d >>> 16) & 0xff;
                    green = ((d & 0xff) << ((d >>> 8) & 0xff)) + (int) (window >>> -length);
                    if (green > 0xff) {
                        throw invalidCodeword(green);
                    }
                }
                window <<= length;
                used += length;
                if (used > 32) {
                    long p = position + used;
                    window = in.window64((int) (p >>> 5), (int) p & 31);
                }

                d = codeOf[512 + (contexts & 0xff)];
                zeros = Long.numberOfLeadingZeros(window);
                if (zeros < (d & 0xff)) {
                    int code = (d >>> 8) & 0xff;
                    length = zeros + 1 + code;
                    blue = (int) (window >>> -length) + (zeros - 1 << code);
                } else {
                    length = (d >>> 16) & 0xff;
                    blue = ((d & 0xff) << ((d >>> 8) & 0xff)) + (int) (window >>> -length);
                    if (blue > 0xff) {
                        throw invalidCodeword(blue);
                    }
                }
                position += used + length;
            } else {
                // the stream's last words, through the reader's checked path
                in.seek(position);
                red = readCode((codeOf[contexts >>> 16] >>> 8) & 0xff);
                green = readCode((codeOf[256 + ((contexts >>> 8) & 0xff)] >>> 8) & 0xff);
                blue = readCode((codeOf[512 + (contexts & 0xff)] >>> 8) & 0xff);
                position = in.position();
            }
            contexts = red << 16 | green << 8 | blue;
            folded[i + 1] = contexts;
            // unfolding is (v >>> 1) ^ -(v & 1) modulo 256 (0, 1, 2, 3, 4 become 0, -1, 1, -2, 2), done to the three
            // bytes at once, and so is adding them to the mean's bytes (the low 7 bits added, the top bits xored in)
            int odd = contexts & 0x010101;
            int delta = (contexts >>> 1 & 0x7f7f7f) ^ ((odd << 8) - odd);
            int pixel = 0xff000000
                    | ((delta & 0x7f7f7f) + (mean & 0x7f7f7f) ^ (delta ^ mean) & 0x808080);
            px[at + i] = pixel;
            leftOfLeft = left;
            left = pixel;
            aboveLeft = above;
            if (i == stop) {
                rgb.updateAt(st, i);
                stop = i + 1 + (st.nextRandom() & waitMask);
            }
            i++;
        }
        in.seek(position);
        return stop;
    }

    private static int widen5(int v) {
        return v << 3 | v >>> 2;
    }

    /**
     * One row of the components decoded together. The row is cut where the wait mask index grows: every
     * {@link QuicFormat#WAIT_STEP} pixels (counted across rows) until it reaches {@link QuicFormat#WAIT_MASK_MAX}.
     */
    private void decodeRow(Component[] comps, State st, int width, int y) {
        for (Component c : comps) {
            c.startRow(y == 0);
        }
        int pos = 0;
        int left = width;
        while (st.waitIndex < WAIT_MASK_MAX && st.waitLeft <= left) {
            if (st.waitLeft != 0) {
                segment(comps, st, y == 0, pos, pos + st.waitLeft);
                pos += st.waitLeft;
                left -= st.waitLeft;
            }
            st.nextWaitIndex();
        }
        if (left != 0) {
            segment(comps, st, y == 0, pos, pos + left);
            if (st.waitIndex < WAIT_MASK_MAX) {
                st.waitLeft -= left;
            }
        }
    }

    /**
     * Pixels {@code [i, end)} of a row with one wait mask. The model is updated with one pixel out of a random
     * number of them (up to the wait mask); the first row predicts from the left neighbour only and has no runs.
     * {@code comps} holds one or three components (the second and third are handled by null checks rather than a
     * loop, which keeps the per-pixel path short).
     */
    private void segment(Component[] comps, State st, boolean firstRow, int i, int end) {
        int waitMask = (1 << st.waitIndex) - 1;
        Component a = comps[0];
        Component b = comps.length == 3 ? comps[1] : null;
        Component c = comps.length == 3 ? comps[2] : null;
        int stop;
        if (i == 0) {
            first(a, firstRow);
            if (b != null) {
                first(b, firstRow);
                first(c, firstRow);
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
        if (firstRow) {
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
            int length = readRun(st, end - i);
            repeat(a, i, length);
            if (b != null) {
                repeat(b, i, length);
                repeat(c, i, length);
            }
            i += length;
            if (i == end) {
                return;
            }
            stop = i + st.waitCount;
        }
    }

    private static void repeat(Component k, int i, int length) {
        int[] cur = k.cur;
        Arrays.fill(cur, i, i + length, cur[i - 1]);
    }

    /** Pixel 0: no prediction in the first row, the pixel above in the others. */
    private void first(Component k, boolean firstRow) {
        int v = readValue(k, k.folded[0]);
        k.folded[1] = v;
        k.cur[0] = firstRow ? unfold[v] : (unfold[v] + k.prev[0]) & mask;
    }

    /** First row, i > 0: the prediction is the left neighbour. */
    private void fromLeft(Component k, int i) {
        int[] folded = k.folded;
        int v = readValue(k, folded[i]);
        folded[i + 1] = v;
        int[] cur = k.cur;
        cur[i] = (unfold[v] + cur[i - 1]) & mask;
    }

    /** Other rows, i > 0: the prediction is the mean of the left and upper neighbours. */
    private void fromMean(Component k, int i) {
        int[] folded = k.folded;
        int v = readValue(k, folded[i]);
        folded[i + 1] = v;
        int[] cur = k.cur;
        cur[i] = (unfold[v] + ((cur[i - 1] + k.prev[i]) >>> 1)) & mask;
    }

    /** Reads one folded value with the best code of the bucket selected by {@code context}. */
    private int readValue(Component k, int context) {
        return readCode(k.bestCode[bucketOf[context]]);
    }

    /** Reads one folded value written with Golomb-Rice code {@code code}. */
    private int readCode(int code) {
        int bits = in.window();
        int zeros = Integer.numberOfLeadingZeros(bits);
        QuicFamily f = family;
        int value;
        int length;
        if (zeros < f.escapePrefix[code]) {
            length = zeros + 1 + code;
            value = zeros << code | (bits >>> (32 - length)) & ((1 << code) - 1);
        } else {
            length = f.escapeLength[code];
            value = f.escapeBase[code] + ((bits >>> (32 - length)) & f.escapeSuffixMask[code]);
            if (value > mask) {
                throw invalidCodeword(value);
            }
        }
        in.skip(length);
        return value;
    }

    private SpiceProtocolException invalidCodeword(int value) {
        return new SpiceProtocolException("QUIC: invalid codeword (value " + value + " for " + family.bpc
                + "-bit components)");
    }

    /**
     * Reads a run length: one 1 bit per full unit ({@code 1 << runOrder}, the unit growing with every hit), a 0
     * bit, then the remainder in {@code runOrder} bits; the state then steps back once.
     */
    private int readRun(State st, int maxLength) {
        int length = 0;
        for (;;) {
            int ones = Math.min(8, Integer.numberOfLeadingZeros(~in.window()));
            for (int h = 0; h < ones; h++) {
                length += 1 << st.runOrder;
                if (st.runState < RUN_ORDER.length - 1) {
                    st.runOrder = RUN_ORDER[++st.runState];
                }
            }
            if (length > maxLength) {
                throw runTooLong(length, maxLength);
            }
            if (ones != 8) {
                in.skip(ones + 1);
                break;
            }
            in.skip(8);
        }
        if (st.runOrder != 0) {
            length += in.window() >>> (32 - st.runOrder);
            in.skip(st.runOrder);
        }
        if (st.runState != 0) {
            st.runOrder = RUN_ORDER[--st.runState];
        }
        if (length > maxLength) {
            throw runTooLong(length, maxLength);
        }
        return length;
    }

    private static SpiceProtocolException runTooLong(int length, int maxLength) {
        return new SpiceProtocolException("QUIC: run of " + length + " pixels where only " + maxLength
                + " are left (runs end at the row or at a model step within it)");
    }
}
