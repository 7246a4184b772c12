package org.spice.display.internal.codec;

/**
 * The fixed tables of one QUIC code family: one family for 8-bit components (GRAY, RGB24, RGB32, RGBA) and one for
 * 5-bit components (RGB16).
 *
 * <p>A component is coded as a "folded" residual: the difference to its prediction, taken modulo {@code levels}
 * and mapped so that small positive and negative differences become small numbers (0, -1, 1, -2, ... become 0, 1,
 * 2, 3, ...). The folded value is written with one of {@code bpc} Golomb-Rice codes: code {@code k} writes
 * {@code value >> k} zero bits, a one bit and the {@code k} low bits of the value. Values whose unary part would be
 * too long (the total codeword length is limited to 26 bits) are written as an escape instead: a run of
 * {@code escapePrefix[k]} zero bits followed by {@code escapeSuffix[k]} bits holding {@code value -
 * escapeBase[k]}.
 *
 * <p>The adaptive model keeps, per context bucket, a cost counter for every code; the bucket of a component is
 * chosen by the folded value of the same component in the previous pixel. Buckets grow in powers of two: {0},
 * {1,2}, {3..6}, {7..14}, ... with the last bucket absorbing what would be a bucket reaching past the top level.
 */
final class QuicFamily {
    /** Longest codeword, escape codes included. */
    static final int MAX_CODEWORD = 26;
    /** Counters reserved per bucket (the model keeps room for the widest family). */
    static final int COUNTERS_PER_BUCKET = 8;

    static final QuicFamily BPC8 = new QuicFamily(8);
    static final QuicFamily BPC5 = new QuicFamily(5);

    final int bpc;
    final int levels;
    final int mask;
    /** A codeword starting with at least this many zero bits is an escape. */
    final int[] escapePrefix;
    /** Values coded by the escape start here (they are the ones the plain code would make too long). */
    final int[] escapeBase;
    /** Total length of an escape codeword. */
    final int[] escapeLength;
    final int[] escapeSuffixMask;
    /** Length of the codeword of {@code value} with code {@code k}, at {@code value * 8 + k}. */
    final int[] codeLength;
    /** Folded value to unsigned difference. */
    final int[] unfold;
    /** Unsigned difference (modulo levels) to folded value; the encoder direction, used by tests. */
    final int[] fold;
    /** Context value (a folded value) to bucket index. */
    final int[] bucketOf;
    final int bucketCount;
    /** The first context value of each bucket, then {@code levels}: bucket b is [bucketStart[b], bucketStart[b+1]). */
    final int[] bucketStart;
    /**
     * Code {@code k} packed in one int for the RGB loops ({@link QuicFormat.RgbModel#codeOf}), so that the code of a
     * context costs one load: {@code escapePrefix[k]} in bits 0-7, {@code k} in bits 8-15 and {@code escapeLength[k]}
     * in bits 16-23.
     */
    final int[] descriptor;
    /**
     * The codeword of {@code value} under code {@code k} at {@code k << 8 | value}: its bits shifted left by 5, its
     * length in the low 5 bits (the encoder's RGB loop looks a codeword up instead of building it).
     */
    final int[] codeword;

    private QuicFamily(int bpc) {
        this.bpc = bpc;
        this.levels = 1 << bpc;
        this.mask = levels - 1;
        escapePrefix = new int[bpc];
        escapeBase = new int[bpc];
        escapeLength = new int[bpc];
        escapeSuffixMask = new int[bpc];
        codeLength = new int[256 * COUNTERS_PER_BUCKET];
        for (int k = 0; k < bpc; k++) {
            int prefix = Math.min(MAX_CODEWORD - bpc, (1 << (bpc - k)) - 1);
            int base = prefix << k;
            int suffix = ceilLog2(levels - base);
            escapePrefix[k] = prefix;
            escapeBase[k] = base;
            escapeLength[k] = prefix + suffix;
            escapeSuffixMask[k] = (1 << suffix) - 1;
            for (int value = 0; value < 256; value++) {
                codeLength[value * COUNTERS_PER_BUCKET + k] = value < base ? (value >>> k) + k + 1 : prefix + suffix;
            }
        }
        unfold = new int[levels];
        fold = new int[levels];
        for (int v = 0; v < levels; v++) {
            unfold[v] = (v & 1) != 0 ? mask - (v >>> 1) : v >>> 1;
            fold[v] = v <= (mask >>> 1) ? v << 1 : ((mask - v) << 1) + 1;
        }
        bucketOf = new int[levels];
        int buckets = 0;
        int start = 0;
        int size = 1;
        boolean first = true;
        while (start < levels) {
            if (!first) {
                size <<= 1; // every bucket after the first doubles in size
            }
            first = false;
            int end = start + size - 1;
            if (end + size >= levels) {
                end = levels - 1;
            }
            for (int v = start; v <= end; v++) {
                bucketOf[v] = buckets;
            }
            buckets++;
            start = end + 1;
        }
        bucketCount = buckets;
        bucketStart = new int[buckets + 1];
        for (int v = levels - 1; v >= 0; v--) {
            bucketStart[bucketOf[v]] = v;
        }
        bucketStart[buckets] = levels;
        descriptor = new int[bpc];
        codeword = new int[bpc << 8];
        for (int k = 0; k < bpc; k++) {
            descriptor[k] = escapePrefix[k] | k << 8 | escapeLength[k] << 16;
            for (int value = 0; value < levels; value++) {
                int bits = value < escapeBase[k] ? 1 << k | (value & ((1 << k) - 1)) : value - escapeBase[k];
                codeword[k << 8 | value] = bits << 5 | codeLength[value * COUNTERS_PER_BUCKET + k];
            }
        }
    }

    /** ceil(log2(v)) for v >= 1. */
    static int ceilLog2(int v) {
        return 32 - Integer.numberOfLeadingZeros(v - 1);
    }
}
