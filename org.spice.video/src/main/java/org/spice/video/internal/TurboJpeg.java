package org.spice.video.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.spice.display.video.JpegDecoderService;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoPicture;

/**
 * JPEG images and MJPEG frames decoded by libjpeg-turbo (the library spice-gtk decodes them with), called through
 * JNA's direct mapping of its TurboJPEG API from the system's {@code libturbojpeg.so.0} (Debian's libturbojpeg0).
 * Three to four times the speed of the JDK's ImageIO decoder, and the same pixels as libjpeg-turbo gives spice-gtk.
 * The library reads each JPEG where it lies and writes the picture straight into its Java array through this
 * bundle's JNI library ({@link HeapArrayCalls}) where that loads; otherwise the JPEG is copied into native memory and
 * the picture out of it (copies that were a tenth of a 1920x1080 picture's decode).
 * The natives load at activation, or, with {@link FfmpegCodecs#ON_DEMAND} true (one-shot clients), at the first
 * JPEG: loading JNA and the library takes a sixth to a quarter of a second here. Where they do not load, one warning
 * says why and {@link #decode} answers null, so that the display decodes with its own decoder.
 */
@Component
public final class TurboJpeg implements JpegDecoderService {
    private static final System.Logger LOG = System.getLogger("org.spice.video");
    /** TJPF_BGRA: b, g, r, a bytes a pixel, read as little-endian ints 0xAARRGGBB; alpha 0xff from a JPEG. */
    private static final int TJPF_BGRA = 8;
    /** tjGetErrorCode's answer for a warning (the picture was decoded, e.g. from data cut short), not an error. */
    private static final int TJERR_WARNING = 0;
    /** The most output bytes a pooled decoder keeps between pictures: a 1920x1080 picture. */
    static final long KEPT_BYTES = 1920L * 1080 * 4;
    /** A JPEG of more than this is refused before it is copied to the library. */
    static final int MAX_JPEG_BYTES = 64 << 20;

    /** libturbojpeg's functions, bound when this class is first used. */
    private static final class Library {
        /** tjDecompressHeader3's and tjDecompress2's addresses, for {@link HeapArrayCalls}; set when it loads. */
        static long decompressHeader3;
        static long decompress2;
        /** Why the library did not load, or null when it did. */
        static final String FAILURE = load();

        private static String load() {
            try {
                NativeLibrary library = NativeLibrary.getInstance("turbojpeg");
                Native.register(Library.class, library);
                decompressHeader3 = Pointer.nativeValue(library.getFunction("tjDecompressHeader3"));
                decompress2 = Pointer.nativeValue(library.getFunction("tjDecompress2"));
                String copy = HeapArrayCalls.FAILURE;
                LOG.log(Level.INFO, "JPEG images and MJPEG frames are decoded by libjpeg-turbo (libturbojpeg.so.0)"
                        + (copy == null ? " straight into Java arrays"
                                : ", copied out of native memory (the JNI library did not load: " + copy + ")"));
                return null;
            } catch (LinkageError | RuntimeException e) {
                LOG.log(Level.WARNING, "libjpeg-turbo (libturbojpeg.so.0) did not load, so JPEG images and MJPEG"
                        + " frames are decoded by the JDK's ImageIO, 3 to 4 times slower: " + e);
                return e.toString();
            }
        }

        static native Pointer tjInitDecompress();

        static native int tjDecompressHeader3(Pointer handle, Pointer jpeg, long size, int[] width, int[] height,
                int[] subsampling, int[] colorspace);

        static native int tjDecompress2(Pointer handle, Pointer jpeg, long size, Pointer dst, int width, int pitch,
                int height, int pixelFormat, int flags);

        static native String tjGetErrorStr2(Pointer handle);

        static native int tjGetErrorCode(Pointer handle);

        static native int tjDestroy(Pointer handle);
    }

    /** Whether pictures are decoded into native memory and copied into their arrays even where JNI would do. */
    private final boolean copying;

    @Activate
    public TurboJpeg(BundleContext context) {
        this(Boolean.parseBoolean(context.getProperty(FfmpegCodecs.ON_DEMAND)), false);
    }

    /** Outside a framework: the natives load now. */
    public TurboJpeg() {
        this(false, false);
    }

    /** Loads the natives now unless {@code onDemand}; with {@code copying}, never decodes straight into arrays. */
    TurboJpeg(boolean onDemand, boolean copying) {
        this.copying = copying;
        if (!onDemand) {
            loadFailure();
        }
    }

    /** Loads the natives if not yet done: null when they loaded, else why not. */
    static String loadFailure() {
        return Library.FAILURE;
    }

    /** A TurboJPEG handle with its input and output buffers, used by one decode at a time. */
    private static final class Slot {
        final Pointer handle;
        Memory in;
        Memory out;

        Slot(Pointer handle) {
            this.handle = handle;
        }

        Memory in(long bytes) {
            if (in == null || in.size() < bytes) {
                in = new Memory(Math.max(bytes, 64 << 10));
            }
            return in;
        }

