package org.spice.display.internal.codec;

/**
 * What the QUIC encoder and decoder share: the header's magic, version and image types, and the adaptive model
 * both sides must run in step (the wait mask schedule with its pseudo-random waits, the run-length states, each
 * component's code choice per context bucket and its update); the code tables of a component width are
 * {@link QuicFamily}. {@link QuicEncoder} and {@link QuicDecoder} depend on this class and not on each other.
 */
final class QuicFormat {
    /** "QUIC" read as a little-endian word. */
    static final int MAGIC = 0x43495551;
    static final int VERSION = 0;

    static final int TYPE_GRAY = 1;
    static final int TYPE_RGB16 = 2;
    static final int TYPE_RGB24 = 3;
    static final int TYPE_RGB32 = 4;
    static final int TYPE_RGBA = 5;

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

    /**
     * The models of the three colour components of RGB24 and RGB32 side by side (red, green, blue), for the
     * encoder's and the decoder's RGB loops. The best code is kept per context value rather than per bucket (a
     * bucket's values are rewritten when its best code changes, at a model update): the per-value lookup is then one
     * load, not two. It is kept as the code's {@link QuicFamily#descriptor}, which holds what the RGB loops need of
     * the code besides its number.
     */
    static final class RgbModel {
        private static final QuicFamily FAMILY = QuicFamily.BPC8;

        /**
         * Folded values of the current row, shifted by one pixel (as {@link Component#folded}), the three of a pixel
         * in one int: red in bits 16-23, green in bits 8-15, blue in bits 0-7. Index {@code i} is then the three
         * contexts of pixel {@code i}.
         */
        final int[] folded;
        /** The best code of each context value as its descriptor, component {@code k}'s at {@code k * 256 + context}. */
        final int[] codeOf = new int[3 * 256];
        /**
         * Each code's cost counter as a 21-bit lane {@code cost << 3 | (7 - code)}: three lanes in each of three longs
         * a bucket (codes 7, 6, 5, then 4, 3, 2, then 1, 0), {@code 3 * bucketCount} longs per component. The code's
         * number rides along below its cost, so the cheapest code is the least lane (of equal costs the larger code,
         * as the reference's scan from the largest code down keeps it) with no shifting of numbers in. A counter stays
         * below 2^16 (so a lane below 2^19, and no lane carries into the next): the cheapest grows by at least 1 an
         * update (every code is 1 bit or longer) and all are halved once it passes the trigger (at most 900), so
         * between two halvings a counter takes at most 901 updates of at most 26 bits (23,426 in all): starting below
         * 23.5K after a halving (or at 0), it peaks below 47K and is below 23.5K again after the next.
         */
        private final long[] costs = new long[3 * FAMILY.bucketCount * 3];
        /** The code lengths of each value in the lanes of {@link #costs} ({@code length << 3}), at {@code 3 * value}. */
        private static final long[] PACKED_LENGTHS = packed(true);
        /** The lanes of a bucket whose counters are all 0: the code numbers alone. */
        private static final long[] ZERO_COSTS = packed(false);
        private static final int LANE = 21;
        private static final long LANE_MASK = (1L << LANE) - 1;
        /** The code number in each lane, and the cost bits a halved counter can have. */
        private static final long CODE_BITS = 7L | 7L << LANE | 7L << 2 * LANE;
        private static final long HALVED_COST_BITS = 0x7fff8L | 0x7fff8L << LANE | 0x7fff8L << 2 * LANE;

        RgbModel(int width) {
            folded = new int[width + 1];
            java.util.Arrays.fill(codeOf, FAMILY.descriptor[FAMILY.bpc - 1]);
            for (int at = 0; at < costs.length; at += 3) {
                System.arraycopy(ZERO_COSTS, 0, costs, at, 3);
            }
        }

        void startRow(boolean first) {
            folded[0] = first ? 0 : folded[1];
        }

