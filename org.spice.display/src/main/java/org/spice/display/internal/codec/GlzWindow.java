package org.spice.display.internal.codec;

import java.util.TreeMap;

import org.spice.protocol.SpiceProtocolException;

/**
 * The client side of the GLZ dictionary: the images decoded so far, by GLZ image id, that later GLZ images may
 * copy pixels from. One window serves all the display channels of a session (the server keeps one dictionary per
 * client); it is thread-safe.
 *
 * <p>Images leave the window in two ways. Each GLZ image tells how far back the server's window reaches
 * ({@code win_head_dist}); once every image up to it has arrived, older images are released, as spice-gtk does.
 * And the window holds at most {@code maxPixels} pixels besides its newest image, dropping the oldest first: pass
 * at least the {@code glz_dictionary_window_size} announced in the display init (in pixels), since the server
 * never references more than that. A reference to an image no longer (or not yet) in the window fails the decode
 * with a {@link SpiceProtocolException}.
 *
 * <p>Images are kept as decoded, in stream row order, and a top-down image is also what {@link GlzDecoder} returns
 * (neither changes it). Opaque images (every type but RGBA) hold alpha 0xff; the C decoder keeps a zero pad byte
 * there instead, which an RGBA image's alpha pass can copy: {@link Image#opaque} lets the decoder give it as 0.
 */
public final class GlzWindow {
    /**
     * 16 Mi pixels (64 MiB of pixels): the most spice-gtk announces (it announces its glz-window-size bytes / 4,
     * by default pci_ram_size / 2 clamped to 12..64 MiB). A client using this default announces at most this.
     */
    public static final long DEFAULT_MAX_PIXELS = 16L * 1024 * 1024;

    private final long maxPixels;
    /** By id, oldest first (ids are unsigned). */
    private final TreeMap<Long, Image> images = new TreeMap<>(Long::compareUnsigned);
    private long storedPixels;
    /** The lowest id not received yet, once the first image arrived. */
    private long nextId;
    private boolean started;

    /** @param opaque whether the image is of an opaque type (its alpha bytes are the C decoder's zero pad) */
    record Image(long id, long headDist, int[] pixels, boolean opaque) {
    }

    public GlzWindow() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** @param maxPixels the pixels kept besides the newest image, at least the announced window size */
    public GlzWindow(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** The pixels of the images held now. */
    public synchronized long storedPixels() {
        return storedPixels;
    }

    /** How many images the window holds now. */
    public synchronized int size() {
        return images.size();
    }

    public synchronized boolean contains(long id) {
        return images.containsKey(id);
    }

    /** Forgets every image, as after a display reset or a new session. */
    public synchronized void clear() {
        images.clear();
        storedPixels = 0;
        started = false;
        nextId = 0;
    }

    /** Image {@code id}, or an exception naming the missing image. */
    synchronized Image image(long id, long referrer) {
        Image img = images.get(id);
        if (img == null) {
            throw new SpiceProtocolException("GLZ: image " + referrer + " references image " + Long.toUnsignedString(id)
                    + ", which is not in the window (" + images.size() + " images held)");
        }
        return img;
    }

    synchronized void add(long id, long headDist, int[] pixels, boolean opaque) {
        Image old = images.put(id, new Image(id, headDist, pixels, opaque));
        if (old != null) {
            storedPixels -= old.pixels.length;
        }
        storedPixels += pixels.length;
        if (!started) {
            started = true;
            nextId = id;
        }
        // Release what the newest image of the contiguous run no longer reaches (images of several displays
        // may arrive out of order, and an older one may still reference images a newer one's head passed).
        if (id == nextId) {
            while (images.containsKey(nextId)) {
                nextId++;
            }
            Image last = images.get(nextId - 1);
            if (Long.compareUnsigned(last.headDist, last.id) <= 0) {
                long oldest = last.id - last.headDist;
                while (Long.compareUnsigned(images.firstKey(), oldest) < 0) {
                    remove(images.firstKey());
                }
            }
        }
        // Bound the memory whatever the stream says; the newest image always stays.
        while (storedPixels - pixels.length > maxPixels) {
            long first = images.firstKey();
            if (first == id) {
                Long next = images.higherKey(first);
                if (next == null) {
                    break;
                }
                first = next;
            }
            remove(first);
        }
    }

    private void remove(long id) {
        Image img = images.remove(id);
        if (img != null) {
            storedPixels -= img.pixels.length;
        }
    }
}
