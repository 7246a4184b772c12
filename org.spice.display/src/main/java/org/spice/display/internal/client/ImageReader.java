package org.spice.display.internal.client;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.LongFunction;
import org.spice.display.internal.codec.BitmapCodec;
import org.spice.display.internal.codec.GlzDecoder;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.display.internal.codec.ImageLimits;
import org.spice.display.internal.codec.JpegDecoder;
import org.spice.display.internal.codec.Lz4Decoder;
import org.spice.display.internal.codec.LzDecoder;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.codec.QuicDecoder;
import org.spice.display.internal.raster.Mask;
import org.spice.display.internal.raster.Surface;
import org.spice.display.video.Lz4DecoderService;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.Wire;

/**
 * Reads the SpiceImage a draw message points at and decodes it, keeping the client's pixmap and palette
 * caches as the server directs (CACHE_ME, FROM_CACHE, INVAL_*).
 */
final class ImageReader {
    static final int BITMAP = 0;
    static final int QUIC = 1;
    static final int LZ_PLT = 100;
    static final int LZ_RGB = 101;
    static final int GLZ_RGB = 102;
    static final int FROM_CACHE = 103;
    static final int SURFACE = 104;
    static final int JPEG = 105;
    static final int FROM_CACHE_LOSSLESS = 106;
    static final int ZLIB_GLZ_RGB = 107;
    static final int JPEG_ALPHA = 108;
    static final int LZ4 = 109;

    static final int IMAGE_CACHE_ME = 1;
    static final int BITMAP_PAL_CACHE_ME = 1;
    static final int BITMAP_PAL_FROM_CACHE = 2;
    static final int BITMAP_TOP_DOWN = 4;
    static final int MAX_PALETTE = 256;

    /**
     * The pixmap cache the client announces in its display init, in pixels as the server counts it (an image's
     * width times height): spice-gtk's, its 80 MiB cache-size over 4 bytes a pixel.
     */
    static final long PIXMAP_CACHE_PIXELS = 20L << 20;

    /** The most a ZLIB_GLZ image may inflate to: a GLZ stream of the largest image we accept. */
    static final long MAX_GLZ_BYTES = 4 * ImageLimits.MAX_PIXELS + 64;

    /** Images of fewer pixels decode into new arrays: allocating those costs little next to their decode. */
    static final int SPARE_MIN_PIXELS = 1 << 16;
    /** The most arrays kept for the next images, and the most pixels they hold together (32 MiB). */
    static final int SPARE_ARRAYS = 4;
    static final long SPARE_PIXELS = 8L << 20;

    private final Map<Long, Pixels> pixmaps = new LinkedHashMap<>();
    /**
     * Arrays of large images drawn and no longer held, for the next images of their size: a C client's canvas reuses
     * its memory, and a new array an image costs the JVM about as much as decoding it (allocating and zeroing
     * megabytes). Only images that nothing keeps after their draw take one: not those the server asks to cache
     * (CACHE_ME), not GLZ's (its window keeps them).
     */
    private final ArrayDeque<int[]> spare = new ArrayDeque<>();
    /** The arrays of the images of the draw being parsed and rendered; spare again at {@link #drawn}. */
    private final List<int[]> lent = new ArrayList<>();
    private final GlzDecoder glz;
    private final Map<Long, int[]> palettes = new HashMap<>();
    /** Images decoded, by type name. */
    final Map<String, Long> decoded = new LinkedHashMap<>();
    private final LongFunction<Surface> surfaces;
    private final BiFunction<byte[], int[], Pixels> jpegDecoder;
    private final Lz4DecoderService lz4Blocks;
    private long pixmapPixels;

