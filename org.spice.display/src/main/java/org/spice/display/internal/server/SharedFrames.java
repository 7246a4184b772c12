package org.spice.display.internal.server;

import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;

/**
 * Video frames encoded once for every stream that shows the same area of the same frame with an encoder whose output
 * depends on nothing else (MJPEG at its fixed quality): with many clients watching one video, the first stream's
 * encode serves them all instead of each stream encoding the frame again. Encodes run on the video workers, never
 * on an event loop; a stream whose frame is being encoded for another waits for that encode on its worker.
 *
 * <p>Keeps the data of the last {@value #KEEP} frames and only a weak reference to their pixels, which tell a frame
 * from another of the same serial (a new source counts from 1 again).
 */
final class SharedFrames {
    /** Frames remembered: streams run at most a frame or two behind the newest (one encoding, one waiting). */
    static final int KEEP = 8;

    private record Key(long serial, int width, int height, Rect area) {
    }

    private static final class Entry {
        final WeakReference<int[]> pixels;
        final CompletableFuture<byte[]> data = new CompletableFuture<>();

        Entry(int[] pixels) {
            this.pixels = new WeakReference<>(pixels);
        }
    }

    private final Map<Key, Entry> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > KEEP;
        }
    };
    private long encodes;
    private long reuses;

    /**
     * The data of {@code area} of {@code f}: what {@code encode} made of it for this or another stream, or made now
     * (worker thread). A failed encode fails every stream that waited for it.
     */
    byte[] encode(Frame f, Rect area, Supplier<byte[]> encode) {
        Key k = new Key(f.serial(), f.width(), f.height(), area);
        Entry e;
        boolean mine;
        synchronized (recent) {
            e = recent.get(k);
            mine = e == null || e.pixels.get() != f.rgb();
            if (mine) {
                e = new Entry(f.rgb());
                recent.put(k, e);
                encodes++;
            } else {
                reuses++;
            }
        }
        if (!mine) {
            try {
                return e.data.join();
            } catch (CompletionException failed) {
                throw failed.getCause() instanceof RuntimeException r ? r : failed;
            }
        }
        try {
            byte[] data = encode.get();
            e.data.complete(data);
            return data;
        } catch (RuntimeException | Error failed) {
            // an Error too: a stream waiting on this encode must not wait for ever
            e.data.completeExceptionally(failed);
            throw failed;
        }
    }

    /** Frames encoded, and frames served from another stream's encode, so far. */
    long[] counts() {
        synchronized (recent) {
            return new long[] {encodes, reuses};
        }
    }
}
