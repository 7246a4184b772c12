package org.spice.display.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.spice.display.internal.codec.LzFormat.*;

/**
 * Encoder of SPICE LZ images, the stream {@link LzDecoder} (and spice-common's {@code lz_decode}) reads: the
 * 28-byte header, then literal runs of up to 32 units and back references within the image, for every LZ image
 * type: RGB32, RGB24, RGBA (the colour pass, then an alpha pass), RGB16, the palette types PLT1/PLT4 (both bit
 * orders) and PLT8 (the pixels hold palette indices), and the alpha types XXXA and A8. Rows are written top row
 * first (top_down set).
 *
 * <p>The match finder is greedy. At every unit it weighs three candidates: a run of the previous unit (distance
 * 1), the unit one row up, and the last position whose next three units hashed alike; it takes the reference that
 * saves the most bytes over literals, if any does. References reach back at most 73725 units, the farthest
 * spice-common's own encoder uses.
 *
 * <p>Pixels are 0xAARRGGBB ints ({@code width} per row at {@code offset + row * stride}); bad arguments throw
 * {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}: they are the server's own pictures.
 */
public final class LzEncoder {
    /** Literal units per control byte. */
    static final int MAX_COPY = 32;
    /** Distances up to this one fit the two-byte form (13 bits of distance - 1, all ones escaping). */
    static final int MAX_NEAR_DISTANCE = 8191;
    /** The farthest distance written: spice-common's MAX_FARDISTANCE (the 16-bit form reaches 2 further). */
    static final int MAX_FAR_DISTANCE = 65535 + MAX_NEAR_DISTANCE - 1;
    /** GLZ's matches longer than this have only every {@link #SPARSE_STEP}-th position hashed. */
    static final int LONG_MATCH = 32;
    static final int SPARSE_STEP = 8;
    /** The most hash bits of an LZ pass: 2^13 slots of 4 bytes, spice-common's own table size. */
    static final int LZ_TABLE_BITS = 13;
    /** An LZ pass puts every LZ_MATCH_STEP-th position inside a match into the hash table. */
    static final int LZ_MATCH_STEP = 16;

    /** Writes an int's 4 bytes, lowest first, at any byte index: an RGB unit's 3 bytes in one store. */
    private static final VarHandle LITTLE_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private LzEncoder() {
    }

    /** An opaque image as LZ RGB32. */
    public static byte[] encodeRgb32(int width, int height, int[] pixels, int offset, int stride) {
        return encode(RGB32, width, height, pixels, offset, stride);
    }

    /** An image with alpha as LZ RGBA. */
    public static byte[] encodeRgba(int width, int height, int[] pixels, int offset, int stride) {
        return encode(RGBA, width, height, pixels, offset, stride);
    }

    /**
     * Encodes {@code width x height} pixels as LZ image {@code type} (an {@code LzFormat} type, 1..11). For the
     * palette types the low byte of each pixel is its palette index (PLT4 takes its low 4 bits, PLT1 its low bit);
     * XXXA and A8 take the alpha byte; RGB16 the top 5 bits of each colour component.
     */
    public static byte[] encode(int type, int width, int height, int[] pixels, int offset, int stride) {
        if (type < PLT1_LE || type > A8) {
            throw new IllegalArgumentException("LZ image type " + type);
        }
        QuicEncoder.checkArea(width, height, pixels, offset, stride, "LZ");
        int kind = firstPassKind(type);
        int rowBytes = rowBytes(type, width);
        int rowUnits = isPalette(type) ? rowBytes : width;
        long n = (long) rowUnits * height;
        long guess = 28 + (long) height * rowBytes + n / 8 + 64;
        ByteSink out = new ByteSink((int) Math.min(guess, 1 << 26));
        out.u32(MAGIC);
        out.u32(VERSION);
        out.u32(type);
        out.u32(width);
        out.u32(height);
        out.u32(type == RGB32 || type == RGBA || type == XXXA ? 4L * width : rowBytes);
        out.u32(1); // top_down
        if ((type == RGB32 || type == RGB24) && (stride == width || height == 1)) {
            // the pixels are the units but for their alpha byte, which every comparison masks off: no copy
            pass(out, pixels, offset, (int) n, rowUnits, kind, 0xffffff);
        } else {
            int[] units = units(type, kind, width, height, pixels, offset, stride, rowUnits);
            pass(out, units, 0, units.length, rowUnits, kind, -1);
        }
        if (type == RGBA) {
            int[] alpha = units(XXXA, K_ALPHA, width, height, pixels, offset, stride, width);
            pass(out, alpha, 0, alpha.length, width, K_ALPHA, -1);
        }
        return out.toBytes();
    }

