package org.spice.display.internal.codec;

import static org.spice.display.internal.codec.LzFormat.*;

import java.util.Map;
import java.util.TreeMap;

/**
 * Encoder of SPICE GLZ images ({@code GLZ_RGB}), the stream {@link GlzDecoder} and spice-gtk read: LZ whose
 * references may also copy pixels of the images encoded before, as long as they are in this encoder's dictionary
 * window. One encoder serves one client (its display channel connection): the client keeps the images in its own
 * window, by id, so the ids must run 0, 1, 2, ... without a gap, in the order the client decodes them.
 *
 * <p>The window holds up to {@code windowPixels} pixels of the latest images, the image being encoded included;
 * pass at most what the client announced in its display init ({@code glz_dictionary_window_size}, in pixels). An
 * image of that size or more does not fit ({@link #fits}; spice-server then sends LZ). Before an image is encoded
 * the oldest images leave the window until it has room, and the image's header tells the client how far back the
 * window now reaches ({@code win_head_dist}: id minus the id of the oldest image kept). spice-gtk releases every
 * image older than that once all images up to this one arrived, so references go only to images still in the
 * window at the time of encoding, which the client still holds.
 *
 * <p>Types: RGB32 (the colour, 3 bytes a pixel) and RGBA (the colour pass, then the alpha pass, whose references
 * stay inside the image). Rows go top row first. The match finder is that of {@link LzEncoder}, with the hash
 * table spanning the whole window: a repeat of pixels sent in an earlier image becomes a reference to that image.
 *
 * <p>Not thread-safe. Arguments are the server's own pictures: bad ones throw {@link IllegalArgumentException}.
 */
public final class GlzEncoder {
    /** Pixel offsets are 25 bits in the format: no window (and no image) may be larger. */
    public static final long MAX_WINDOW_PIXELS = 1L << 25;
    /** Image distances are at most 3 bytes in the long form. */
    static final long MAX_IMAGE_DIST = (1L << 24) - 1;
    /** The window's hash table at most: 2^18 positions (2 MiB, and 1 MiB for {@link #tableUnit}). */
    private static final int HASH_BITS = 18;
    /** And at least, once there is one: 2^10 positions (8 KiB, and 4 KiB). */
    private static final int MIN_HASH_BITS = 10;
    /**
     * Window pixels per slot of the table: it grows (twice as large, refilled from the window) when the window
     * holds more than this many pixels a slot. A table sized for the whole window from the start cost every client
     * 2 MiB even when its window held a few small images.
     */
    private static final int PIXELS_PER_SLOT = 4;
    /**
     * Units the window's table keys on. Longer than the three of the in-image table: what repeats across images is
     * content redrawn or moved, and a short key would point into any flat or periodic area of the last image.
     */
    static final int GLOBAL_KEY = 8;

    private final long windowPixels;
    /** The window's images by their first global position, oldest first. */
    private final TreeMap<Long, Image> window = new TreeMap<>();
    private long used;
    /** Pixels of the window's images that later images may copy from (their copy is kept). */
    private long kept;
    private long nextId;
    /** Global position (over all images ever encoded) of the next image's first pixel. */
    private long nextStart;
    /**
     * Hash of {@link #GLOBAL_KEY} units to their global position + 1; 0 is empty. Entries before the window are
     * stale. Null before the first image; {@link #tableBits} wide.
     */
    private long[] table;
    /**
     * The first unit at each {@link #table} entry's position, set with it: a slot whose unit differs from the
     * pixel at hand cannot start a match, and this says so without finding the entry's image and reading its
     * pixels (a walk of the window and a cache miss for every pixel of a picture the window does not hold).
     */
    private int[] tableUnit;
    private int tableBits;

    /** An image of the window: its pixels, or null when nothing may copy from it. */
    private record Image(long id, long start, int pixels, int[] units) {
    }

    /** @param windowPixels the dictionary size in pixels, 2 to {@link #MAX_WINDOW_PIXELS} */
    public GlzEncoder(long windowPixels) {
        if (windowPixels < 2 || windowPixels > MAX_WINDOW_PIXELS) {
            throw new IllegalArgumentException("GLZ window of " + windowPixels + " pixels");
        }
        this.windowPixels = windowPixels;
    }

    public long windowPixels() {
        return windowPixels;
    }

    /** The id the next image gets. */
    public long nextId() {
        return nextId;
    }

    /** Images in the window now. */
    public int windowImages() {
        return window.size();
    }

    /** Whether an image of this size may be GLZ-encoded: smaller than the window, as spice-server requires. */
    public boolean fits(int width, int height) {
        return (long) width * height < windowPixels;
    }