        /** The lanes of every value's code lengths ({@code lengths}), or of the code numbers. */
        private static long[] packed(boolean lengths) {
            long[] packed = new long[lengths ? 3 * FAMILY.levels : 3];
            for (int value = 0; value < packed.length / 3; value++) {
                for (int code = 0; code < FAMILY.bpc; code++) {
                    int lane = 7 - code;
                    long v = lengths ? (long) FAMILY.codeLength[value * QuicFamily.COUNTERS_PER_BUCKET + code] << 3
                            : 7 - code;
                    packed[3 * value + lane / 3] |= v << LANE * (lane % 3);
                }
            }
            return packed;
        }

        /**
         * Updates the model of each component at pixel {@code i}: {@link #update(QuicFamily, State, Component, int,
         * int)} on the packed counters, the eight codes' costs added in three additions, the least found among the
         * lanes and the counters halved in three masks.
         */
        void updateAt(State st, int i) {
            for (int k = 0, shift = 16; k < 3; k++, shift -= 8) {
                int context = (folded[i] >>> shift) & 0xff;
                int value = (folded[i + 1] >>> shift) & 0xff;
                int bucket = FAMILY.bucketOf[context];
                int at = 3 * (k * FAMILY.bucketCount + bucket);
                long a = costs[at] + PACKED_LENGTHS[3 * value];
                long b = costs[at + 1] + PACKED_LENGTHS[3 * value + 1];
                long c = costs[at + 2] + PACKED_LENGTHS[3 * value + 2];
                long m = Math.min(
                        Math.min(Math.min(a & LANE_MASK, a >>> LANE & LANE_MASK), Math.min(a >>> 2 * LANE, c >>> LANE)),
                        Math.min(Math.min(b & LANE_MASK, b >>> LANE & LANE_MASK), Math.min(b >>> 2 * LANE,
                                c & LANE_MASK)));
                if (m >>> 3 > st.trigger) {
                    a = a >>> 1 & HALVED_COST_BITS | a & CODE_BITS;
                    b = b >>> 1 & HALVED_COST_BITS | b & CODE_BITS;
                    c = c >>> 1 & HALVED_COST_BITS | c & CODE_BITS;
                }
                costs[at] = a;
                costs[at + 1] = b;
                costs[at + 2] = c;
                int best = FAMILY.descriptor[7 - (int) (m & 7)];
                if (codeOf[k * 256 + context] != best) {
                    java.util.Arrays.fill(codeOf, k * 256 + FAMILY.bucketStart[bucket],
                            k * 256 + FAMILY.bucketStart[bucket + 1], best);
                }
            }
        }
    }

    private QuicFormat() {
    }

    /**
     * A run may start at {@code i} when the row above repeats there and the two pixels to the left are equal
     * (all components; {@code b} and {@code c} are null for a single component).
     */
    static boolean runPredicted(Component a, Component b, Component c, int i) {
        if (a.prev[i - 1] != a.prev[i] || a.cur[i - 1] != a.cur[i - 2]) {
            return false;
        }
        return b == null || b.prev[i - 1] == b.prev[i] && b.cur[i - 1] == b.cur[i - 2]
                && c.prev[i - 1] == c.prev[i] && c.cur[i - 1] == c.cur[i - 2];
    }

    /**
     * The model update at a pixel: adds the cost of {@code value} under every code to the counters of the bucket
     * selected by {@code context}, makes the cheapest code the bucket's best (of equal costs the larger code), and
     * halves the counters once the best one passes the trigger.
     */
    static void update(QuicFamily family, State st, Component k, int context, int value) {
        int bucket = family.bucketOf[context];
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
        if (bestCost > st.trigger) {
            for (int code = 0; code < bpc; code++) {
                counters[base + code] >>>= 1;
            }
        }
        k.bestCode[bucket] = best;
    }

    /** Updates the model at pixel {@code i} of each component ({@code b} and {@code c} null for one). */
    static void updateAt(QuicFamily family, Component a, Component b, Component c, State st, int i) {
        update(family, st, a, a.folded[i], a.folded[i + 1]);
        if (b != null) {
            update(family, st, b, b.folded[i], b.folded[i + 1]);
            update(family, st, c, c.folded[i], c.folded[i + 1]);
        }
    }
}