    /**
     * @param glzWindow the GLZ dictionary, shared by the display channels of one session
     * @param jpegDecoder decodes JPEG images, into the array given where it can ({@link VideoDecoders#jpeg}: a
     *     registered JPEG decoder, or {@link #jpeg})
     * @param lz4Blocks decodes the blocks of 32-bit LZ4 images where it runs ({@link VideoDecoders#lz4Blocks}), or
     *     null: the display's own decoder does
     */
    ImageReader(LongFunction<Surface> surfaces, GlzWindow glzWindow, BiFunction<byte[], int[], Pixels> jpegDecoder,
            Lz4DecoderService lz4Blocks) {
        this.surfaces = surfaces;
        this.glz = new GlzDecoder(glzWindow);
        this.jpegDecoder = jpegDecoder;
        this.lz4Blocks = lz4Blocks;
    }

    /** The image at {@code offset} in a message body that starts at the reader index, or null for offset 0. */
    Pixels read(ByteBuf body, long offset) {
        return read(body, body.readerIndex(), offset);
    }

    /** Whether the image at {@code offset} of the body starting at {@code start} is a surface (false for none). */
    static boolean isSurface(ByteBuf body, int start, long offset) {
        return offset != 0 && offset + 9 <= body.writerIndex() - start
                && body.getUnsignedByte(start + (int) offset + 8) == SURFACE;
    }

    /**
     * A QMask's 1-bit image at {@code offset} (null for 0): a 1BIT_LE or 1BIT_BE bitmap (rows bottom-up unless
     * TOP_DOWN; LE takes pixels from the low bit of each byte, BE from the high bit), a pixmap from the cache or a
     * surface (a pixel is set when its RGB is not black). CACHE_ME caches it as white on transparent.
     */
    Mask mask(ByteBuf body, int start, long offset, int flags, int x, int y) {
        if (offset == 0) {
            return null;
        }
        if (offset > body.writerIndex() - start) {
            throw new SpiceProtocolException("mask offset " + offset + " beyond the message");
        }
        ByteBuf in = body.slice(start + (int) offset, body.writerIndex() - start - (int) offset);
        Wire.need(in, 18, "mask image descriptor");
        long id = in.readLongLE();
        int type = in.readUnsignedByte();
        int iflags = in.readUnsignedByte();
        in.skipBytes(8);
        Pixels p;
        if (type == BITMAP) {
            Wire.need(in, 14, "mask bitmap");
            int format = in.readUnsignedByte();
            int bflags = in.readUnsignedByte();
            long w = in.readUnsignedIntLE();
            long h = in.readUnsignedIntLE();
            long stride = in.readUnsignedIntLE();
            ImageLimits.check(w, h, "mask bitmap");
            if (format != BitmapCodec.FMT_1BIT_LE && format != BitmapCodec.FMT_1BIT_BE) {
                throw new SpiceProtocolException("mask bitmap of format " + format + ", not 1-bit");
            }
            palette(in, body, start, bflags); // a mask has no use for one, but the field is there
            if (stride < (w + 7) / 8 || stride * h > in.readableBytes()) {
                throw new SpiceProtocolException("mask bitmap: " + h + " rows of " + stride + " bytes for width " + w
                        + " with " + in.readableBytes() + " bytes left in the message");
            }
            byte[] bits = Wire.bytes(in, (int) (stride * h), "mask bits");
            int[] px = new int[(int) (w * h)];
            boolean topDown = (bflags & BITMAP_TOP_DOWN) != 0;
            for (int row = 0; row < h; row++) {
                int line = (int) ((topDown ? row : h - 1 - row) * stride);
                for (int c = 0; c < w; c++) {
                    int b = bits[line + c / 8];
                    int bit = format == BitmapCodec.FMT_1BIT_LE ? b >> (c & 7) & 1 : b >> (7 - (c & 7)) & 1;
                    px[row * (int) w + c] = bit != 0 ? 0xffffffff : 0;
                }
            }
            p = new Pixels((int) w, (int) h, px);
            if ((iflags & IMAGE_CACHE_ME) != 0) {
                cache(id, p);
            }
        } else if (type == FROM_CACHE || type == FROM_CACHE_LOSSLESS || type == SURFACE) {
            p = read(body, start, offset);
        } else {
            throw new SpiceProtocolException("mask image of type " + typeName(type));
        }
        boolean[] set = new boolean[p.argb().length];
        for (int i = 0; i < set.length; i++) {
            set[i] = (p.argb()[i] & 0xffffff) != 0;
        }
        return new Mask(p.width(), p.height(), set, x, y, (flags & 1) != 0);
    }