    /** Encodes an opaque image as GLZ RGB32 and adds it to the window. */
    public byte[] encodeRgb32(int width, int height, int[] pixels, int offset, int stride) {
        return encode(RGB32, width, height, pixels, offset, stride);
    }

    /**
     * Encodes an opaque image as GLZ RGB32; with {@code keep} false no later image copies from it, so the window
     * keeps no copy of its pixels (4 bytes each): it still takes its id and, until the next image tells the client to
     * let it go (when no older image is kept), its room in the client's window. For a large image that later ones
     * seldom repeat, such as the whole first picture every client gets.
     */
    public byte[] encodeRgb32(int width, int height, int[] pixels, int offset, int stride, boolean keep) {
        return encode(RGB32, width, height, pixels, offset, stride, keep);
    }

    /**
     * Encodes an image as GLZ of {@code type} ({@code LzFormat.RGB32} or {@code RGBA}) and adds it to the window.
     *
     * @throws IllegalArgumentException for another type or an image that does not {@link #fits fit}
     */
    public byte[] encode(int type, int width, int height, int[] pixels, int offset, int stride) {
        return encode(type, width, height, pixels, offset, stride, true);
    }

    private byte[] encode(int type, int width, int height, int[] pixels, int offset, int stride, boolean keep) {
        if (type != RGB32 && type != RGBA) {
            throw new IllegalArgumentException("GLZ encodes RGB32 and RGBA, not " + typeName(type));
        }
        QuicEncoder.checkArea(width, height, pixels, offset, stride, "GLZ");
        if (!fits(width, height)) {
            throw new IllegalArgumentException("GLZ: a " + width + "x" + height + " image does not fit a window of "
                    + windowPixels + " pixels");
        }
        int n = width * height;
        int[] units = new int[n];
        for (int y = 0; y < height; y++) {
            int src = offset + y * stride;
            int dst = y * width;
            for (int x = 0; x < width; x++) {
                units[dst + x] = pixels[src + x] & 0xffffff;
            }
        }
        while (used + n > windowPixels) {
            Image oldest = window.pollFirstEntry().getValue();
            used -= oldest.pixels;
            kept -= oldest.units == null ? 0 : oldest.pixels;
        }
        // Images nothing copies from leave the window as soon as they are its oldest: this image's head distance
        // then tells the client to let them go. The whole first picture every client gets (3 MiB at 1024x768) stayed
        // in each client's window until later images pushed it out, a third of what a viewer of a demo held.
        while (!window.isEmpty() && window.firstEntry().getValue().units == null) {
            used -= window.pollFirstEntry().getValue().pixels;
        }
        if (keep || kept > 0) {
            growTable(kept + (keep ? n : 0));
        }
        long id = nextId++;
        long start = nextStart;
        long headId = window.isEmpty() ? id : window.firstEntry().getValue().id;
        long windowStart = window.isEmpty() ? start : window.firstKey();

        ByteSink out = new ByteSink((int) Math.min(64 + 3L * n + n / 16, 1 << 26));
        out.u32(MAGIC);
        out.u32(VERSION);
        out.ensure(1);
        out.u8(type | 0x10); // top_down
        out.u32(width);
        out.u32(height);
        out.u32(4L * width);
        out.u32(id >>> 32);
        out.u32(id);
        out.u32(id - headId);
        // without a table there is nothing kept to copy from, and this image is not kept either
        pass(out, units, width, K_RGB, id, start, windowStart, table != null, keep);
        if (type == RGBA) {
            int[] alpha = new int[n];
            for (int y = 0; y < height; y++) {
                int src = offset + y * stride;
                for (int x = 0; x < width; x++) {
                    alpha[y * width + x] = pixels[src + x] >>> 24;
                }
            }
            pass(out, alpha, width, K_ALPHA, id, start, windowStart, false, false);
        }
        window.put(start, new Image(id, start, n, keep ? units : null));
        used += n;
        kept += keep ? n : 0;
        nextStart = start + n;
        return out.toBytes();
    }

