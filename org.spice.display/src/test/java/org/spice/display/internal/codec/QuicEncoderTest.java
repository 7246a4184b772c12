package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The QUIC encoder as the server uses it (RGB32, RGBA; sub-rectangles of a frame) to {@link QuicDecoder},
 * bit-exact over the test pictures and edge sizes; {@link QuicRoundTripTest} covers the other types and the
 * golden bytes.
 */
class QuicEncoderTest {
    static Stream<Arguments> cases() {
        int[][] sizes = { { 1, 1 }, { 1, 5 }, { 5, 1 }, { 3, 3 }, { 31, 17 }, { 641, 9 }, { 2049, 2 } };
        Stream.Builder<Arguments> b = Stream.builder();
        for (int type : new int[] { QuicFormat.TYPE_RGB32, QuicFormat.TYPE_RGBA }) {
            for (int[] s : sizes) {
                for (String kind : TestPictures.KINDS) {
                    b.add(Arguments.of(type, s[0], s[1], kind));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "type {0} {1}x{2} {3}")
    @MethodSource("cases")
    void roundTrip(int type, int width, int height, String kind) {
        int[] src = TestPictures.picture(kind, width, height, width * 131L + height);
        byte[] q = QuicEncoder.encode(type, width, height, src, 0, width);
        assertArrayEquals(expected(type, src), QuicDecoder.decode(q, 0, q.length).argb());
    }

    static int[] expected(int type, int[] src) {
        int[] e = src.clone();
        if (type != QuicFormat.TYPE_RGBA) {
            for (int i = 0; i < e.length; i++) {
                e[i] |= 0xff000000;
            }
        }
        return e;
    }

    @Test
    void aSubRectangleOfALargerPicture() {
        int stride = 333;
        int[] big = TestPictures.picture("photo", stride, 200, 8);
        for (int type : new int[] { QuicFormat.TYPE_RGB32, QuicFormat.TYPE_RGBA }) {
            byte[] q = QuicEncoder.encode(type, 120, 77, big, 31 * stride + 45, stride);
            assertArrayEquals(expected(type, TestPictures.crop(big, stride, 45, 31, 120, 77)),
                    QuicDecoder.decode(q, 0, q.length).argb());
        }
    }

    @Test
    void photosShrink() {
        int[] src = TestPictures.picture("photo", 1920, 1080, 2);
        byte[] q = QuicEncoder.encodeRgb32(1920, 1080, src, 0, 1920);
        assertTrue(q.length < 1920 * 1080 * 2, q.length + " bytes for a full HD photo");
    }

    @Test
    void hugeButAllowedSizes() {
        for (int[] s : new int[][] { { ImageLimits.MAX_SIDE, 2 }, { 2, ImageLimits.MAX_SIDE }, { 3840, 2160 } }) {
            int[] src = TestPictures.picture("photo", s[0], s[1], 5);
            byte[] q = QuicEncoder.encodeRgb32(s[0], s[1], src, 0, s[0]);
            assertArrayEquals(expected(QuicFormat.TYPE_RGB32, src), QuicDecoder.decode(q, 0, q.length).argb());
        }
    }

    @Test
    void argumentsOutsideTheLimitsAreRefused() {
        int[] px = new int[16];
        assertThrows(IllegalArgumentException.class, () -> QuicEncoder.encodeRgb32(0, 1, px, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> QuicEncoder.encodeRgb32(1, -1, px, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> QuicEncoder.encodeRgb32(1, ImageLimits.MAX_SIDE + 1, new int[ImageLimits.MAX_SIDE + 1], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> QuicEncoder.encodeRgb32(4, 2, px, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> QuicEncoder.encodeRgb32(4, 4, px, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> QuicEncoder.encode(6, 4, 4, px, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> QuicEncoder.encode(0, 4, 4, px, 0, 4));
    }
}
