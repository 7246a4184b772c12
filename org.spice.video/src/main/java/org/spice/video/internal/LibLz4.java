package org.spice.video.internal;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.System.Logger.Level;
import java.nio.ByteOrder;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.spice.display.video.Lz4DecoderService;
import org.spice.display.video.VideoCodecException;

/**
 * The blocks of 32-bit LZ4 images decoded by liblz4 (the library spice-gtk decodes them with), the system's {@code
 * liblz4.so.1} (Debian's liblz4-1), straight into the pixels' Java array through this bundle's JNI library ({@link
 * HeapArrayCalls}): about twice the speed of the display's Java decoder, which stays where this cannot run (no JNI
 * library for the platform, no liblz4, a big-endian machine, where a pixel's bytes are not the blocks' bytes). The
 * natives load at activation, or with {@link FfmpegCodecs#ON_DEMAND} true at the first image; where they do not,
 * one warning says why and {@link #decode} answers false.
 */
@Component
public final class LibLz4 implements Lz4DecoderService {
    private static final System.Logger LOG = System.getLogger("org.spice.video");

    /** liblz4's LZ4_decompress_safe_usingDict, bound when this class is first used. */
    private static final class Library {
        /**
         * The library, held for as long as this class is: JNA unloads (dlclose) a library whose NativeLibrary is
         * collected, and {@link #decompress} would then point into unmapped memory.
         */
        static NativeLibrary library;
        /** LZ4_decompress_safe_usingDict's address in {@link #library}, for {@link HeapArrayCalls}. */
        static long decompress;
        /** Why the library cannot be used, or null when it can. */
        static final String FAILURE = load();

        private static String load() {
            String failure = ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN
                    ? "a big-endian platform, whose ints do not hold a pixel's bytes in the order sent"
                    : HeapArrayCalls.FAILURE;
            if (failure == null) {
                try {
                    library = NativeLibrary.getInstance("lz4");
                    decompress = Pointer.nativeValue(library.getFunction("LZ4_decompress_safe_usingDict"));
                    LOG.log(Level.INFO, "32-bit LZ4 images are decoded by liblz4 (liblz4.so.1) straight into Java"
                            + " arrays");
                    return null;
                } catch (LinkageError | RuntimeException e) {
                    failure = e.toString();
                }
            }
            LOG.log(Level.WARNING, "32-bit LZ4 images are decoded by the display's own decoder, about half as fast"
                    + " as liblz4 (liblz4.so.1), which cannot be used: " + failure);
            return failure;
        }
    }

    @Activate
    public LibLz4(BundleContext context) {
        this(Boolean.parseBoolean(context.getProperty(FfmpegCodecs.ON_DEMAND)));
    }

    /** Outside a framework: the natives load now. */
    public LibLz4() {
        this(false);
    }

    /** Loads the natives now unless {@code onDemand}. */
    LibLz4(boolean onDemand) {
        if (!onDemand) {
            loadFailure();
        }
    }

    /** Loads the natives if not yet done: null when they can be used, else why not. */
    static String loadFailure() {
        return Library.FAILURE;
    }

    @Override
    public boolean decode(byte[] data, int offset, int length, int[] pixels) {
        if (Library.FAILURE != null) {
            return false;
        }
        int decoded = HeapArrayCalls.lz4DecodeBlocks(Library.decompress, data, offset, length, pixels);
        if (decoded == -1) {
            throw new VideoCodecException("an LZ4 block is not LZ4 or decodes past the image's " + pixels.length
                    + " pixels");
        }
        if (decoded == -3) {
            throw new VideoCodecException("an LZ4 block's size is cut short or runs past the image's data");
        }
        if (decoded != pixels.length * 4) {
            throw new VideoCodecException("LZ4 blocks decoded to " + decoded + " bytes, not the " + pixels.length * 4
                    + " of the image's pixels");
        }
        return true;
    }
}