    /**
     * One pass over {@code u}. References inside the image come from the run, the row above and a table of this
     * image's positions; with {@code global}, a second table, of the window's earlier images, offers references
     * to them (this image's positions join it only at the end, so that within the image its entries still point
     * to earlier images). The alpha pass has no global table. Without {@code insert} this image's positions never
     * join the table (nothing copies from it later).
     */
    private void pass(ByteSink out, int[] u, int rowUnits, int kind, long id, long start, long windowStart,
            boolean global, boolean insert) {
        final int n = u.length;
        final int bias = kind == K_RGB ? 0 : 2;
        final int minLen = bias + 1;
        final int unitBytes = bytesPerUnit(kind);
        final int localBits = LzEncoder.lzTableBits(n);
        final int[] local = new int[1 << localBits]; // position + 1
        final int keyed = n - GLOBAL_KEY + 1; // positions with a whole key of units
        // slot + 1 of the positions that join the window's table at the end; 0 for those that do not
        final int[] hashes = global && insert ? new int[Math.max(0, keyed)] : null;
        int lit = 0;
        int i = 0;
        while (i < n) {
            int max = n - i;
            int bestLen = 0;
            int bestGain = 0;
            long bestOfs = 0;
            long bestImageDist = 0;
            if (i > 0 && u[i] == u[i - 1]) {
                int len = LzEncoder.extend(u, i - 1, i, max);
                int gain = len * unitBytes - cost(len - bias, 0, 0);
                if (len >= minLen && gain > bestGain) {
                    bestLen = len;
                    bestGain = gain;
                }
            }
            if (bestLen < max && rowUnits > 1 && i >= rowUnits && u[i] == u[i - rowUnits]) {
                int len = LzEncoder.extend(u, i - rowUnits, i, max);
                int gain = len * unitBytes - cost(len - bias, rowUnits - 1, 0);
                if (len >= minLen && gain > bestGain) {
                    bestLen = len;
                    bestGain = gain;
                    bestOfs = rowUnits - 1;
                }
            }
            if (i + 2 < n) {
                long m = mix(u[i], u[i + 1], u[i + 2]);
                int h = (int) (m >>> (64 - localBits));
                int cand = local[h] - 1;
                local[h] = i + 1;
                if (cand >= 0 && bestLen < max && cand != i - 1 && cand != i - rowUnits && u[cand] == u[i]) {
                    int len = LzEncoder.extend(u, cand, i, max);
                    long ofs = i - cand - 1;
                    int gain = len * unitBytes - cost(len - bias, ofs, 0);
                    if (len >= minLen && gain > bestGain) {
                        bestLen = len;
                        bestGain = gain;
                        bestOfs = ofs;
                        bestImageDist = 0;
                    }
                }
                if (global && i < keyed) {
                    int g = key(u, i);
                    if (hashes != null) {
                        hashes[i] = g + 1;
                    }
                    long gc = table[g] - 1;
                    if (gc >= windowStart && bestLen < max && tableUnit[g] == u[i]) {
                        Image img = window.floorEntry(gc).getValue();
                        int from = (int) (gc - img.start);
                        long imageDist = id - img.id;
                        int[] src = img.units;
                        if (imageDist <= MAX_IMAGE_DIST && src[from] == u[i]) {
                            int len = LzEncoder.extend(src, from, u, i, Math.min(max, src.length - from));
                            int gain = len * unitBytes - cost(len - bias, from, imageDist);
                            if (len >= minLen && gain > bestGain) {
                                bestLen = len;
                                bestGain = gain;
                                bestOfs = from;
                                bestImageDist = imageDist;
                            }
                        }
                    }
                }
            }
            if (bestGain <= 0) {
                i++;
                continue;
            }
            LzEncoder.literals(out, u, lit, i, kind);
            reference(out, bestLen - bias, bestOfs, bestImageDist);
            int end = i + bestLen;
            boolean run = bestImageDist == 0 && bestOfs == 0;
            // Inside a long match every LzEncoder.SPARSE_STEP-th position is enough for later repeats to find it (they
            // look at every position, so one lands on an entry within SPARSE_STEP); hashing each one was most of
            // the time of a full-screen change that repeats earlier images.
            int step = bestLen > LzEncoder.LONG_MATCH ? LzEncoder.SPARSE_STEP : 1;
            if (!run) {
                for (int j = i + 1; j < end && j + 2 < n; j += step) {
                    local[(int) (mix(u[j], u[j + 1], u[j + 2]) >>> (64 - localBits))] = j + 1;
                }
            }
            if (hashes != null) {
                for (int j = i + 1; j < end && j < keyed; j += step) {
                    hashes[j] = key(u, j) + 1;
                }
            }
            i = end;
            lit = i;
        }
        LzEncoder.literals(out, u, lit, n, kind);
        if (hashes != null) {
            for (int j = 0; j < hashes.length; j++) {
                int g = hashes[j] - 1;
                if (g >= 0) {
                    table[g] = start + j + 1;
                    tableUnit[g] = u[j];
                }
            }
        }
    }

