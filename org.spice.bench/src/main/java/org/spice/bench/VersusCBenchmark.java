package org.spice.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.spice.display.internal.codec.GlzDecoder;
import org.spice.display.internal.codec.GlzEncoder;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.display.internal.codec.ImageLimits;
import org.spice.display.internal.codec.JpegDecoder;
import org.spice.display.internal.codec.JpegEncoder;
import org.spice.display.internal.codec.Lz4Decoder;
import org.spice.display.internal.codec.LzDecoder;
import org.spice.display.internal.codec.LzEncoder;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.codec.QuicDecoder;
import org.spice.display.internal.codec.QuicEncoder;
import org.spice.display.video.VideoPicture;
import org.spice.video.internal.LibLz4;
import org.spice.video.internal.TurboJpeg;

/**
 * Our codecs against the C ones the SPICE peers use (CReference: spice-common's QUIC and LZ, liblz4, libjpeg-turbo),
 * in one run on the same streams and pixels: for each screen, {@code *Ours} and {@code *C} decode the same bytes
 * (and encode the same pixels), so their scores' ratio is our throughput relative to C. Screens: the two QEMU sent
 * (golden/quic, golden/lz-screenshot, golden/lz4-screenshot) and two generated 1920x1080 ones (SyntheticScreens);
 * streams QEMU never sent for a screen are made in setup by our encoders (QUIC, LZ, JPEG) or liblz4 (LZ4).
 *
 * <p>Setup refuses to measure codecs that disagree: both decoders must give the same pixels (JPEG: within a few
 * levels, as two IDCTs may round differently), and each side must decode what the other side's encoder made back
 * to the screen. Needs scripts/bench/build-c-reference.sh first (see docs/codec-bench.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
// A long warm-up: C runs at full speed from the first call, our code only once the JIT has compiled it, which on
// a loaded machine takes seconds (docs/codec-bench.md).
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
public class VersusCBenchmark {
    /** The most two JPEG decoders of one stream may differ by in a colour channel (their IDCTs round differently). */
    static final int JPEG_TOLERANCE = 8;

    @Param({"text720x400", "splash1024x768", "desktop1920x1080", "photo1920x1080"})
    public String screen;

    int width;
    int height;
    int[] pixels;
    byte[] quic;
    byte[] lz;
    byte[] lz4;
    byte[] jpeg;
    /** Our GLZ encoder's stream of the screen, as the first image of a connection (nothing in the window). */
    byte[] glz;
    int[] cOut;
    /** Our decoders' output array, reused image after image as C reuses {@link #cOut}. */
    int[] oursOut;
    byte[] cEncoded;
    /** The client's JPEG decoder where org.spice.video is installed (libjpeg-turbo through JNA). */
    final TurboJpeg turboJpeg = new TurboJpeg();
    /** The client's decoder of 32-bit LZ4 blocks where org.spice.video is installed (liblz4 through JNI). */
    final LibLz4 libLz4 = new LibLz4();

    @Setup
    public void load() {
        quic = qemuStream(screen, "quic");
        lz = qemuStream(screen, "lz");
        lz4 = qemuStream(screen, "lz4");
        screen(screenPixels(screen, quic));
        cOut = new int[width * height];
        oursOut = new int[width * height];
        cEncoded = new byte[width * height * 8 + 4096];
        if (quic == null) {
            quic = QuicEncoder.encodeRgb32(width, height, pixels, 0, width);
        }
        if (lz == null) {
            lz = LzEncoder.encodeRgb32(width, height, pixels, 0, width);
        }
        if (lz4 == null) {
            lz4 = Arrays.copyOf(cEncoded, CReference.lz4Encode(pixels, width, height, cEncoded));
        }
        jpeg = JpegEncoder.encode(width, height, pixels, 0, width, JpegEncoder.DEFAULT_QUALITY);
        glz = new GlzEncoder(1 << 22).encodeRgb32(width, height, pixels, 0, width);
        checkAgreement();
    }

    /**
     * The stream QEMU 7.2 sent of a screen (golden/) for codec {@code quic}, {@code lz} or {@code lz4}; null where it
     * sent none (the screens and streams made here).
     */
    static byte[] qemuStream(String screen, String codec) {
        String name = switch (screen + " " + codec) {
            case "text720x400 quic" -> "quic/bios-720x400.quic";
            case "text720x400 lz" -> "lz-screenshot/000.lz";
            case "text720x400 lz4" -> "lz4-screenshot/000.lz4";
            case "splash1024x768 quic" -> "quic/splash-1024x768.quic";
            default -> null;
        };
        return name == null ? null : DecoderBenchmark.read(name);
    }

    /** The pixels of a screen: QEMU's QUIC of it ({@link #qemuStream}) decoded, or a {@link SyntheticScreens} one. */
    static Pixels screenPixels(String screen, byte[] qemuQuic) {
        if (qemuQuic != null) {
            return QuicDecoder.decode(qemuQuic, 0, qemuQuic.length);
        }
        return switch (screen) {
            case "desktop1920x1080" -> new Pixels(1920, 1080, SyntheticScreens.desktop(1920, 1080, 19));
            case "photo1920x1080" -> new Pixels(1920, 1080, SyntheticScreens.photo(1920, 1080, 19));
            default -> throw new IllegalArgumentException("no screen " + screen
                    + "; one of text720x400, splash1024x768, desktop1920x1080, photo1920x1080");
        };
    }

    private void screen(Pixels p) {
        width = p.width();
        height = p.height();
        pixels = p.argb();
    }

    private void checkAgreement() {
        if (jpegTurboOursNew() == null) {
            throw new IllegalStateException("libjpeg-turbo did not load for TurboJpeg (its warning above says why;"
                    + " scripts/install-peers.sh installs Debian's libturbojpeg0)");
        }
        if (!libLz4.decode(new byte[0], 0, 0, new int[0])) {
            throw new IllegalStateException("liblz4 cannot be used by LibLz4 (its warning above says why; the"
                    + " bundle's JNI library is built where gcc is: scripts/install-peers.sh installs it)");
        }
        same("QUIC decoders", quicOursNew().argb(), decoded(CReference.quicDecode(quic, quic.length, cOut)), 0);
        same("LZ decoders", lzOursNew().argb(), decoded(CReference.lzDecode(lz, lz.length, cOut)), 0);
        // LZ4's 32-bit pixels keep the unused fourth byte as sent, as C's do: all 32 bits of each must be C's
        int[] cLz4 = decodedLz4(CReference.lz4Decode(lz4, lz4.length, cOut));
        if (!Arrays.equals(lz4OursNew().argb(), cLz4) || !Arrays.equals(lz4JavaNew().argb(), cLz4)) {
            throw new IllegalStateException(screen + ": our LZ4 decoders' pixels are not liblz4's bytes");
        }
        same("JPEG decoders", jpegOurs().argb(), decoded(CReference.jpegDecode(jpeg, jpeg.length, cOut)),
                JPEG_TOLERANCE);
        same("TurboJpeg and C's libjpeg-turbo", jpegTurboOursNew().argb(),
                decoded(CReference.jpegDecode(jpeg, jpeg.length, cOut)), 0);
        same("GLZ decoders", glzOurs().argb(), decoded(CReference.glzDecode(glz, glz.length, cOut)), 0);
        // the measured forms, which decode into oursOut: the same pixels as a decode into a new array
        same("QUIC into a reused array", quicOursNew().argb(), quicOurs().argb(), 0);
        same("LZ into a reused array", lzOursNew().argb(), lzOurs().argb(), 0);
        same("LZ4 into a reused array", lz4OursNew().argb(), lz4Ours().argb(), 0);
        same("the display's LZ4 decoder into a reused array", lz4JavaNew().argb(), lz4Java().argb(), 0);
        same("TurboJpeg into a reused array", jpegTurboOursNew().argb(), jpegTurboOurs().argb(), 0);
        same("our QUIC decoder of C's QUIC", pixels, QuicDecoder.decode(cEncoded, 0, quicEncodeC()).argb(), 0);
        same("C's LZ decoder of our LZ", pixels, decoded(CReference.lzDecode(lz, lz.length, cOut)), 0);
        same("our LZ decoder of C's LZ", pixels, LzDecoder.decode(cEncoded, 0, lzEncodeC(), null).argb(), 0);
        byte[] ours = quicEncodeOurs();
        int cLength = quicEncodeC();
        // Our QUIC encoder writes spice-common's bytes (the same models, the same code choices); a difference is a
        // bug in one of them, and the encode figures would compare different work.
        if (!Arrays.equals(ours, 0, ours.length, cEncoded, 0, cLength)) {
            throw new IllegalStateException(screen + ": our QUIC encoder's " + ours.length + " bytes differ from"
                    + " spice-common's " + cLength);
        }
        System.out.printf("%n%s: %d pixels; QUIC %d bytes ours and C's, byte for byte the same; LZ %d ours, %d C;"
                + " LZ4 %d; JPEG %d; GLZ %d%n", screen, width * height, ours.length, lzEncodeOurs().length,
                lzEncodeC(), lz4.length, jpeg.length, glz.length);
    }

    private int[] decoded(int size) {
        if (size != (width << 16 | height)) {
            throw new IllegalStateException(screen + ": C decoded " + (size >>> 16) + "x" + (size & 0xffff)
                    + ", not " + width + "x" + height);
        }
        return Arrays.copyOf(cOut, width * height);
    }

    private int[] decodedLz4(int bytes) {
        if (bytes != width * height * 4) {
            throw new IllegalStateException(screen + ": C decoded " + bytes + " bytes of LZ4, not " + width * height * 4);
        }
        return Arrays.copyOf(cOut, width * height);
    }

    /** Compares the colour channels (the unused alpha byte of a 32-bit image may be 0 or 0xff). */
    private void same(String what, int[] expected, int[] actual, int tolerance) {
        int worst = 0;
        for (int i = 0; i < width * height; i++) {
            for (int shift = 0; shift < 24; shift += 8) {
                int d = Math.abs((expected[i] >> shift & 0xff) - (actual[i] >> shift & 0xff));
                if (d > tolerance) {
                    throw new IllegalStateException(screen + ": " + what + " disagree at pixel (" + i % width + ", "
                            + i / width + "): " + Integer.toHexString(expected[i]) + " against "
                            + Integer.toHexString(actual[i]));
                }
                worst = Math.max(worst, d);
            }
        }
        if (tolerance > 0) {
            System.out.printf("%n%s: %s agree within %d (tolerance %d)%n", screen, what, worst, tolerance);
        }
    }

    /** Into {@link #oursOut}, as C into {@link #cOut}: the decoders' work alone. */
    @Benchmark
    public Pixels quicOurs() {
        return QuicDecoder.decode(quic, 0, quic.length, oursOut);
    }

    /** Into a new array an image, as the client decodes (spice-gtk allocates a pixman image per image too). */
    @Benchmark
    public Pixels quicOursNew() {
        return QuicDecoder.decode(quic, 0, quic.length);
    }

    @Benchmark
    public int quicC() {
        return CReference.quicDecode(quic, quic.length, cOut);
    }

    @Benchmark
    public Pixels lzOurs() {
        return LzDecoder.decode(lz, 0, lz.length, null, oursOut);
    }

    @Benchmark
    public Pixels lzOursNew() {
        return LzDecoder.decode(lz, 0, lz.length, null);
    }

    @Benchmark
    public int lzC() {
        return CReference.lzDecode(lz, lz.length, cOut);
    }

    /** As the client decodes a 32-bit LZ4 image where org.spice.video is installed: liblz4 through LibLz4. */
    @Benchmark
    public Pixels lz4Ours() {
        return Lz4Decoder.decode(lz4, 0, lz4.length, width, height, oursOut, libLz4);
    }

    @Benchmark
    public Pixels lz4OursNew() {
        return Lz4Decoder.decode(lz4, 0, lz4.length, width, height, null, libLz4);
    }

    /** As the display decodes LZ4 images on its own (without org.spice.video, or where liblz4 cannot be used). */
    @Benchmark
    public Pixels lz4Java() {
        return Lz4Decoder.decode(lz4, 0, lz4.length, width, height, oursOut);
    }

    @Benchmark
    public Pixels lz4JavaNew() {
        return Lz4Decoder.decode(lz4, 0, lz4.length, width, height);
    }

    @Benchmark
    public int lz4C() {
        return CReference.lz4Decode(lz4, lz4.length, cOut);
    }

    @Benchmark
    public Pixels jpegOurs() {
        return JpegDecoder.decode(jpeg, 0, jpeg.length);
    }

    @Benchmark
    public VideoPicture jpegTurboOurs() {
        return turboJpeg.decode(jpeg, 0, jpeg.length, ImageLimits.MAX_SIDE, ImageLimits.MAX_PIXELS, oursOut);
    }

    @Benchmark
    public VideoPicture jpegTurboOursNew() {
        return turboJpeg.decode(jpeg, 0, jpeg.length, ImageLimits.MAX_SIDE, ImageLimits.MAX_PIXELS);
    }

    @Benchmark
    public int jpegC() {
        return CReference.jpegDecode(jpeg, jpeg.length, cOut);
    }

    /** A decoder and window of their own per image, as spice-gtk's is emptied for each image in the harness. */
    @Benchmark
    public Pixels glzOurs() {
        return new GlzDecoder(new GlzWindow()).decode(glz, 0, glz.length, null);
    }

    @Benchmark
    public int glzC() {
        return CReference.glzDecode(glz, glz.length, cOut);
    }

    @Benchmark
    public byte[] quicEncodeOurs() {
        return QuicEncoder.encodeRgb32(width, height, pixels, 0, width);
    }

    @Benchmark
    public int quicEncodeC() {
        return CReference.quicEncode(pixels, width, height, cEncoded);
    }

    @Benchmark
    public byte[] lzEncodeOurs() {
        return LzEncoder.encodeRgb32(width, height, pixels, 0, width);
    }

    @Benchmark
    public int lzEncodeC() {
        return CReference.lzEncode(pixels, width, height, cEncoded);
    }
}
