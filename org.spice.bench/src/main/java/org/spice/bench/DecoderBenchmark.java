package org.spice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.spice.display.internal.codec.BitmapCodec;
import org.spice.display.internal.codec.GlzDecoder;
import org.spice.display.internal.codec.GlzEncoder;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.display.internal.codec.JpegDecoder;
import org.spice.display.internal.codec.JpegEncoder;
import org.spice.display.internal.codec.Lz4Decoder;
import org.spice.display.internal.codec.LzDecoder;
import org.spice.display.internal.codec.LzEncoder;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.codec.QuicDecoder;

/**
 * Decode throughput of the display codecs on the corpus checked into the repository (images QEMU 7.2 sent, and
 * LZ, GLZ and JPEG streams our encoders make in setup from those images' pixels), and a reference measured in the
 * same run: copying the same number of pixels with System.arraycopy. docs/codec-bench.md turns operations per
 * second into MB/s of decoded pixels and ratios to the reference.
 *
 * <p>Run from the repository root: {@code ./mvnw -q -Pbench -pl org.spice.bench -am package -DskipTests &&
 * java -jar org.spice.bench/target/benchmarks.jar -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecoderBenchmark {
    static final Path GOLDEN = Path.of(System.getProperty("spice.golden",
            "org.spice.display/src/test/resources/golden"));

    byte[] quicSplash;
    byte[] quicBios;
    byte[] lzBios;
    byte[] lz4Bios;
    byte[] bitmap;
    int[] copySource;
    int[] copyTarget;
    /** Streams our encoders make in setup from the corpus pixels (QEMU never sent these for the two screens). */
    byte[] lzSplash;
    byte[] glzSplash;
    byte[] glzBios;
    byte[] jpegSplash;

    @Setup
    public void load() {
        quicSplash = read("quic/splash-1024x768.quic");
        quicBios = read("quic/bios-720x400.quic");
        lzBios = read("lz-screenshot/000.lz");
        lz4Bios = read("lz4-screenshot/000.lz4");
        bitmap = new byte[1024 * 768 * 4];
        for (int i = 0; i < bitmap.length; i++) {
            bitmap[i] = (byte) (i * 31 >> 3);
        }
        copySource = new int[1024 * 768];
        copyTarget = new int[1024 * 768];
        Pixels splash = QuicDecoder.decode(quicSplash, 0, quicSplash.length);
        Pixels bios = QuicDecoder.decode(quicBios, 0, quicBios.length);
        lzSplash = LzEncoder.encodeRgb32(1024, 768, splash.argb(), 0, 1024);
        glzSplash = new GlzEncoder(1 << 22).encodeRgb32(1024, 768, splash.argb(), 0, 1024);
        glzBios = new GlzEncoder(1 << 22).encodeRgb32(720, 400, bios.argb(), 0, 720);
        jpegSplash = JpegEncoder.encode(1024, 768, splash.argb(), 0, 1024, JpegEncoder.DEFAULT_QUALITY);
    }

    static byte[] read(String name) {
        try {
            return Files.readAllBytes(GOLDEN.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("run from the repository root, or set -Dspice.golden", e);
        }
    }

    /** The reference: 1024x768 pixels copied, the least any decoder of that many pixels must do. */
    @Benchmark
    public int[] referenceCopy1024x768() {
        System.arraycopy(copySource, 0, copyTarget, 0, copySource.length);
        return copyTarget;
    }

    @Benchmark
    public Pixels quicPhotoLike1024x768() {
        return QuicDecoder.decode(quicSplash, 0, quicSplash.length);
    }

    @Benchmark
    public Pixels quicText720x400() {
        return QuicDecoder.decode(quicBios, 0, quicBios.length);
    }

    @Benchmark
    public Pixels lzText720x400() {
        return LzDecoder.decode(lzBios, 0, lzBios.length, null);
    }

    @Benchmark
    public Pixels lzPhotoLike1024x768() {
        return LzDecoder.decode(lzSplash, 0, lzSplash.length, null);
    }

    /** A fresh window per image: the first image of a session. */
    @Benchmark
    public Pixels glzPhotoLike1024x768() {
        return new GlzDecoder(new GlzWindow()).decode(glzSplash, 0, glzSplash.length, null);
    }

    @Benchmark
    public Pixels glzText720x400() {
        return new GlzDecoder(new GlzWindow()).decode(glzBios, 0, glzBios.length, null);
    }

    @Benchmark
    public Pixels jpegPhotoLike1024x768() {
        return JpegDecoder.decode(jpegSplash, 0, jpegSplash.length);
    }

    @Benchmark
    public Pixels bitmap32bit1024x768() {
        return BitmapCodec.decode(BitmapCodec.FMT_32BIT, 1024, 768, 4096, true, bitmap, 0, null);
    }

    @Benchmark
    public Pixels lz4Text720x400() {
        return Lz4Decoder.decode(lz4Bios, 0, lz4Bios.length, 720, 400);
    }
}