    /**
     * Makes the table wide enough for a window of {@code pixels} ({@link #PIXELS_PER_SLOT} a slot, within
     * {@link #MIN_HASH_BITS}..{@link #HASH_BITS} bits); a wider table is filled again from the window's images,
     * oldest first, so that each slot names the newest position with its key, as if it had been that wide all along
     * (but for the collisions the narrower one had).
     */
    private void growTable(long pixels) {
        int bits = MIN_HASH_BITS;
        while (bits < HASH_BITS && (1L << bits) * PIXELS_PER_SLOT < pixels) {
            bits++;
        }
        if (table != null && bits <= tableBits) {
            return;
        }
        tableBits = bits;
        table = new long[1 << bits];
        tableUnit = new int[1 << bits];
        for (Image img : window.values()) {
            if (img.units == null) {
                continue;
            }
            for (int j = 0; j + GLOBAL_KEY <= img.units.length; j++) {
                int g = key(img.units, j);
                table[g] = img.start + j + 1;
                tableUnit[g] = img.units[j];
            }
        }
    }

    /** Pixels of the window's images whose copy it keeps for later images to copy from. */
    public long keptPixels() {
        return kept;
    }

    /** Slots of the window's table now (0 before the first image); for tests. */
    int tableSlots() {
        return table == null ? 0 : table.length;
    }

    /**
     * The global table's slot for the {@link #GLOBAL_KEY} units at {@code i}: the 24-bit units in pairs, four
     * products that do not wait for each other (a chain of eight took most of a literal pixel's time).
     */
    private int key(int[] u, int i) {
        long m = (u[i] | (long) u[i + 1] << 24) * 0x9E3779B97F4A7C15L
                ^ (u[i + 2] | (long) u[i + 3] << 24) * 0xC2B2AE3D27D4EB4FL
                ^ (u[i + 4] | (long) u[i + 5] << 24) * 0x165667B19E3779F9L
                ^ (u[i + 6] | (long) u[i + 7] << 24) * 0xD6E8FEB86659FD93L;
        return (int) (m >>> (64 - tableBits));
    }

    private static long mix(int a, int b, int c) {
        return (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL) ^ (c * 0x165667B19E3779F9L);
    }

    private static boolean isLong(long pixelOfs, long imageDist) {
        return pixelOfs >= 1 << 12 || imageDist >= 1 << 22;
    }

    /** Bytes of a reference with length field {@code l}: control, offset and distance bytes, length extension. */
    static int cost(int l, long pixelOfs, long imageDist) {
        int c = 3;
        if (!isLong(pixelOfs, imageDist)) {
            c += imageDist < 1 << 6 ? 0 : imageDist < 1 << 14 ? 1 : 2;
        } else {
            c += imageDist == 0 ? 0 : imageDist < 1 << 8 ? 1 : imageDist < 1 << 16 ? 2 : 3;
            c += pixelOfs >= 1 << 17 ? 1 : 0;
        }
        if (l >= 7) {
            c += 1 + (l - 7) / 255;
        }
        return c;
    }

    /**
     * A reference with length field {@code l}: image distance 0 copies from {@code pixelOfs + 1} units back in this
     * image, any other from unit {@code pixelOfs} of the image that many ids back.
     */
    private static void reference(ByteSink out, int l, long pixelOfs, long imageDist) {
        boolean isLong = isLong(pixelOfs, imageDist);
        out.ensure(16 + l / 255);
        out.u8((Math.min(l, 7) << 5) | (isLong ? 0x10 : 0) | (int) (pixelOfs & 0x0f));
        LzEncoder.lengthExtension(out, l);
        out.u8((int) (pixelOfs >>> 4));
        if (!isLong) {
            int bytes = imageDist < 1 << 6 ? 0 : imageDist < 1 << 14 ? 1 : 2;
            out.u8(bytes << 6 | (int) (imageDist & 0x3f));
            for (int b = 0; b < bytes; b++) {
                out.u8((int) (imageDist >>> (6 + 8 * b)));
            }
        } else {
            int bytes = imageDist == 0 ? 0 : imageDist < 1 << 8 ? 1 : imageDist < 1 << 16 ? 2 : 3;
            boolean veryLong = pixelOfs >= 1 << 17;
            out.u8(bytes << 6 | (veryLong ? 0x20 : 0) | (int) ((pixelOfs >>> 12) & 0x1f));
            for (int b = 0; b < bytes; b++) {
                out.u8((int) (imageDist >>> (8 * b)));
            }
            if (veryLong) {
                out.u8((int) (pixelOfs >>> 17));
            }
        }
    }
}
