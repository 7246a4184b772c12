package org.spice.video.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoDecoder;
import org.spice.display.video.VideoEncoder;
import org.spice.display.video.VideoPicture;

/**
 * The FFmpeg codecs on real frames: the test vectors are made at test time by the same FFmpeg's encoders (x264 or
 * openh264, libvpx) from a moving smooth picture, decoded again and compared by PSNR; then truncated, garbage and
 * resized frames.
 */
class FfmpegCodecsTest {
    private static final FfmpegCodecs CODECS = new FfmpegCodecs(false);

    /** A smooth moving picture (gradients and a soft disc): what video encoders are made for. */
    static int[] picture(int w, int h, int t) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x - (w / 2.0 + 10 * Math.sin(t / 5.0));
                double dy = y - h / 2.0;
                double disc = Math.max(0, 1 - Math.sqrt(dx * dx + dy * dy) / (h / 3.0));
                int r = (int) (255 * x / (double) w);
                int g = (int) (255 * y / (double) h);
                int b = (int) (80 + 170 * disc);
                px[y * w + x] = 0xff000000 | r << 16 | g << 8 | b;
            }
        }
        return px;
    }

    static double psnr(int[] a, int[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            for (int s = 0; s < 24; s += 8) {
                int d = (a[i] >> s & 0xff) - (b[i] >> s & 0xff);
                se += d * d;
            }
        }
        double mse = se / (3.0 * a.length);
        return mse == 0 ? 99 : 10 * Math.log10(255 * 255 / mse);
    }

    @Test
    void theNativesLoadAndAllThreeCodecsWorkBothWays() {
        assertTrue(FfmpegCodecs.packagedHere());
        // what a client announces before the natives load (on demand) is what they decode once loaded
        FfmpegCodecs fresh = new FfmpegCodecs(true);
        assertEquals(EnumSet.of(VideoCodec.H264, VideoCodec.VP8, VideoCodec.VP9), fresh.decodes());
        assertEquals(EnumSet.of(VideoCodec.H264, VideoCodec.VP8, VideoCodec.VP9), fresh.encodes());
        assertNull(Ffmpeg.load());
        assertEquals(FfmpegCodecs.BUILT_WITH, Ffmpeg.decoders());
        assertEquals(EnumSet.of(VideoCodec.H264, VideoCodec.VP8, VideoCodec.VP9), fresh.decodes());
    }

    /** Encodes {@code n} frames of w x h; each encode returns one frame's data. */
    static List<byte[]> encode(VideoCodec codec, int w, int h, int n) {
        List<byte[]> frames = new ArrayList<>();
        try (VideoEncoder e = CODECS.encoder(codec, w, h, 25, 2_000_000)) {
            for (int t = 0; t < n; t++) {
                frames.add(e.encode(picture(w, h, t), 0, w));
            }
        }
        return frames;
    }

    @ParameterizedTest
    @EnumSource(names = {"H264", "VP8", "VP9"})
    void framesDecodeWithinAPsnrBoundEachAsItArrives(VideoCodec codec) {
        int w = 160;
        int h = 96;
        List<byte[]> frames = encode(codec, w, h, 10);
        try (VideoDecoder d = CODECS.decoder(codec)) {
            for (int t = 0; t < frames.size(); t++) {
                assertTrue(frames.get(t).length > 0, "frame " + t + " is empty");
                VideoPicture p = d.decode(frames.get(t));
                assertNotNull(p, codec + " frame " + t + " held back by the decoder");
                assertEquals(w, p.width());
                assertEquals(h, p.height());
                double db = psnr(picture(w, h, t), p.argb());
                assertTrue(db > 30, codec + " frame " + t + ": " + db + " dB");
            }
        }
    }

    /**
     * Frames decode into an array the display offers when it has the picture's size (an array of garbage gets every
     * pixel), the same pixels as into a new array; an array of another size is left alone.
     */
    @ParameterizedTest
    @EnumSource(names = {"H264", "VP8", "VP9"})
    void framesDecodeIntoAnOfferedArrayOfTheirSize(VideoCodec codec) {
        int w = 160;
        int h = 96;
        List<byte[]> frames = encode(codec, w, h, 4);
        try (VideoDecoder fresh = CODECS.decoder(codec); VideoDecoder reusing = CODECS.decoder(codec)) {
            int[] into = new int[w * h];
            int[] other = new int[w * h - 1];
            for (int t = 0; t < frames.size(); t++) {
                Arrays.fill(into, 0x5a5a5a5a);
                VideoPicture expected = fresh.decode(frames.get(t));
                VideoPicture p = reusing.decode(frames.get(t), t % 2 == 0 ? into : other);
                assertArrayEquals(expected.argb(), p.argb(), codec + " frame " + t);
                if (t % 2 == 0) {
                    assertSame(into, p.argb());
                } else {
                    assertNotSame(other, p.argb());
                }
            }
            assertArrayEquals(new int[other.length], other);
        }
    }

    /** Grain no codec squeezes: an encoder spends about what its rate allows. */
    static int[] grain(int w, int h, int t) {
        java.util.Random r = new java.util.Random(t);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = 0xff000000 | r.nextInt(0x1000000);
        }
        return px;
    }

    /**
     * A new rate takes effect within a few frames (FFmpeg's libvpx and openh264 wrappers keep the rate they were
     * opened with, so the encoder reopens its context), and the stream still decodes across the change.
     */
    @ParameterizedTest
    @EnumSource(names = {"H264", "VP8", "VP9"})
    void aLowerBitRateMakesSmallerFramesAndTheStreamGoesOnDecoding(VideoCodec codec) {
        int w = 160;
        int h = 96;
        try (VideoEncoder e = CODECS.encoder(codec, w, h, 25, 2_000_000); VideoDecoder d = CODECS.decoder(codec)) {
            long high = 0;
            long low = 0;
            for (int t = 0; t < 40; t++) {
                if (t == 20) {
                    e.bitRate(250_000);
                }
                byte[] f;
                try {
                    f = e.encode(grain(w, h, t), 0, w);
                } catch (RuntimeException failed) {
                    throw new AssertionError(codec + " frame " + t + ": " + failed.getMessage(), failed);
                }
                if (t >= 10 && t < 20) {
                    high += f.length;
                } else if (t >= 30) {
                    low += f.length;
                }
                VideoPicture p = d.decode(f);
                assertNotNull(p, codec + " frame " + t + " did not decode");
                assertEquals(w, p.width());
            }
            assertTrue(low * 3 < high, codec + ": 10 frames took " + high + " bytes at 2 Mbit/s and " + low
                    + " at 250 kbit/s");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"H264", "VP8", "VP9"})
    void oddSizesAreEncodedAtTheEvenSizeBelow(VideoCodec codec) {
        byte[] f = encode(codec, 33, 21, 1).get(0);
        try (VideoDecoder d = CODECS.decoder(codec)) {
            VideoPicture p = d.decode(f);
            assertEquals(32, p.width());
            assertEquals(20, p.height());
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"H264", "VP8", "VP9"})
    void aStreamWhoseFramesChangeSizeDecodesEachAtItsSize(VideoCodec codec) {
        List<byte[]> big = encode(codec, 64, 48, 2);
        List<byte[]> small = encode(codec, 32, 16, 2);
        try (VideoDecoder d = CODECS.decoder(codec)) {
            assertEquals(64, d.decode(big.get(0)).width());
            VideoPicture p = d.decode(small.get(0));
            assertEquals(32, p.width());
            assertEquals(16, p.height());
            assertTrue(psnr(picture(32, 16, 0), p.argb()) > 25);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"H264", "VP8", "VP9"})
    void truncatedAndGarbageFramesFailCleanlyOrShowNothing(VideoCodec codec) {
        List<byte[]> frames = encode(codec, 64, 48, 3);
        Random rnd = new Random(16);
        for (int round = 0; round < 30; round++) {
            try (VideoDecoder d = CODECS.decoder(codec)) {
                byte[] key = frames.get(0);
                byte[] bad = switch (round % 3) {
                    case 0 -> Arrays.copyOf(key, 1 + rnd.nextInt(key.length - 1)); // truncated
                    case 1 -> { // garbage
                        byte[] g = new byte[1 + rnd.nextInt(4000)];
                        rnd.nextBytes(g);
                        yield g;
                    }
                    default -> { // bit flips in a real frame
                        byte[] g = key.clone();
                        for (int i = 0; i < 8; i++) {
                            g[rnd.nextInt(g.length)] ^= (byte) (1 << rnd.nextInt(8));
                        }
                        yield g;
                    }
                };
                try {
                    VideoPicture p = d.decode(bad);
                    if (p != null) {
                        assertTrue(p.width() <= 16384 && p.height() <= 16384);
                    }
                } catch (VideoCodecException e) {
                    assertTrue(e.getMessage().contains(codec.toString()), e.getMessage());
                }
            }
        }
        try (VideoDecoder d = CODECS.decoder(codec)) {
            assertThrows(VideoCodecException.class, () -> d.decode(new byte[0]));
        }
    }

    @Test
    void aClosedDecoderRefusesFramesAndClosingTwiceIsHarmless() {
        VideoDecoder d = CODECS.decoder(VideoCodec.VP8);
        d.close();
        d.close();
        assertThrows(VideoCodecException.class, () -> d.decode(new byte[] {1, 2, 3}));
    }

    /**
     * VideoFuzzTest's first finding: a VP9 stream whose frames switch to 56x48 made libswscale write past a
     * destination of exactly 4*w*h bytes, and glibc aborted the whole JVM ("malloc(): invalid size"); without the
     * fix this test crashes its JVM. The input is the fuzzer's framing ([codec u8][length u16 LE][frame]...);
     * every picture that comes out must be whole.
     */
    @Test
    void vp9PicturesOfAnyWidthConvertWithinTheirBuffer() throws java.io.IOException {
        byte[] in;
        try (var s = getClass().getResourceAsStream("/fuzz-findings/vp9-overrun")) {
            in = s.readAllBytes();
        }
        assertEquals(2, in[0], "the finding is a VP9 stream");
        List<String> sizes = new ArrayList<>();
        try (VideoDecoder d = CODECS.decoder(VideoCodec.VP9)) {
            int at = 1;
            while (at + 2 <= in.length) {
                int length = (in[at] & 0xff) | (in[at + 1] & 0xff) << 8;
                at += 2;
                int end = Math.min(in.length, at + length);
                try {
                    VideoPicture p = d.decode(Arrays.copyOfRange(in, at, end));
                    if (p != null) {
                        assertEquals(p.width() * p.height(), p.argb().length);
                        sizes.add(p.width() + "x" + p.height());
                    }
                } catch (VideoCodecException refused) {
                    sizes.add("refused");
                }
                at = end;
            }
        }
        assertEquals(List.of("56x48", "56x48", "56x48", "refused"), sizes, "the pictures of the finding");
    }
}
