package org.spice.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The C codecs the SPICE peers use, called through the JNI harness org.spice.bench/src/main/c/spice_c_reference.c:
 * spice-common's QUIC and LZ (from Debian's spice source package), spice-gtk's GLZ decoder (from its source
 * package), liblz4 and libjpeg-turbo. Built by
 * scripts/bench/build-c-reference.sh; its path is the system property {@code spice.cref} (default
 * {@code org.spice.bench/target/c-reference/libspicecref.so}, from the repository root).
 *
 * <p>Decoders write one int a pixel (0xXXRRGGBB in memory order B, G, R, X) into {@code out}, which must hold the
 * image, and return {@code width << 16 | height} (LZ4: the bytes decoded); encoders write into {@code out} and return
 * the bytes written. A bad stream or a too small array throws IllegalArgumentException. Not thread-safe: the
 * harness keeps one codec context per process, as a display channel keeps one.
 */
final class CReference {
    static final Path LIBRARY = Path.of(System.getProperty("spice.cref",
            "org.spice.bench/target/c-reference/libspicecref.so"));

    static {
        if (!Files.isRegularFile(LIBRARY)) {
            throw new IllegalStateException("no C reference at " + LIBRARY.toAbsolutePath()
                    + ": run scripts/bench/build-c-reference.sh from the repository root, or set -Dspice.cref");
        }
        System.load(LIBRARY.toAbsolutePath().toString());
    }

    private CReference() {
    }

    static native int quicDecode(byte[] in, int length, int[] out);

    static native int lzDecode(byte[] in, int length, int[] out);

    static native int lz4Decode(byte[] in, int length, int[] out);

    static native int jpegDecode(byte[] in, int length, int[] out);

    /** spice-gtk's GLZ decoder (spice_c_glz.c) with an emptied window; 0 for data it refused. */
    static native int glzDecode(byte[] in, int length, int[] out);

    static native int quicEncode(int[] pixels, int width, int height, byte[] out);

    static native int lzEncode(int[] pixels, int width, int height, byte[] out);

    static native int lz4Encode(int[] pixels, int width, int height, byte[] out);
}