    /** Bytes of one row in the stream's units (palette types pack pixels into bytes). */
    static int rowBytes(int type, int width) {
        return switch (type) {
            case PLT1_LE, PLT1_BE -> (width + 7) / 8;
            case PLT4_LE, PLT4_BE -> (width + 1) / 2;
            case PLT8, XXXA, A8 -> width;
            case RGB16 -> 2 * width;
            default -> 3 * width; // RGB24, RGB32, RGBA colour: 3 bytes a pixel in the stream
        };
    }

    /** The units of the first pass: one per pixel, or per packed byte for palette types. */
    private static int[] units(int type, int kind, int width, int height, int[] px, int offset, int stride,
            int rowUnits) {
        int[] u = new int[rowUnits * height];
        for (int y = 0; y < height; y++) {
            int src = offset + y * stride;
            int dst = y * rowUnits;
            switch (kind) {
                case K_RGB -> {
                    for (int x = 0; x < width; x++) {
                        u[dst + x] = px[src + x] & 0xffffff;
                    }
                }
                case K_RGB16 -> {
                    for (int x = 0; x < width; x++) {
                        int p = px[src + x];
                        u[dst + x] = ((p >>> 19) & 0x1f) << 10 | ((p >>> 11) & 0x1f) << 5 | ((p >>> 3) & 0x1f);
                    }
                }
                case K_ALPHA, K_A8 -> {
                    for (int x = 0; x < width; x++) {
                        u[dst + x] = px[src + x] >>> 24;
                    }
                }
                case K_PLT8 -> {
                    for (int x = 0; x < width; x++) {
                        u[dst + x] = px[src + x] & 0xff;
                    }
                }
                case K_PLT4_BE, K_PLT4_LE -> {
                    boolean be = kind == K_PLT4_BE;
                    for (int x = 0; x < width; x++) {
                        int v = px[src + x] & 0x0f;
                        int shift = ((x & 1) == 0) == be ? 4 : 0;
                        u[dst + x / 2] |= v << shift;
                    }
                }
                default -> { // K_PLT1_BE, K_PLT1_LE
                    boolean be = kind == K_PLT1_BE;
                    for (int x = 0; x < width; x++) {
                        if ((px[src + x] & 1) != 0) {
                            u[dst + x / 8] |= 1 << (be ? 7 - (x & 7) : x & 7);
                        }
                    }
                }
            }
        }
        return u;
    }