    /** The image at {@code offset} in a message body that starts at {@code start}, or null for offset 0. */
    Pixels read(ByteBuf body, int start, long offset) {
        if (offset == 0) {
            return null;
        }
        if (offset > body.writerIndex() - start) {
            throw new SpiceProtocolException("image offset " + offset + " beyond the message");
        }
        ByteBuf in = body.slice(start + (int) offset, body.writerIndex() - start - (int) offset);
        Wire.need(in, 18, "image descriptor");
        long id = in.readLongLE();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        long width = in.readUnsignedIntLE();
        long height = in.readUnsignedIntLE();
        // a large image that nothing keeps after its draw decodes into a spare array of its size, if there is one
        boolean reusable = (flags & IMAGE_CACHE_ME) == 0
                && (type == JPEG || type == QUIC || type == LZ_RGB || type == LZ4 || type == JPEG_ALPHA);
        int[] into = reusable ? spare(width * height) : null;
        Pixels p = switch (type) {
            case FROM_CACHE, FROM_CACHE_LOSSLESS -> {
                Pixels cached = pixmaps.get(id);
                if (cached == null) {
                    throw new SpiceProtocolException("image " + id + " requested from the pixmap cache, which lacks it");
                }
                yield cached;
            }
            case BITMAP -> bitmap(in, body, start);
            case SURFACE -> {
                long sid = Wire.u32(in, "surface image");
                Surface s = surfaces.apply(sid);
                if (s == null) {
                    throw new SpiceProtocolException("image refers to surface " + sid + ", which does not exist");
                }
                yield s.region(s.bounds());
            }
            case JPEG -> jpegDecoder.apply(data(in, "jpeg"), into);
            case QUIC -> {
                byte[] q = data(in, "quic");
                yield QuicDecoder.decode(q, 0, q.length, into);
            }
            case LZ_RGB -> {
                byte[] lz = data(in, "lz_rgb");
                yield LzDecoder.decode(lz, 0, lz.length, null, into);
            }
            case GLZ_RGB -> {
                byte[] glzData = data(in, "glz_rgb");
                yield glz.decode(glzData, 0, glzData.length, null);
            }
            case ZLIB_GLZ_RGB -> {
                long glzSize = Wire.u32(in, "zlib_glz glz_data_size");
                byte[] z = data(in, "zlib_glz");
                if (glzSize > MAX_GLZ_BYTES) {
                    throw new SpiceProtocolException("zlib_glz: inflated size " + glzSize + " exceeds " + MAX_GLZ_BYTES);
                }
                yield glz.decodeZlibGlz(z, 0, z.length, (int) glzSize, null);
            }
            case LZ_PLT -> lzPalette(in, body, start);
            case LZ4 -> {
                ImageLimits.check(width, height, "LZ4");
                byte[] lz4 = data(in, "lz4");
                yield Lz4Decoder.decode(lz4, 0, lz4.length, (int) width, (int) height, into,
                        lz4Blocks);
            }
            case JPEG_ALPHA -> {
                Wire.u8(in, "jpeg_alpha flags");
                long jpegSize = Wire.u32(in, "jpeg_alpha jpeg_size");
                byte[] both = data(in, "jpeg_alpha");
                if (jpegSize > both.length) {
                    throw new SpiceProtocolException("jpeg_alpha: JPEG of " + jpegSize + " bytes in " + both.length);
                }
                Pixels rgb = jpegDecoder.apply(java.util.Arrays.copyOf(both, (int) jpegSize), into);
                LzDecoder.decodeAlpha(both, (int) jpegSize, both.length - (int) jpegSize, rgb);
                yield rgb;
            }
            default -> {
                ImageLimits.check(width, height, "image type " + type);
                throw new UnsupportedFeature("image type " + typeName(type));
            }
        };
        if (type != FROM_CACHE && type != FROM_CACHE_LOSSLESS && (p.width() != width || p.height() != height)) {
            throw new SpiceProtocolException("image " + typeName(type) + " decoded to " + p.width() + "x"
                    + p.height() + " but its descriptor says " + width + "x" + height);
        }
        if ((flags & IMAGE_CACHE_ME) != 0) {
            cache(id, p);
        }
        if (reusable) {
            lend(p.argb());
            if (into != null && into != p.argb()) {
                lend(into); // not taken (a decoder that cannot write into it): spare again after the draw
            }
        }
        decoded.merge(typeName(type), 1L, Long::sum);
        return p;
    }

