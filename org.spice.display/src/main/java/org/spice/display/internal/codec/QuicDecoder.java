package org.spice.display.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

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
    /** "QUIC" read as a little-endian word. */
    static final int MAGIC = 0x43495551;
    static final int VERSION = 0;

    public static final int TYPE_GRAY = 1;
    public static final int TYPE_RGB16 = 2;
    public static final int TYPE_RGB24 = 3;
    public static final int TYPE_RGB32 = 4;
    public static final int TYPE_RGBA = 5;

    static final int HEADER_WORDS = 5;

    /** The wait mask index grows to this value, one step every {@link #WAIT_STEP} coded pixels. */
    static final int WAIT_MASK_MAX = 6;
    static final int WAIT_STEP = 2048;
    /** Counter halving threshold per wait mask index (the table for model evolution mode 3). */
    static final int[] HALVING_TRIGGER = { 110, 550, 900, 800, 550, 400, 350, 250, 140, 160, 140 };

    /** Run-length coder: the run length unit is {@code 1 << RUN_ORDER[state]}. */
    static final int[] RUN_ORDER = { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9,
        10, 11, 12, 13, 14, 15 };

    /** Pseudo-random wait counts, indexed by the low 8 bits of an incrementing seed. */
    static final int[] CHAOS = {
        0x02c57542, 0x35427717, 0x2f5a2153, 0x9244f155, 0x7bd26d07, 0x354c6052, 0x57329b28, 0x2993868e,
        0x6cd8808c, 0x147b46e0, 0x99db66af, 0xe32b4cac, 0x1b671264, 0x9d433486, 0x62a4c192, 0x06089a4b,
        0x9e3dce44, 0xdaabee13, 0x222425ea, 0xa46f331d, 0xcd589250, 0x8bb81d7f, 0xc8b736b9, 0x35948d33,
        0xd7ac7fd0, 0x5fbe2803, 0x2cfbc105, 0x013dbc4e, 0x7a37820f, 0x39f88e9e, 0xedd58794, 0xc5076689,
        0xfcada5a4, 0x64c2f46d, 0xb3ba3243, 0x8974b4f9, 0x5a05aebd, 0x20afcd00, 0x39e2b008, 0x88a18a45,
        0x600bde29, 0xf3971ace, 0xf37b0a6b, 0x7041495b, 0x70b707ab, 0x06beffbb, 0x4206051f, 0xe13c4ee3,
        0xc1a78327, 0x91aa067c, 0x8295f72a, 0x732917a6, 0x1d871b4d, 0x4048f136, 0xf1840e7e, 0x6a6048c1,
        0x696cb71a, 0x7ff501c3, 0x0fc6310b, 0x57e0f83d, 0x8cc26e74, 0x11a525a2, 0x946934c7, 0x7cd888f0,
        0x8f9d8604, 0x4f86e73b, 0x04520316, 0xdeeea20c, 0xf1def496, 0x67687288, 0xf540c5b2, 0x22401484,
        0x3478658a, 0xc2385746, 0x01979c2c, 0x5dad73c8, 0x0321f58b, 0xf0fedbee, 0x92826ddf, 0x284bec73,
        0x5b1a1975, 0x03df1e11, 0x20963e01, 0xa17cf12b, 0x740d776e, 0xa7a6bf3c, 0x01b5cce4, 0x1118aa76,
        0xfc6fac0a, 0xce927e9b, 0x00bf2567, 0x806f216c, 0xbca69056, 0x795bd3e9, 0xc9dc4557, 0x8929b6c2,
        0x789d52ec, 0x3f3fbf40, 0xb9197368, 0xa38c15b5, 0xc3b44fa8, 0xca8333b0, 0xb7e8d590, 0xbe807feb,
        0xbf5f8360, 0xd99e2f5c, 0x372928e1, 0x7c757c4c, 0x0db5b154, 0xc01ede02, 0x1fc86e78, 0x1f3985be,
        0xb4805c77, 0x00c880fa, 0x974c1b12, 0x35ab0214, 0xb2dc840d, 0x5b00ae37, 0xd313b026, 0xb260969d,
        0x7f4c8879, 0x1734c4d3, 0x49068631, 0xb9f6a021, 0x6b863e6f, 0xcee5debf, 0x29f8c9fb, 0x53dd6880,
        0x72b61223, 0x1f67a9fd, 0x0a0f6993, 0x13e59119, 0x11cca12e, 0xfe6b6766, 0x16b6effc, 0x97918fc4,
        0xc2b8a563, 0x94f2f741, 0x0bfa8c9a, 0xd1537ae8, 0xc1da349c, 0x873c60ca, 0x95005b85, 0x9b5c080e,
        0xbc8abbd9, 0xe1eab1d2, 0x6dac9070, 0x4ea9ebf1, 0xe0cf30d4, 0x1ef5bd7b, 0xd161043e, 0x5d2fa2e2,
        0xff5d3cae, 0x86ed9f87, 0x2aa1daa1, 0xbd731a34, 0x9e8f4b22, 0xb1c2c67a, 0xc21758c9, 0xa182215d,
        0xccb01948, 0x8d168df7, 0x04238cfe, 0x368c3dbc, 0x0aeadca5, 0xbad21c24, 0x0a71fee5, 0x9fc5d872,
        0x54c152c6, 0xfc329483, 0x6783384a, 0xeddb3e1c, 0x65f90e30, 0x884ad098, 0xce81675a, 0x4b372f7d,
        0x68bf9a39, 0x43445f1e, 0x40f8d8cb, 0x90d5acb6, 0x4cd07282, 0x349eeb06, 0x0c9d5332, 0x520b24ef,
        0x80020447, 0x67976491, 0x2f931ca3, 0xfe9b0535, 0xfcd30220, 0x61a9e6cc, 0xa487d8d7, 0x3f7c5dd1,
        0x7d0127c5, 0x48f51d15, 0x60dea871, 0xc9a91cb7, 0x58b53bb3, 0x9d5e0b2d, 0x624a78b4, 0x30dbee1b,
        0x9bdf22e7, 0x1df5c299, 0x2d5643a7, 0xf4dd35ff, 0x03ca8fd6, 0x53b47ed8, 0x6f2c19aa, 0xfeb0c1f4,
        0x49e54438, 0x2f2577e6, 0xbf876969, 0x72440ea9, 0xfa0bafb8, 0x74f5b3a0, 0x7dd357cd, 0x89ce1358,
        0x6ef2cdda, 0x1e7767f3, 0xa6be9fdb, 0x4f5f88f8, 0xba994a3a, 0x08ca6b65, 0xe0893818, 0x9e00a16a,
        0xf42bfc8f, 0x9972eedc, 0x749c8b51, 0x32c05f5e, 0xd706805f, 0x6bfbb7cf, 0xd9210a10, 0x31a1db97,
        0x923a9559, 0x37a7a1f6, 0x059f8861, 0xca493e62, 0x65157e81, 0x8f6467dd, 0xab85ff9f, 0x9331aff2,
        0x8616b9f5, 0xedbd5695, 0xee7e29b1, 0x313ac44f, 0xb903112f, 0x432ef649, 0xdc0a36c0, 0x61cf2bba,
        0x81474925, 0xa8b6c7ad, 0xee5931de, 0xb2f8158d, 0x59fb7409, 0x2e3dfaed, 0x9af25a3f, 0xe1fed4d5,
    };

    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);

    /**
     * Adaptation state shared by the components decoded together: the wait counter between model updates, the
     * pseudo-random seed, the wait mask index and its countdown, and the run-length coder state.
     */
    static final class State {
        int waitCount;
        int seed = 0xff;
        int waitIndex;
        int waitLeft = WAIT_STEP;
        int trigger = HALVING_TRIGGER[0];
        int runState;
        int runOrder = RUN_ORDER[0];

        int nextRandom() {
            return CHAOS[++seed & 0xff];
        }

        void nextWaitIndex() {
            waitIndex++;
            trigger = HALVING_TRIGGER[Math.min(waitIndex, 10)];
            waitLeft = WAIT_STEP;
        }
    }

    /** One colour component: its model and its rows. */
    static final class Component {
        final int[] bestCode;
        final int[] counters;
        /** Folded values of the current row, shifted by one: index 0 is the context of the first pixel. */
        final int[] folded;
        int[] cur;
        int[] prev;

        Component(QuicFamily family, int width) {
            bestCode = new int[family.bucketCount];
            java.util.Arrays.fill(bestCode, family.bpc - 1);
            counters = new int[family.bucketCount * QuicFamily.COUNTERS_PER_BUCKET];
            folded = new int[width + 1];
            cur = new int[width];
            prev = new int[width];
        }

        void startRow(boolean first) {
            folded[0] = first ? 0 : folded[1];
            int[] t = prev;
            prev = cur;
            cur = t;
        }
    }

    private final QuicBitReader in;
    private final QuicFamily family;
    private final int[] unfold;
    private final int[] bucketOf;
    private final int mask;

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
        return new QuicDecoder(in, family).image(type, (int) width, (int) height);
    }

    private static int header(byte[] data, int offset, int word) {
        return (int) LE_INT.get(data, offset + 4 * word);
    }

    private Pixels image(int type, int width, int height) {
        int[] argb = new int[width * height];
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
                default: {
                    int[] r = color[0].cur;
                    int[] g = color[1].cur;
                    int[] b = color[2].cur;
                    if (alpha == null) {
                        for (int x = 0; x < width; x++) {
                            argb[at + x] = 0xff000000 | r[x] << 16 | g[x] << 8 | b[x];
                        }
                    } else {
                        int[] a = alpha[0].cur;
                        for (int x = 0; x < width; x++) {
                            argb[at + x] = a[x] << 24 | r[x] << 16 | g[x] << 8 | b[x];
                        }
                    }
                }
            }
        }
        if (in.window() != 0) {
            // the reference encoder pads the last word with zero bits and adds a zero word
            throw new SpiceProtocolException("QUIC: no zero padding after the last pixel, the stream is corrupt");
        }
        return new Pixels(width, height, argb);
    }

    private static int widen5(int v) {
        return v << 3 | v >>> 2;
    }

    /**
     * One row of the components decoded together. The row is cut where the wait mask index grows: every
     * {@link #WAIT_STEP} pixels (counted across rows) until it reaches {@link #WAIT_MASK_MAX}.
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
                updateAt(a, b, c, st, 0);
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
                updateAt(a, b, c, st, stop);
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
                    if (i > 2 && runStart != i && runPredicted(a, b, c, i)) {
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
                updateAt(a, b, c, st, stop);
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

    /**
     * A run may start at {@code i} when the row above repeats there and the two pixels to the left are equal
     * (all components).
     */
    private static boolean runPredicted(Component a, Component b, Component c, int i) {
        if (a.prev[i - 1] != a.prev[i] || a.cur[i - 1] != a.cur[i - 2]) {
            return false;
        }
        return b == null || b.prev[i - 1] == b.prev[i] && b.cur[i - 1] == b.cur[i - 2]
                && c.prev[i - 1] == c.prev[i] && c.cur[i - 1] == c.cur[i - 2];
    }

    private static void repeat(Component k, int i, int length) {
        int[] cur = k.cur;
        java.util.Arrays.fill(cur, i, i + length, cur[i - 1]);
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

    private void updateAt(Component a, Component b, Component c, State st, int i) {
        update(st, a, a.folded[i], a.folded[i + 1]);
        if (b != null) {
            update(st, b, b.folded[i], b.folded[i + 1]);
            update(st, c, c.folded[i], c.folded[i + 1]);
        }
    }

    /** Reads one folded value with the best code of the bucket selected by {@code context}. */
    private int readValue(Component k, int context) {
        int code = k.bestCode[bucketOf[context]];
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
                throw new SpiceProtocolException("QUIC: invalid codeword (value " + value + " for "
                        + f.bpc + "-bit components)");
            }
        }
        in.skip(length);
        return value;
    }

    /**
     * Adds the cost of {@code value} under every code to the counters of the bucket selected by {@code context},
     * makes the cheapest code the bucket's best (ties keep the smaller code), and halves the counters once the
     * best one passes the trigger.
     */
    private void update(State st, Component k, int context, int value) {
        int bucket = bucketOf[context];
        int[] counters = k.counters;
        int base = bucket * QuicFamily.COUNTERS_PER_BUCKET;
        int[] lengths = family.codeLength;
        int row = value * QuicFamily.COUNTERS_PER_BUCKET;
        int bpc = family.bpc;
        int best = bpc - 1;
        int bestCost = counters[base + best] += lengths[row + best];
        for (int code = bpc - 2; code >= 0; code--) {
            int cost = counters[base + code] += lengths[row + code];
            if (cost < bestCost) {
                best = code;
                bestCost = cost;
            }
        }
        k.bestCode[bucket] = best;
        if (bestCost > st.trigger) {
            for (int code = 0; code < bpc; code++) {
                counters[base + code] >>>= 1;
            }
        }
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
