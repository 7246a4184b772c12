package org.spice.display.internal.server;

import java.util.Map;
import java.util.TreeMap;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.internal.codec.GlzEncoder;
import org.spice.display.internal.codec.Graduality;
import org.spice.display.internal.codec.JpegEncoder;
import org.spice.display.internal.codec.LzEncoder;
import org.spice.display.internal.codec.QuicEncoder;

/**
 * The image encoding of one client's display channel: turns a rectangle of a frame into the SpiceImage its
 * {@link ImageCompression} setting calls for, choosing as spice-server does:
 *
 * <ul>
 * <li>Images under 54 bytes go uncompressed whatever the setting, and QUIC takes only images of at least 3x3.
 * <li>{@code auto_lz} and {@code auto_glz} send photo-like images ({@link Graduality}) as QUIC, the others as LZ or
 * GLZ.
 * <li>Where QUIC would go, JPEG goes instead when the client may get it ({@link JpegCompression}); JPEG images are
 * never cached.
 * <li>GLZ needs the client's display init (its dictionary window) and an image smaller than the window;
 * otherwise LZ goes instead. A surface's whole first picture is a GLZ image nothing copies from (see
 * {@link #encode(Frame, Rect, boolean)}).
 * <li>QUIC or LZ output that is not smaller than the bitmap is replaced by the bitmap (GLZ output is sent
 * whatever its size: the image took its id and its place in the client's window).
 * </ul>
 *
 * <p>The GLZ dictionary is this connection's: ids start at 0 with its first GLZ image. spice-gtk shares one GLZ
 * window among the display channels of a session, which is fine while a session has one display channel, as
 * with this server.
 *
 * Not thread-safe: it runs on the channel's executor.
 */
final class ImageEncoders {
    /** spice-server's MIN_SIZE_TO_COMPRESS: smaller bitmaps (stride * height bytes) go uncompressed. */
    static final int MIN_SIZE_TO_COMPRESS = 54;
    /** spice-server's MIN_DIMENSION_TO_QUIC. */
    static final int MIN_QUIC_SIDE = 3;

    /**
     * The largest GLZ window this server keeps per client whatever the client announces: the window holds a copy
     * of the pixels (4 bytes each), 16 MiB at this size.
     */
    static final long MAX_GLZ_WINDOW_PIXELS = 1L << 22;

    /**
     * The most pixels this server keeps in a client's pixmap cache whatever the client announces (spice-gtk
     * announces 20 Mi; 4 Mi pixels are 16 MiB of the client's memory).
     */
    static final long MAX_PIXMAP_CACHE_PIXELS = 1L << 22;

    /**
     * Images of at least this many pixels count for {@link #MISSES_BEFORE_PROBING}: hashing is what they cost (a
     * 256x256 image and up; smaller ones are always hashed, they cost little).
     */
    static final long LARGE_IMAGE_PIXELS = 1L << 16;
    /**
     * After this many large images in a row that missed the pixmap cache, only one large image in
     * {@link #PROBE_EVERY} is hashed and looked up. Every image sent was hashed for the cache, and on a screen whose
     * content does not repeat (video or photos shown full screen) that was 4 % of the server's samples on the 1080p
     * photo bench for no hit; a hit hashes every image again.
     */
    static final int MISSES_BEFORE_PROBING = 64;
    static final int PROBE_EVERY = 8;

    private ImageCompression mode;
    private final Map<String, long[]> sent = new TreeMap<>();
    /** Null until the client's init announced a window. */
    private GlzEncoder glz;
    /** Null until the client's init announced a pixmap cache. */
    private PixmapCache cache;

    /** Whether this client may get photo-like images as JPEG ({@link JpegCompression}). */
    private final boolean jpeg;
    /** Large images in a row that missed the cache (see {@link #MISSES_BEFORE_PROBING}). */
    private int largeMisses;
    /** Large images not hashed since the last probe, while probing. */
    private int unprobed;

    ImageEncoders(ImageCompression mode) {
        this(mode, false);
    }

    ImageEncoders(ImageCompression mode, boolean jpeg) {
        this.mode = mode;
        this.jpeg = jpeg;
    }

    boolean jpeg() {
        return jpeg;
    }

    ImageCompression mode() {
        return mode;
    }

    void mode(ImageCompression mode) {
        this.mode = mode;
    }

    /** Takes the GLZ window the client announced in its display init (pixels, unsigned). */
    void clientInit(long glzWindowPixels) {
        clientInit(glzWindowPixels, 0);
    }

    /**
     * Takes the GLZ window and the pixmap cache the client announced in its display init (both in pixels,
     * unsigned; a negative cache size is one past 2^63).
     */
    void clientInit(long glzWindowPixels, long pixmapCachePixels) {
        long pixels = Math.min(glzWindowPixels, MAX_GLZ_WINDOW_PIXELS);
        if (glz == null && pixels >= 2) {
            glz = new GlzEncoder(pixels);
        }
        long cachePixels = pixmapCachePixels < 0 ? MAX_PIXMAP_CACHE_PIXELS
                : Math.min(pixmapCachePixels, MAX_PIXMAP_CACHE_PIXELS);
        if (cache == null && cachePixels >= PixmapCache.MIN_PIXELS) {
            cache = new PixmapCache(cachePixels);
        }
    }