    /** A spare array of exactly {@code pixels} elements, taken from the spare ones, or null. */
    private int[] spare(long pixels) {
        if (pixels < SPARE_MIN_PIXELS) {
            return null;
        }
        for (var it = spare.iterator(); it.hasNext(); ) {
            int[] a = it.next();
            if (a.length == pixels) {
                it.remove();
                return a;
            }
        }
        return null;
    }

    /** An array the draw being parsed uses until it is rendered; spare after it (large ones). */
    private void lend(int[] array) {
        if (array.length >= SPARE_MIN_PIXELS) {
            lent.add(array);
        }
    }

    /**
     * The draw whose images were read is rendered: nothing holds their arrays any more (its surface has the pixels),
     * so they are spare for the next images, the most recent first, as many as {@link #SPARE_ARRAYS} and
     * {@link #SPARE_PIXELS} keep.
     */
    void drawn() {
        for (int[] a : lent) {
            spare.addFirst(a);
        }
        lent.clear();
        long pixels = 0;
        int kept = 0;
        for (var it = spare.iterator(); it.hasNext(); ) {
            int[] a = it.next();
            if (kept == SPARE_ARRAYS || pixels + a.length > SPARE_PIXELS) {
                it.remove();
            } else {
                kept++;
                pixels += a.length;
            }
        }
    }

    static String typeName(int type) {
        return switch (type) {
            case BITMAP -> "bitmap";
            case QUIC -> "QUIC";
            case LZ_PLT -> "LZ_PLT";
            case LZ_RGB -> "LZ_RGB";
            case GLZ_RGB -> "GLZ_RGB";
            case FROM_CACHE -> "FROM_CACHE";
            case SURFACE -> "SURFACE";
            case JPEG -> "JPEG";
            case FROM_CACHE_LOSSLESS -> "FROM_CACHE_LOSSLESS";
            case ZLIB_GLZ_RGB -> "ZLIB_GLZ_RGB";
            case JPEG_ALPHA -> "JPEG_ALPHA";
            case LZ4 -> "LZ4";
            default -> "unknown(" + type + ")";
        };
    }

    /** A BinaryData payload: u32 size and that many bytes. */
    static byte[] data(ByteBuf in, String what) {
        long size = Wire.u32(in, what + " size");
        if (size > in.readableBytes()) {
            throw new SpiceProtocolException(what + ": data size " + size + " but " + in.readableBytes()
                    + " bytes left in the message");
        }
        return Wire.bytes(in, (int) size, what);
    }

    /** LZ_PLT: bitmap flags, data size, the palette (by id or by offset), then the LZ stream. */
    private Pixels lzPalette(ByteBuf in, ByteBuf body, int bodyStart) {
        int bflags = Wire.u8(in, "lz_plt flags");
        long size = Wire.u32(in, "lz_plt size");
        int[] palette = palette(in, body, bodyStart, bflags);
        if (size > in.readableBytes()) {
            throw new SpiceProtocolException("lz_plt: data size " + size + " but " + in.readableBytes() + " left");
        }
        byte[] lz = Wire.bytes(in, (int) size, "lz_plt data");
        if (palette == null) {
            throw new SpiceProtocolException("lz_plt without a palette");
        }
        return LzDecoder.decode(lz, 0, lz.length, palette);
    }

