package org.spice.video.internal;

import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * This bundle's JNI library ({@code src/main/c/heap_array_calls.c}, built into the bundle for Linux x86-64): native
 * calls that read and write Java arrays in place, which JNA cannot do (it copies). The library functions are called
 * through the addresses JNA resolved, so the JNI library needs no library of its own. It is loaded from the bundle
 * when this class is first used; where it is not there (another platform, a build without gcc) or does not load,
 * {@link #FAILURE} says why, and callers do without: TurboJpeg copies out of native memory, LibLz4 leaves LZ4 images
 * to the display's own decoder. A caller keeps the library whose function it passes loaded (JNA unloads a library
 * whose NativeLibrary is collected).
 */
final class HeapArrayCalls {
    /** Why the JNI library did not load, or null when it did. */
    static final String FAILURE = load();

    private HeapArrayCalls() {
    }

    private static String load() {
        String resource = Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("spicevideo");
        try (InputStream in = HeapArrayCalls.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "this bundle holds no " + resource + " (it is built for linux-x86-64 where gcc is found)";
            }
            // System.load needs a file; once loaded it is mapped, and the file can go.
            Path file = Files.createTempFile("spicevideo", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
            return null;
        } catch (IOException | LinkageError | SecurityException e) {
            return e.toString();
        }
    }

    /**
     * libjpeg-turbo's {@code tjDecompressHeader3} at address {@code function} on {@code jpeg[offset, offset +
     * length)}, answering width, height, subsampling and colorspace in {@code header[0..3]}. Returns the library's
     * answer (0: read; -1: see tjGetErrorStr2).
     */
    static int tjDecompressHeader3(long function, long handle, byte[] jpeg, int offset, int length, int[] header) {
        Objects.checkFromIndexSize(offset, length, jpeg.length);
        Objects.checkFromIndexSize(0, 4, header.length);
        return tjDecompressHeader3Native(function, handle, jpeg, offset, length, header);
    }

    /**
     * libjpeg-turbo's {@code tjDecompress2} at address {@code function}, decoding {@code jpeg[offset, offset +
     * length)} into {@code dst}, which must hold exactly {@code width * height} pixels (checked here: the library
     * writes that many). Returns the library's answer (0: decoded; -1: see tjGetErrorCode).
     */
    static int tjDecompress2(long function, long handle, byte[] jpeg, int offset, int length, int[] dst, int width,
            int height, int pixelFormat, int flags) {
        Objects.checkFromIndexSize(offset, length, jpeg.length);
        if (width <= 0 || height <= 0 || (long) width * height != dst.length) {
            throw new IllegalArgumentException(width + "x" + height + " pixels into an array of " + dst.length);
        }
        return tjDecompress2Native(function, handle, jpeg, offset, length, dst, width, height, pixelFormat, flags);
    }

    /**
     * Decodes the LZ4 blocks of a SPICE LZ4 image at {@code data[offset, offset + length)} with liblz4's {@code
     * LZ4_decompress_safe_usingDict} at address {@code function}, one after the other into the bytes of {@code dst}
     * (in the platform's order), each block's dictionary the output before it. Returns the bytes decoded, at most
     * {@code dst.length * 4}; -1 when liblz4 refused a block (not LZ4, or decoding past {@code dst}), -3 when a
     * block's size is cut short or runs past the data.
     */
    static int lz4DecodeBlocks(long function, byte[] data, int offset, int length, int[] dst) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (dst.length > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("an array of " + dst.length + " pixels is over 2 GiB");
        }
        return lz4DecodeBlocksNative(function, data, offset, length, dst, dst.length * 4);
    }

    private static native int lz4DecodeBlocksNative(long function, byte[] data, int offset, int length, int[] dst,
            int dstBytes);

    private static native int tjDecompressHeader3Native(long function, long handle, byte[] jpeg, int offset,
            int length, int[] header);

    private static native int tjDecompress2Native(long function, long handle, byte[] jpeg, int offset, int length,
            int[] dst, int width, int height, int pixelFormat, int flags);
}