    /** Table size for n units: about two slots a unit, 2^8 to 2^16. */
    static int hashBits(int n) {
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n));
        return Math.max(8, Math.min(16, bits + 1));
    }

    /**
     * Table size of an LZ pass: as {@link #hashBits} but at most 2^{@link #LZ_TABLE_BITS} slots. A table that stays
     * in the first-level cache beside the pixels streaming through made photo-like pictures encode 1.5 to 2 times
     * faster than 2^16 slots, for streams 0.01 to 0.3 % larger (docs/codec-bench.md).
     */
    static int lzTableBits(int n) {
        return Math.min(LZ_TABLE_BITS, hashBits(n));
    }

    static int hash(int a, int b, int c) {
        return a * 0x9E3779B1 ^ b * 0x85EBCA6B ^ c * 0xC2B2AE35;
    }

    /**
     * Units starting at {@code i} equal to those at {@code ref}, at most {@code max}; ref < i. The ranges may
     * overlap (a run): the input does not change while it is compared, so that is what a decoder's copy gives.
     */
    static int extend(int[] u, int ref, int i, int max) {
        return extend(u, ref, u, i, max);
    }

    /** Units starting at {@code i} of {@code u} equal to those at {@code from} of {@code src}, at most {@code max}. */
    static int extend(int[] src, int from, int[] u, int i, int max) {
        int len = Arrays.mismatch(src, from, from + max, u, i, i + max); // vectorized: long matches are common
        return len < 0 ? max : len;
    }

    /**
     * Units from {@code i} equal to those from {@code ref} in the bits of {@code mask}, at most {@code max}. Whole
     * ints are compared first (vectorized); where they differ outside the mask the comparison goes on after them.
     */
    static int extend(int[] u, int ref, int i, int max, int mask) {
        int len = 0;
        while (true) {
            int m = Arrays.mismatch(u, ref + len, ref + max, u, i + len, i + max);
            if (m < 0) {
                return max;
            }
            len += m;
            if (((u[ref + len] ^ u[i + len]) & mask) != 0) {
                return len;
            }
            len++;
        }
    }

    /** Bytes of a reference: control byte, distance byte(s), length extension. */
    static int refCost(int len, int dist, int minMatch) {
        int l = len - minMatch + 1;
        int cost = dist <= MAX_NEAR_DISTANCE ? 2 : 4;
        if (l >= 7) {
            cost += 1 + (l - 7) / 255;
        }
        return cost;
    }

    static int minMatch(int kind) {
        return kind == K_RGB ? 1 : kind == K_RGB16 ? 2 : 3;
    }

    /**
     * One LZ pass over units {@code u[base, base + n)}, compared in the bits of {@code mask} (the pixels themselves
     * for RGB24/RGB32, their alpha byte masked off; -1 where the units were made for the pass).
     */
    private static void pass(ByteSink out, int[] u, int base, int n, int rowUnits, int kind, int mask) {
        final int unitBytes = bytesPerUnit(kind);
        final int minMatch = minMatch(kind);
        final int shift = 32 - lzTableBits(n);
        final int[] head = new int[1 << (32 - shift)]; // index + 1; 0 is empty
        final int end = base + n;
        final int hashEnd = end - 2; // the last index with three units to hash
        final int rowStart = rowUnits > 1 && rowUnits <= MAX_FAR_DISTANCE ? base + rowUnits : Integer.MAX_VALUE;
        int lit = base;
        int i = base;
        while (i < end) {
            // Through a stretch of literals (a picture's grain) the three candidates rarely start alike: look
            // only at their first units, keeping nothing else, until one does
            int cand = -1;
            boolean hashed = false;
            if (i > base) {
                int prev = u[i - 1] & mask;
                while (i < hashEnd) {
                    int cur = u[i] & mask;
                    if (cur == prev || i >= rowStart && cur == (u[i - rowUnits] & mask)) {
                        break;
                    }
                    int h = hash(cur, u[i + 1] & mask, u[i + 2] & mask) >>> shift;
                    int c = head[h] - 1;
                    head[h] = i + 1;
                    if (c >= base && i - c <= MAX_FAR_DISTANCE && cur == (u[c] & mask)) {
                        cand = c;
                        hashed = true;
                        break;
                    }
                    prev = cur;
                    i++;
                }
            }
            int max = end - i;
            int cur = u[i] & mask;
            int bestLen = 0;
            int bestDist = 0;
            int bestGain = 0;
            if (i > base && cur == (u[i - 1] & mask)) {
                int len = extend(u, i - 1, i, max, mask);
                int gain = len * unitBytes - refCost(len, 1, minMatch);
                if (len >= minMatch && gain > bestGain) {
                    bestLen = len;
                    bestDist = 1;
                    bestGain = gain;
                }
            }
            if (bestLen < max && i >= rowStart && cur == (u[i - rowUnits] & mask)) {
                int len = extend(u, i - rowUnits, i, max, mask);
                int gain = len * unitBytes - refCost(len, rowUnits, minMatch);
                if (len >= minMatch && gain > bestGain) {
                    bestLen = len;
                    bestDist = rowUnits;
                    bestGain = gain;
                }
            }
            if (!hashed && i < hashEnd) {
                int h = hash(cur, u[i + 1] & mask, u[i + 2] & mask) >>> shift;
                cand = head[h] - 1;
                head[h] = i + 1;
                hashed = true;
            }
            if (hashed) {
                int dist = i - cand;
                if (cand >= base && bestLen < max && dist <= MAX_FAR_DISTANCE && dist != bestDist
                        && cur == (u[cand] & mask)) {
                    int len = extend(u, cand, i, max, mask);
                    int gain = len * unitBytes - refCost(len, dist, minMatch);
                    if (len >= minMatch && gain > bestGain) {
                        bestLen = len;
                        bestDist = dist;
                        bestGain = gain;
                    }
                }
            }
            if (bestGain <= 0) {
                i++;
                continue;
            }
            literals(out, u, lit, i, kind);
            reference(out, bestLen, bestDist, minMatch);
            int matchEnd = i + bestLen;
            if (bestDist > 1) {
                // every LZ_MATCH_STEP-th position inside the match becomes a candidate too (a run's would all look
                // alike): a later repeat is looked up at every position, so one lands on an entry. Fewer entries
                // from matches leave more of the small table to literal stretches: streams came out as small or
                // smaller than with every position of short matches and every 8th of long ones (GLZ's rule)
                for (int j = i + 1; j < matchEnd && j < hashEnd; j += LZ_MATCH_STEP) {
                    head[hash(u[j] & mask, u[j + 1] & mask, u[j + 2] & mask) >>> shift] = j + 1;
                }
            }
            i = matchEnd;
            lit = i;
        }
        literals(out, u, lit, end, kind);
    }

    /** Units {@code [from, to)} as literal runs of up to 32. */
    static void literals(ByteSink out, int[] u, int from, int to, int kind) {
        int unitBytes = bytesPerUnit(kind);
        while (from < to) {
            int count = Math.min(MAX_COPY, to - from);
            out.ensure(2 + count * unitBytes); // one more: an RGB unit is stored as 4 bytes, the 4th overwritten
            out.u8(count - 1);
            byte[] b = out.buf;
            int p = out.pos;
            int end = from + count;
            switch (unitBytes) {
                case 3 -> {
                    for (int j = from; j < end; j++) {
                        LITTLE_ENDIAN_INT.set(b, p, u[j]);
                        p += 3;
                    }
                }
                case 2 -> {
                    for (int j = from; j < end; j++) {
                        int v = u[j];
                        b[p++] = (byte) (v >>> 8);
                        b[p++] = (byte) v;
                    }
                }
                default -> {
                    for (int j = from; j < end; j++) {
                        b[p++] = (byte) u[j];
                    }
                }
            }
            out.pos = p;
            from = end;
        }
    }

    /** A back reference of {@code len} units {@code dist} units back. */
    private static void reference(ByteSink out, int len, int dist, int minMatch) {
        int l = len - minMatch + 1;
        int d = dist - 1;
        boolean far = d >= MAX_NEAR_DISTANCE;
        out.ensure(8 + l / 255);
        out.u8((Math.min(l, 7) << 5) | (far ? 31 : d >>> 8));
        lengthExtension(out, l);
        if (far) {
            int f = d - MAX_NEAR_DISTANCE;
            out.u8(255);
            out.u8(f >>> 8);
            out.u8(f);
        } else {
            out.u8(d);
        }
    }

    /** The bytes after the control byte of a length field of 7 or more: 255s, then the rest. */
    static void lengthExtension(ByteSink out, int l) {
        if (l >= 7) {
            int rest = l - 7;
            while (rest >= 255) {
                out.u8(255);
                rest -= 255;
            }
            out.u8(rest);
        }
    }
}
