package org.spice.display.internal.codec;

import java.util.Arrays;

/**
 * A QUIC encoder for tests, the mirror image of {@link QuicDecoder}: it produces streams of the types QEMU never
 * sends (GRAY, RGB16, RGB24, RGBA) and wide or odd-sized images. It is checked by re-encoding the golden screens:
 * it must give back the very bytes spice-server sent.
 */
final class QuicTestEncoder {
    private final Bits out = new Bits();
    private final QuicFamily family;
    private final int mask;

    private QuicTestEncoder(QuicFamily family) {
        this.family = family;
        this.mask = family.mask;
    }

    /**
     * Encodes {@code argb} as {@code type}: GRAY takes the blue component, RGB16 the top 5 bits of each colour
     * component, RGBA also the alpha.
     */
    static byte[] encode(int type, int width, int height, int[] argb) {
        QuicFamily family = type == QuicDecoder.TYPE_RGB16 ? QuicFamily.BPC5 : QuicFamily.BPC8;
        QuicTestEncoder e = new QuicTestEncoder(family);
        e.out.write32(QuicDecoder.MAGIC);
        e.out.write32(QuicDecoder.VERSION);
        e.out.write32(type);
        e.out.write32(width);
        e.out.write32(height);
        int colors = type == QuicDecoder.TYPE_GRAY ? 1 : 3;
        QuicDecoder.Component[] color = new QuicDecoder.Component[colors];
        for (int c = 0; c < colors; c++) {
            color[c] = new QuicDecoder.Component(family, width);
        }
        QuicDecoder.State colorState = new QuicDecoder.State();
        QuicDecoder.Component[] alpha = null;
        QuicDecoder.State alphaState = new QuicDecoder.State();
        if (type == QuicDecoder.TYPE_RGBA) {
            alpha = new QuicDecoder.Component[] { new QuicDecoder.Component(family, width) };
        }
        for (int y = 0; y < height; y++) {
            for (QuicDecoder.Component c : color) {
                c.startRow(y == 0);
            }
            for (int x = 0; x < width; x++) {
                int p = argb[y * width + x];
                if (type == QuicDecoder.TYPE_GRAY) {
                    color[0].cur[x] = p & 0xff;
                } else if (type == QuicDecoder.TYPE_RGB16) {
                    color[0].cur[x] = (p >>> 19) & 0x1f;
                    color[1].cur[x] = (p >>> 11) & 0x1f;
                    color[2].cur[x] = (p >>> 3) & 0x1f;
                } else {
                    color[0].cur[x] = (p >>> 16) & 0xff;
                    color[1].cur[x] = (p >>> 8) & 0xff;
                    color[2].cur[x] = p & 0xff;
                }
            }
            e.row(color, colorState, width, y == 0);
            if (alpha != null) {
                alpha[0].startRow(y == 0);
                for (int x = 0; x < width; x++) {
                    alpha[0].cur[x] = argb[y * width + x] >>> 24;
                }
                e.row(alpha, alphaState, width, y == 0);
            }
        }
        return e.out.finish();
    }

    private void row(QuicDecoder.Component[] comps, QuicDecoder.State st, int width, boolean first) {
        int pos = 0;
        int left = width;
        while (st.waitIndex < QuicDecoder.WAIT_MASK_MAX && st.waitLeft <= left) {
            if (st.waitLeft != 0) {
                segment(comps, st, first, pos, pos + st.waitLeft);
                pos += st.waitLeft;
                left -= st.waitLeft;
            }
            st.nextWaitIndex();
        }
        if (left != 0) {
            segment(comps, st, first, pos, pos + left);
            if (st.waitIndex < QuicDecoder.WAIT_MASK_MAX) {
                st.waitLeft -= left;
            }
        }
    }

    private void segment(QuicDecoder.Component[] comps, QuicDecoder.State st, boolean first, int i, int end) {
        int waitMask = (1 << st.waitIndex) - 1;
        int stop;
        if (i == 0) {
            for (QuicDecoder.Component k : comps) {
                int diff = first ? k.cur[0] : k.cur[0] - k.prev[0];
                code(k, 0, family.fold[diff & mask]);
            }
            if (st.waitCount != 0) {
                st.waitCount--;
            } else {
                st.waitCount = st.nextRandom() & waitMask;
                updateAt(comps, st, 0);
            }
            i = 1;
            stop = 1 + st.waitCount;
        } else {
            stop = i + st.waitCount;
        }
        int runStart = 0;
        for (;;) {
            boolean run = false;
            for (;;) {
                boolean full = stop < end;
                int limit = full ? stop + 1 : end;
                for (; i < limit; i++) {
                    if (!first && i > 2 && runStart != i && runPredicted(comps, i)) {
                        run = true;
                        break;
                    }
                    for (QuicDecoder.Component k : comps) {
                        int predicted = first ? k.cur[i - 1] : (k.cur[i - 1] + k.prev[i]) >>> 1;
                        code(k, i, family.fold[(k.cur[i] - predicted) & mask]);
                    }
                }
                if (run) {
                    break;
                }
                if (!full) {
                    st.waitCount = stop - end;
                    return;
                }
                updateAt(comps, st, stop);
                stop = i + (st.nextRandom() & waitMask);
            }
            runStart = i;
            st.waitCount = stop - i;
            int length = 0;
            while (samePixel(comps, i)) {
                length++;
                if (++i == end) {
                    run(st, length);
                    return;
                }
            }
            run(st, length);
            stop = i + st.waitCount;
        }
    }

