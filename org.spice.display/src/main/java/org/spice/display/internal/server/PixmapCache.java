package org.spice.display.internal.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's account of one client's pixmap cache: which images the client keeps (sent with CACHE_ME), by
 * content, so that an image whose pixels were sent before goes as FROM_CACHE instead. The client keeps what it is
 * told and drops what an INVAL_LIST names; this model holds at most {@code capacity} pixels, the least recently
 * used images leaving first, and hands out the ids that left so that the channel invalidates them before it uses
 * the room.
 *
 * <p>An image is known by its size and two independent 64-bit hashes of its pixels (colour only): a false hit
 * would need both to collide for two pictures of the same size.
 */
final class PixmapCache {
    /** Images smaller than this are not worth an entry (a FROM_CACHE costs 18 bytes, an entry the client's memory). */
    static final int MIN_PIXELS = 1024;

    record Key(int width, int height, long h1, long h2) {
    }

    private final long capacity;
    private final LinkedHashMap<Key, long[]> entries = new LinkedHashMap<>(64, 0.75f, true); // id, pixels
    private final List<Long> evicted = new ArrayList<>();
    private long used;
    private long nextId = 1;
    private long hits;

    PixmapCache(long capacityPixels) {
        this.capacity = capacityPixels;
    }

    long capacity() {
        return capacity;
    }

    long used() {
        return used;
    }

    int size() {
        return entries.size();
    }

    long hits() {
        return hits;
    }

    /** Whether an image of this size is worth caching and fits. */
    boolean eligible(int width, int height) {
        long pixels = (long) width * height;
        return pixels >= MIN_PIXELS && pixels <= capacity;
    }

    /** The id of a cached image with these pixels (now the most recently used), or -1. */
    long lookup(Key key) {
        long[] e = entries.get(key);
        if (e == null) {
            return -1;
        }
        hits++;
        return e[0];
    }

    /** Records an image the client will cache; returns its id. Images pushed out are listed by {@link #drainEvicted}. */
    long add(Key key) {
        long pixels = (long) key.width() * key.height();
        Iterator<Map.Entry<Key, long[]>> it = entries.entrySet().iterator();
        while (used + pixels > capacity && it.hasNext()) {
            long[] old = it.next().getValue();
            it.remove();
            used -= old[1];
            evicted.add(old[0]);
        }
        long id = nextId++;
        entries.put(key, new long[] { id, pixels });
        used += pixels;
        return id;
    }

    /** The ids that left the cache since the last call; the client must be told before the next image is added. */
    List<Long> drainEvicted() {
        if (evicted.isEmpty()) {
            return List.of();
        }
        List<Long> out = List.copyOf(evicted);
        evicted.clear();
        return out;
    }

    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;

    /**
     * The key of the {@code width x height} pixels at {@code offset}, rows {@code stride} apart: two hashes of the
     * colours, each taking two pixels a step. Every image a channel sends is hashed, so the length of the chains of
     * multiplications is the time it takes: each hash runs in four lanes (a row's pixels eight at a time, a pair
     * to each lane) that are folded into one at the end, a quarter of the chain of one lane for all.
     */
    static Key key(int[] px, int offset, int stride, int width, int height) {
        long a1 = 0x243F6A8885A308D3L;
        long b1 = 0x452821E638D01377L;
        long c1 = 0xBE5466CF34E90C6CL;
        long d1 = 0xC0AC29B7C97C50DDL;
        long a2 = 0x13198A2E03707344L;
        long b2 = 0xA4093822299F31D0L;
        long c2 = 0x082EFA98EC4E6C89L;
        long d2 = 0x3F84D5B5B5470917L;
        int octets = width & ~7;
        for (int y = 0; y < height; y++) {
            int row = offset + y * stride;
            for (int x = 0; x < octets; x += 8) {
                int at = row + x;
                long p0 = (px[at] & 0xffffffL) | (px[at + 1] & 0xffffffL) << 32;
                long p1 = (px[at + 2] & 0xffffffL) | (px[at + 3] & 0xffffffL) << 32;
                long p2 = (px[at + 4] & 0xffffffL) | (px[at + 5] & 0xffffffL) << 32;
                long p3 = (px[at + 6] & 0xffffffL) | (px[at + 7] & 0xffffffL) << 32;
                a1 = (a1 ^ p0) * K1;
                b1 = (b1 ^ p1) * K1;
                c1 = (c1 ^ p2) * K1;
                d1 = (d1 ^ p3) * K1;
                a2 = (a2 + p0) * K2 ^ (a2 >>> 29);
                b2 = (b2 + p1) * K2 ^ (b2 >>> 29);
                c2 = (c2 + p2) * K2 ^ (c2 >>> 29);
                d2 = (d2 + p3) * K2 ^ (d2 >>> 29);
            }
            for (int x = octets; x < width; x++) {
                long p = px[row + x] & 0xffffffL | (long) x << 32; // the pixel with its place among the last 7
                a1 = (a1 ^ p) * K1;
                a2 = (a2 + p) * K2 ^ (a2 >>> 29);
            }
        }
        long h1 = ((a1 * K1 ^ b1) * K1 ^ c1) * K1 ^ d1;
        long h2 = ((a2 * K2 + b2) * K2 + c2) * K2 + d2;
        return new Key(width, height, h1 ^ (h1 >>> 31), h2 ^ (h2 >>> 29));
    }
}
