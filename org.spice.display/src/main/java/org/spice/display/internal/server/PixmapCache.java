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

    /**
     * The key of the {@code width x height} pixels at {@code offset}, rows {@code stride} apart: two hashes of the
     * colours, each taking two pixels a step (every image a channel sends is hashed, so the length of the chain
     * of multiplications is the time it takes).
     */
    static Key key(int[] px, int offset, int stride, int width, int height) {
        long h1 = 0x243F6A8885A308D3L;
        long h2 = 0x13198A2E03707344L;
        int pairs = width & ~1;
        for (int y = 0; y < height; y++) {
            int row = offset + y * stride;
            for (int x = 0; x < pairs; x += 2) {
                long p = (px[row + x] & 0xffffffL) | (px[row + x + 1] & 0xffffffL) << 32;
                h1 = (h1 ^ p) * 0x9E3779B97F4A7C15L;
                h2 = (h2 + p) * 0xC2B2AE3D27D4EB4FL ^ (h2 >>> 29);
            }
            if (pairs < width) {
                long p = px[row + pairs] & 0xffffffL;
                h1 = (h1 ^ p) * 0x9E3779B97F4A7C15L;
                h2 = (h2 + p) * 0xC2B2AE3D27D4EB4FL ^ (h2 >>> 29);
            }
        }
        return new Key(width, height, h1 ^ (h1 >>> 31), h2);
    }
}
