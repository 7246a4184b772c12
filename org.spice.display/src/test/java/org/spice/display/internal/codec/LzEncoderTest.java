package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** LZ encoder to {@link LzDecoder}, bit-exact, for every LZ image type over varied pictures and edge sizes. */
class LzEncoderTest {
    static final int[] PALETTE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            PALETTE[i] = (i * 0x010305 + 0x123456) & 0xffffff;
        }
    }

    static Stream<Arguments> cases() {
        int[][] sizes = { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 2, 2 }, { 3, 3 }, { 7, 5 }, { 13, 11 }, { 33, 4 },
            { 257, 3 }, { 640, 37 }, { 8200, 2 } };
        Stream.Builder<Arguments> b = Stream.builder();
        for (int type = LzFormat.PLT1_LE; type <= LzFormat.A8; type++) {
            for (int[] s : sizes) {
                for (String kind : TestPictures.KINDS) {
                    b.add(Arguments.of(type, s[0], s[1], kind));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1}x{2} {3}")
    @MethodSource("cases")
    void roundTrip(int type, int width, int height, String kind) {
        int[] src = TestPictures.picture(kind, width, height, type * 7919L + width * 31L + height);
        byte[] lz = LzEncoder.encode(type, width, height, src, 0, width);
        Pixels p = LzDecoder.decode(lz, 0, lz.length, PALETTE);
        assertEquals(width, p.width());
        assertEquals(height, p.height());
        assertArrayEquals(expected(type, src), p.argb());
    }

    /** What the decoder gives back for what the encoder took from each pixel. */
    static int[] expected(int type, int[] src) {
        int[] e = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int p = src[i];
            e[i] = switch (type) {
                case LzFormat.RGB32, LzFormat.RGB24 -> 0xff000000 | p;
                case LzFormat.RGBA -> p;
                case LzFormat.XXXA, LzFormat.A8 -> p & 0xff000000;
                case LzFormat.RGB16 -> 0xff000000 | widen(p >>> 19) << 16 | widen(p >>> 11) << 8 | widen(p >>> 3);
                case LzFormat.PLT8 -> 0xff000000 | PALETTE[p & 0xff];
                case LzFormat.PLT4_LE, LzFormat.PLT4_BE -> 0xff000000 | PALETTE[p & 0x0f];
                default -> 0xff000000 | PALETTE[p & 1];
            };
        }
        return e;
    }

    private static int widen(int v) {
        v &= 0x1f;
        return v << 3 | v >>> 2;
    }

    @ParameterizedTest
    @ValueSource(ints = { LzFormat.RGB32, LzFormat.RGBA, LzFormat.PLT8, LzFormat.PLT1_BE })
    void aSubRectangleOfALargerPicture(int type) {
        int stride = 301;
        int[] big = TestPictures.picture("desktop", stride, 250, 4);
        int x = 17;
        int y = 23;
        int w = 150;
        int h = 99;
        byte[] lz = LzEncoder.encode(type, w, h, big, y * stride + x, stride);
        assertArrayEquals(expected(type, TestPictures.crop(big, stride, x, y, w, h)),
                LzDecoder.decode(lz, 0, lz.length, PALETTE).argb());
    }

    /**
     * RGB32 pixels are read where they lie, not copied: whatever their alpha bytes hold, the stream is the one of the
     * opaque picture, and a picture that starts inside its array refers to nothing before it.
     */
    @Test
    void rgb32IgnoresAlphaAndReadsInPlace() {
        int w = 200;
        int h = 60;
        int offset = 1000;
        int[] opaque = TestPictures.picture("desktop", w, h, 5);
        Random random = new Random(3);
        int[] array = new int[offset + w * h];
        for (int i = 0; i < offset; i++) {
            array[i] = random.nextInt();
        }
        for (int i = 0; i < w * h; i++) {
            opaque[i] |= 0xff000000;
            array[offset + i] = opaque[i] & 0xffffff | random.nextInt(256) << 24;
        }
        byte[] lz = LzEncoder.encodeRgb32(w, h, array, offset, w);
        assertArrayEquals(LzEncoder.encodeRgb32(w, h, opaque, 0, w), lz);
        assertArrayEquals(opaque, LzDecoder.decode(lz, 0, lz.length, null).argb());
        assertTrue(lz.length < 3 * w * h / 4, lz.length + " bytes");
    }

    @Test
    void flatAndTextCompressNoiseDoesNotGrowMuch() {
        int w = 1920;
        int h = 1080;
        int raw = 4 * w * h;
        byte[] flat = LzEncoder.encodeRgb32(w, h, TestPictures.picture("flat", w, h, 1), 0, w);
        assertTrue(flat.length < 16 * 1024, flat.length + " bytes for a flat full HD picture");
        byte[] text = LzEncoder.encodeRgb32(w, h, TestPictures.picture("text", w, h, 1), 0, w);
        assertTrue(text.length < raw / 10, text.length + " bytes for text");
        byte[] noise = LzEncoder.encodeRgb32(w, h, TestPictures.picture("noise", w, h, 1), 0, w);
        // 3 bytes a pixel and a control byte per 32
        assertTrue(noise.length <= 28 + 3L * w * h + (w * h + 31) / 32, noise.length + " bytes for noise");
        for (byte[] lz : new byte[][] { flat, text, noise }) {
            assertEquals(w * h, LzDecoder.decode(lz, 0, lz.length, null).argb().length);
        }
    }

    /** Rows longer than the near distance make the row above a far reference (the 16-bit distance form). */
    @Test
    void farReferencesAcrossLongRows() {
        int w = 9000;
        int h = 3;
        int[] src = new int[w * h];
        Random r = new Random(3);
        for (int x = 0; x < w; x++) {
            src[x] = r.nextInt() & 0xffffff;
        }
        System.arraycopy(src, 0, src, w, w);
        System.arraycopy(src, 0, src, 2 * w, w);
        byte[] lz = LzEncoder.encodeRgb32(w, h, src, 0, w);
        assertTrue(lz.length < 28 + 3 * w + w / 32 + 128, lz.length + " bytes: the repeated rows were not referenced");
        assertArrayEquals(expected(LzFormat.RGB32, src), LzDecoder.decode(lz, 0, lz.length, null).argb());
    }

    /**
     * A block of random pixels repeated at distances around the edges of the two distance forms and beyond the
     * farthest. In between, one colour: its runs put nothing in the hash table, so the block's entries are still
     * there when the repeat looks them up (behind as many units of noise, a table of 2^13 slots, as spice-common's,
     * has forgotten them), and the row above the repeat is that colour, so only the hash finds it.
     */
    @ParameterizedTest
    @ValueSource(ints = { 8190, 8191, 8192, 8193, LzEncoder.MAX_FAR_DISTANCE, LzEncoder.MAX_FAR_DISTANCE + 1,
        LzEncoder.MAX_FAR_DISTANCE + 3 })
    void blockRepeatedAtDistance(int distance) {
        int block = 64;
        int w = 16000;
        int h = (distance + block + w - 1) / w;
        int n = w * h;
        int[] src = new int[n];
        Arrays.fill(src, 0x123456);
        Random r = new Random(distance);
        for (int i = 0; i < block; i++) {
            src[i] = r.nextInt() & 0xffffff;
        }
        System.arraycopy(src, 0, src, distance, block);
        byte[] lz = LzEncoder.encodeRgb32(w, h, src, 0, w);
        assertArrayEquals(expected(LzFormat.RGB32, src), LzDecoder.decode(lz, 0, lz.length, null).argb());
        // the header, the first block as literals (3 bytes a pixel, a control byte per 32), the fill as references
        // (a length byte per 255 units); the repeat adds a few bytes as a reference, 194 as literals: split the odds
        long blockAsLiterals = 3L * block + 2;
        long between = 28 + blockAsLiterals + n / 255 + blockAsLiterals / 2;
        if (distance <= LzEncoder.MAX_FAR_DISTANCE) {
            assertTrue(lz.length < between, lz.length + " bytes: the block was not referenced");
        } else {
            assertTrue(lz.length > between, lz.length + " bytes: nothing within reach to reference");
        }
    }

    @Test
    void longRunsUseLengthExtensions() {
        int w = 5000;
        int[] src = new int[w * 3];
        java.util.Arrays.fill(src, 0x00abcdef);
        src[w + 7] = 0x123456; // a break in the middle of the runs
        for (int type : new int[] { LzFormat.RGB32, LzFormat.RGB16, LzFormat.A8, LzFormat.PLT8, LzFormat.RGBA }) {
            byte[] lz = LzEncoder.encode(type, w, 3, src, 0, w);
            assertArrayEquals(expected(type, src), LzDecoder.decode(lz, 0, lz.length, PALETTE).argb(), "type " + type);
            assertTrue(lz.length < 200, lz.length + " bytes for type " + type);
        }
    }

    @Test
    void hugeButAllowedSizes() {
        for (int[] s : new int[][] { { ImageLimits.MAX_SIDE, 2 }, { 2, ImageLimits.MAX_SIDE }, { 3840, 2160 } }) {
            int[] src = TestPictures.picture("desktop", s[0], s[1], 9);
            byte[] lz = LzEncoder.encodeRgb32(s[0], s[1], src, 0, s[0]);
            assertArrayEquals(expected(LzFormat.RGB32, src), LzDecoder.decode(lz, 0, lz.length, null).argb());
        }
    }

    @Test
    void argumentsOutsideTheLimitsAreRefused() {
        int[] px = new int[16];
        assertThrows(IllegalArgumentException.class, () -> LzEncoder.encodeRgb32(0, 1, px, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> LzEncoder.encodeRgb32(1, 0, px, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> LzEncoder.encodeRgb32(ImageLimits.MAX_SIDE + 1, 1, new int[ImageLimits.MAX_SIDE + 1], 0,
                        ImageLimits.MAX_SIDE + 1));
        assertThrows(IllegalArgumentException.class, () -> LzEncoder.encodeRgb32(4, 2, px, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> LzEncoder.encodeRgb32(4, 4, px, 1, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> LzEncoder.encodeRgb32(4, 4, px, -1, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> LzEncoder.encodeRgb32(4, 4, px, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> LzEncoder.encode(0, 4, 4, px, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> LzEncoder.encode(12, 4, 4, px, 0, 4));
        assertThrows(NullPointerException.class, () -> LzEncoder.encodeRgb32(4, 4, null, 0, 4));
    }
}