    /** A palette given by cache id (PAL_FROM_CACHE) or by offset into the message (0: none). */
    private int[] palette(ByteBuf in, ByteBuf body, int bodyStart, int bflags) {
        if ((bflags & BITMAP_PAL_FROM_CACHE) != 0) {
            long pid = Wire.u64(in, "palette id");
            int[] palette = palettes.get(pid);
            if (palette == null) {
                throw new SpiceProtocolException("palette " + pid + " requested from the cache, which lacks it");
            }
            return palette;
        }
        long palOffset = Wire.u32(in, "palette offset");
        return palOffset == 0 ? null : palette(body, bodyStart, palOffset, (bflags & BITMAP_PAL_CACHE_ME) != 0);
    }

    private Pixels bitmap(ByteBuf in, ByteBuf body, int bodyStart) {
        Wire.need(in, 14, "bitmap");
        int format = in.readUnsignedByte();
        int bflags = in.readUnsignedByte();
        long w = in.readUnsignedIntLE();
        long h = in.readUnsignedIntLE();
        long stride = in.readUnsignedIntLE();
        ImageLimits.check(w, h, "bitmap");
        int[] palette = palette(in, body, bodyStart, bflags);
        if (stride * h > in.readableBytes()) {
            throw new SpiceProtocolException("bitmap: " + h + " rows of " + stride + " bytes but "
                    + in.readableBytes() + " bytes left in the message");
        }
        byte[] pixels = Wire.bytes(in, (int) (stride * h), "bitmap data");
        return BitmapCodec.decode(format, (int) w, (int) h, (int) stride, (bflags & BITMAP_TOP_DOWN) != 0, pixels,
                0, palette);
    }

    private int[] palette(ByteBuf body, int bodyStart, long offset, boolean cacheMe) {
        if (offset > body.writerIndex() - bodyStart) {
            throw new SpiceProtocolException("palette offset " + offset + " beyond the message");
        }
        ByteBuf in = body.slice(bodyStart + (int) offset, body.writerIndex() - bodyStart - (int) offset);
        long unique = Wire.u64(in, "palette");
        int n = Wire.u16(in, "palette");
        if (n > MAX_PALETTE) {
            throw new SpiceProtocolException("palette of " + n + " entries exceeds " + MAX_PALETTE);
        }
        Wire.need(in, 4L * n, "palette entries");
        int[] ents = new int[n];
        for (int i = 0; i < n; i++) {
            ents[i] = in.readIntLE() & 0xffffff;
        }
        if (cacheMe) {
            palettes.put(unique, ents);
        }
        return ents;
    }

    /**
     * Decodes a JPEG (or any picture ImageIO reads) with the display's own decoder. Its size is read from its header
     * and checked before any pixel is allocated: a few hundred bytes may claim 20000x20000, which ImageIO would
     * allocate before failing.
     */
    static Pixels jpeg(byte[] data) {
        return JpegDecoder.decode(data, 0, data.length);
    }

    /**
     * Keeps an image the server asked us to cache. The server evicts for us (inval_list, inval_all_pixmaps) within
     * the size we announced, so everything it has not evicted must stay; only a server that overruns that size
     * twice over loses its oldest images here (and then a from-cache of one of them ends the channel).
     */
    private void cache(long id, Pixels p) {
        Pixels old = pixmaps.put(id, p);
        pixmapPixels += p.argb().length - (old == null ? 0 : old.argb().length);
        var it = pixmaps.entrySet().iterator();
        while (pixmapPixels > 2 * PIXMAP_CACHE_PIXELS && it.hasNext()) {
            var e = it.next();
            pixmapPixels -= e.getValue().argb().length;
            it.remove();
        }
    }

    void invalidatePixmap(long id) {
        Pixels old = pixmaps.remove(id);
        if (old != null) {
            pixmapPixels -= old.argb().length;
        }
    }

    /** The pixmap cache only: the GLZ window is the session's and stays, as in spice-gtk. */
    void invalidateAllPixmaps() {
        pixmaps.clear();
        pixmapPixels = 0;
    }

    void invalidatePalette(long id) {
        palettes.remove(id);
    }

    void invalidateAllPalettes() {
        palettes.clear();
    }
}