        Memory out(long bytes) {
            if (out == null || out.size() < bytes) {
                out = new Memory(bytes);
            }
            return out;
        }

        /** Lets a buffer larger than the kept size go after a picture that needed it. */
        void trim() {
            if (out != null && out.size() > KEPT_BYTES) {
                out.close();
                out = null;
            }
            if (in != null && in.size() > KEPT_BYTES) {
                in.close();
                in = null;
            }
        }

        void close() {
            Library.tjDestroy(handle);
            trim();
            if (out != null) {
                out.close();
            }
            if (in != null) {
                in.close();
            }
        }
    }

    /** Idle slots, one per thread that decoded at the same time. */
    private final ConcurrentLinkedQueue<Slot> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    @Override
    public VideoPicture decode(byte[] data, int offset, int length, int maxSide, long maxPixels) {
        return decode(data, offset, length, maxSide, maxPixels, null);
    }

    /**
     * As {@link #decode(byte[], int, int, int, long)}, into {@code into} when it holds exactly the picture's pixels
     * (a caller reusing one array spares allocating and zeroing it each picture), else into a new array.
     */
    @Override
    public VideoPicture decode(byte[] data, int offset, int length, int maxSide, long maxPixels, int[] into) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (loadFailure() != null) {
            return null;
        }
        if (length == 0 || length > MAX_JPEG_BYTES) {
            throw new VideoCodecException("JPEG of " + length + " bytes");
        }
        Slot slot = idle.poll();
        if (slot == null) {
            Pointer h = Library.tjInitDecompress();
            if (h == null) {
                throw new VideoCodecException("libjpeg-turbo cannot make a decompressor");
            }
            slot = new Slot(h);
        }
        VideoPicture picture;
        try {
            picture = decode(slot, data, offset, length, maxSide, maxPixels, into,
                    !copying && HeapArrayCalls.FAILURE == null);
        } catch (RuntimeException e) {
            // A decompressor that failed keeps state from it (libjpeg-turbo 2.1 then refused good JPEGs with "Bogus
            // Huffman table definition"): the next picture gets a fresh one.
            slot.close();
            throw e;
        }
        slot.trim();
        idle.add(slot);
        if (closed) {
            close(); // closed while this slot decoded
        }
        return picture;
    }

    private static VideoPicture decode(Slot slot, byte[] data, int offset, int length, int maxSide,
            long maxPixels, int[] into, boolean inPlace) {
        long handle = Pointer.nativeValue(slot.handle);
        Memory in = null;
        int[] header = new int[4];
        int status;
        if (inPlace) {
            status = HeapArrayCalls.tjDecompressHeader3(Library.decompressHeader3, handle, data, offset, length,
                    header);
        } else {
            in = slot.in(length);
            in.write(0, data, offset, length);
            int[] w = new int[1];
            int[] h = new int[1];
            status = Library.tjDecompressHeader3(slot.handle, in, length, w, h, new int[1], new int[1]);
            header[0] = w[0];
            header[1] = h[0];
        }
        if (status != 0) {
            throw new VideoCodecException("not a JPEG libjpeg-turbo decodes: "
                    + Library.tjGetErrorStr2(slot.handle));
        }
        int width = header[0];
        int height = header[1];
        if (width <= 0 || height <= 0 || width > maxSide || height > maxSide || (long) width * height > maxPixels) {
            throw new VideoCodecException("JPEG image size " + width + "x" + height + " outside the limits ("
                    + maxSide + " per side, " + maxPixels + " pixels)");
        }
        int[] px = into != null && into.length == width * height ? into : new int[width * height];
        Memory out = inPlace ? null : slot.out(4L * width * height);
        status = inPlace
                ? HeapArrayCalls.tjDecompress2(Library.decompress2, handle, data, offset, length, px, width, height,
                        TJPF_BGRA, 0)
                : Library.tjDecompress2(slot.handle, in, length, out, width, 0, height, TJPF_BGRA, 0);
        if (status != 0 && Library.tjGetErrorCode(slot.handle) != TJERR_WARNING) {
            throw new VideoCodecException("JPEG does not decode: " + Library.tjGetErrorStr2(slot.handle));
        }
        if (out != null) {
            out.read(0, px, 0, px.length);
        }
        if (status != 0) {
            // A warning: damaged data, whose picture is shown as spice-gtk shows it. libjpeg-turbo 2.1 also calls a
            // fatal error that follows a warning a warning, and then leaves rows unwritten, holding what the array
            // (or the native buffer) held before: they are made opaque, as every picture is (TurboJpegFuzzTest).
            for (int i = 0; i < px.length; i++) {
                px[i] |= 0xff000000;
            }
        }
        return new VideoPicture(width, height, px);
    }

    /** Frees the idle decompressors; one still decoding is freed when it ends. */
    @Deactivate
    void close() {
        closed = true;
        for (Slot s; (s = idle.poll()) != null; ) {
            s.close();
        }
    }
}