    private static boolean runPredicted(QuicDecoder.Component[] comps, int i) {
        for (QuicDecoder.Component k : comps) {
            if (k.prev[i - 1] != k.prev[i] || k.cur[i - 1] != k.cur[i - 2]) {
                return false;
            }
        }
        return true;
    }

    private static boolean samePixel(QuicDecoder.Component[] comps, int i) {
        for (QuicDecoder.Component k : comps) {
            if (k.cur[i] != k.cur[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** Writes the folded value of pixel {@code i} with the best code of its context. */
    private void code(QuicDecoder.Component k, int i, int value) {
        k.folded[i + 1] = value;
        int code = k.bestCode[family.bucketOf[k.folded[i]]];
        if (value < family.escapeBase[code]) {
            out.write((1 << code) | (value & ((1 << code) - 1)), (value >>> code) + code + 1);
        } else {
            out.write(value - family.escapeBase[code], family.escapeLength[code]);
        }
    }

    private void updateAt(QuicDecoder.Component[] comps, QuicDecoder.State st, int i) {
        for (QuicDecoder.Component k : comps) {
            int bucket = family.bucketOf[k.folded[i]];
            int value = k.folded[i + 1];
            int base = bucket * QuicFamily.COUNTERS_PER_BUCKET;
            int best = family.bpc - 1;
            int bestCost = k.counters[base + best] += family.codeLength[value * 8 + best];
            for (int code = family.bpc - 2; code >= 0; code--) {
                int cost = k.counters[base + code] += family.codeLength[value * 8 + code];
                if (cost < bestCost) {
                    best = code;
                    bestCost = cost;
                }
            }
            k.bestCode[bucket] = best;
            if (bestCost > st.trigger) {
                for (int code = 0; code < family.bpc; code++) {
                    k.counters[base + code] >>>= 1;
                }
            }
        }
    }

    private void run(QuicDecoder.State st, int length) {
        int hits = 0;
        while (length >= 1 << st.runOrder) {
            hits++;
            length -= 1 << st.runOrder;
            if (st.runState < QuicDecoder.RUN_ORDER.length - 1) {
                st.runOrder = QuicDecoder.RUN_ORDER[++st.runState];
            }
        }
        for (; hits >= 16; hits -= 16) {
            out.write(0xffff, 16);
        }
        if (hits > 0) {
            out.write((1 << hits) - 1, hits);
        }
        out.write(length, st.runOrder + 1);
        if (st.runState != 0) {
            st.runOrder = QuicDecoder.RUN_ORDER[--st.runState];
        }
    }

    /** Big-endian bit packing into 32-bit words, each stored little-endian. */
    static final class Bits {
        private int[] words = new int[1024];
        private int count;
        private int pending;
        private int free = 32;

        void write(int value, int length) {
            if (length < 1 || length > 31 || (value >>> length) != 0) {
                throw new IllegalArgumentException(value + " in " + length + " bits");
            }
            if (length <= free) {
                free -= length;
                pending |= value << free;
                if (free == 0) {
                    flushWord();
                }
                return;
            }
            int spill = length - free;
            pending |= value >>> spill;
            flushWord();
            free = 32 - spill;
            pending = value << free;
        }

        void write32(int value) {
            write(value >>> 16, 16);
            write(value & 0xffff, 16);
        }

        private void flushWord() {
            if (count == words.length) {
                words = Arrays.copyOf(words, count * 2);
            }
            words[count++] = pending;
            pending = 0;
            free = 32;
        }

        /** Pads the last word with zero bits and adds one zero word, as the reference encoder ends its streams. */
        byte[] finish() {
            if (free != 32) {
                flushWord();
            }
            flushWord();
            byte[] bytes = new byte[count * 4];
            for (int i = 0; i < count; i++) {
                int w = words[i];
                bytes[4 * i] = (byte) w;
                bytes[4 * i + 1] = (byte) (w >>> 8);
                bytes[4 * i + 2] = (byte) (w >>> 16);
                bytes[4 * i + 3] = (byte) (w >>> 24);
            }
            return bytes;
        }
    }
}