    /** The pixmap cache model, once the client's init arrived; for tests. */
    PixmapCache cache() {
        return cache;
    }

    /** Cache entries that left since the last call: the channel sends an INVAL_LIST before the next draw. */
    java.util.List<Long> drainEvicted() {
        return cache == null ? java.util.List.of() : cache.drainEvicted();
    }

    /** The GLZ encoder, once the client's init arrived; for tests. */
    GlzEncoder glz() {
        return glz;
    }

    /** The image for {@code box} of {@code frame}. */
    SpiceImage encode(Frame frame, Rect box) {
        return encode(frame, box, true);
    }

    /**
     * The image for {@code box} of {@code frame}; without {@code keepForGlz}, a GLZ image is one that no later
     * image copies from, of which the GLZ window keeps no copy. The channel sends a surface's whole first picture
     * so: the copy would stay for every client (4 bytes a pixel, 3 MiB at 1024x768) until later images push it
     * out, and it was most of what an idle session held. Later changes still copy from each other.
     */
    SpiceImage encode(Frame frame, Rect box, boolean keepForGlz) {
        PixmapCache.Key key = null;
        SpiceImage image = null;
        if (cache != null && cache.eligible(box.width(), box.height())) {
            boolean large = (long) box.width() * box.height() >= LARGE_IMAGE_PIXELS;
            boolean probing = large && largeMisses >= MISSES_BEFORE_PROBING;
            if (!probing || ++unprobed >= PROBE_EVERY) {
                unprobed = 0;
                key = PixmapCache.key(frame.rgb(), box.y() * frame.width() + box.x(), frame.width(), box.width(),
                        box.height());
                long id = cache.lookup(key);
                if (id >= 0) {
                    image = new SpiceImage.FromCache(id, box.width(), box.height());
                    if (large) {
                        largeMisses = 0;
                    }
                } else if (large) {
                    largeMisses++;
                    if (probing) {
                        key = null; // a probe that missed is not kept: the entries from before stay longer
                    }
                }
            }
        }
        if (image == null) {
            image = choose(frame, box, keepForGlz);
            if (key != null && image.lossless()) {
                image = image.cached(cache.add(key));
            }
        }
        long[] counts = sent.computeIfAbsent(SpiceImage.typeName(image.type()), t -> new long[2]);
        counts[0]++;
        counts[1] += image.size();
        return image;
    }

    private SpiceImage choose(Frame frame, Rect box, boolean keepForGlz) {
        int w = box.width();
        int h = box.height();
        long raw = 4L * w * h;
        SpiceImage bitmap = new SpiceImage.Bitmap(0, 0, frame, box);
        if (raw < MIN_SIZE_TO_COMPRESS || mode == ImageCompression.OFF) {
            return bitmap;
        }
        int[] px = frame.rgb();
        int offset = box.y() * frame.width() + box.x();
        int stride = frame.width();
        boolean quicable = w >= MIN_QUIC_SIDE && h >= MIN_QUIC_SIDE;
        boolean quic = switch (mode) {
            case QUIC -> quicable;
            case AUTO_LZ, AUTO_GLZ -> quicable && Graduality.photoLike(px, offset, stride, w, h);
            default -> false;
        };
        if (mode == ImageCompression.QUIC && !quicable) {
            return bitmap;
        }
        byte[] data;
        int type;
        if (quic && jpeg) {
            data = JpegEncoder.encode(w, h, px, offset, stride, JpegEncoder.DEFAULT_QUALITY);
            type = SpiceImage.TYPE_JPEG;
        } else if (quic) {
            data = QuicEncoder.encodeRgb32(w, h, px, offset, stride);
            type = SpiceImage.TYPE_QUIC;
        } else if (mode.usesGlz() && glz != null && glz.fits(w, h)) {
            return new SpiceImage.Compressed(0, SpiceImage.TYPE_GLZ_RGB, 0, w, h,
                    glz.encodeRgb32(w, h, px, offset, stride, keepForGlz));
        } else {
            data = LzEncoder.encodeRgb32(w, h, px, offset, stride);
            type = SpiceImage.TYPE_LZ_RGB;
        }
        if (data.length + 4 >= raw + 18) {
            return bitmap;
        }
        return new SpiceImage.Compressed(0, type, 0, w, h, data);
    }

    /** Images sent so far by type: count and bytes. */
    String summary() {
        StringBuilder b = new StringBuilder();
        sent.forEach((type, c) -> b.append(b.length() == 0 ? "" : ", ").append(c[0]).append(' ').append(type)
                .append(" (").append(c[1]).append(" bytes)"));
        return b.length() == 0 ? "no images" : b.toString();
    }
}
