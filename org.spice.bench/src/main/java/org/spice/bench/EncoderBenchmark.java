package org.spice.bench;

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
import org.spice.display.internal.codec.GlzEncoder;
import org.spice.display.internal.codec.JpegEncoder;
import org.spice.display.internal.codec.LzEncoder;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.codec.QuicDecoder;
import org.spice.display.internal.codec.QuicEncoder;

/**
 * Encode throughput of the server's image encoders on the pixels of the checked-in corpus (the two screens QEMU
 * 7.2 sent as QUIC: a photo-like 1024x768 boot splash and the 720x400 SeaBIOS text screen, decoded in setup), with
 * the same arraycopy reference as {@link DecoderBenchmark}. GLZ encodes each image with a fresh encoder (an empty
 * window, as the first image of a connection): a window holding the same image would turn it into one reference.
 * docs/codec-bench.md turns operations per second into MB/s of encoded pixels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EncoderBenchmark {
    Pixels splash;
    Pixels bios;
    int[] copySource;
    int[] copyTarget;

    @Setup
    public void load() {
        byte[] s = DecoderBenchmark.read("quic/splash-1024x768.quic");
        splash = QuicDecoder.decode(s, 0, s.length);
        byte[] b = DecoderBenchmark.read("quic/bios-720x400.quic");
        bios = QuicDecoder.decode(b, 0, b.length);
        copySource = new int[1024 * 768];
        copyTarget = new int[1024 * 768];
    }

    @Benchmark
    public int[] referenceCopy1024x768() {
        System.arraycopy(copySource, 0, copyTarget, 0, copySource.length);
        return copyTarget;
    }

    @Benchmark
    public byte[] quicEncodePhotoLike1024x768() {
        return QuicEncoder.encodeRgb32(1024, 768, splash.argb(), 0, 1024);
    }

    @Benchmark
    public byte[] quicEncodeText720x400() {
        return QuicEncoder.encodeRgb32(720, 400, bios.argb(), 0, 720);
    }

    @Benchmark
    public byte[] lzEncodePhotoLike1024x768() {
        return LzEncoder.encodeRgb32(1024, 768, splash.argb(), 0, 1024);
    }

    @Benchmark
    public byte[] lzEncodeText720x400() {
        return LzEncoder.encodeRgb32(720, 400, bios.argb(), 0, 720);
    }

    @Benchmark
    public byte[] glzEncodePhotoLike1024x768() {
        return new GlzEncoder(1 << 22).encodeRgb32(1024, 768, splash.argb(), 0, 1024);
    }

    @Benchmark
    public byte[] glzEncodeText720x400() {
        return new GlzEncoder(1 << 22).encodeRgb32(720, 400, bios.argb(), 0, 720);
    }

    @Benchmark
    public byte[] jpegEncodePhotoLike1024x768() {
        return JpegEncoder.encode(1024, 768, splash.argb(), 0, 1024, JpegEncoder.DEFAULT_QUALITY);
    }

    @Benchmark
    public byte[] bitmapEncode32bit1024x768() {
        return BitmapCodec.encode32(1024, 768, splash.argb(), 0, 1024);
    }
}
