package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoder first proves itself on the golden screens (it must give back spice-server's bytes), then
 * round-trips every QUIC type over images built to reach every path: first row, runs, escapes, counter halving,
 * all wait mask steps inside one row, 1-pixel rows and columns.
 */
class QuicRoundTripTest {
    @ParameterizedTest
    @MethodSource("golden")
    void testEncoderReproducesSpiceServerBytes(String stream) {
        byte[] server = QuicGoldenTest.resource(stream);
        Pixels pixels = QuicDecoder.decode(server, 0, server.length);
        byte[] ours = QuicEncoder.encodeRgb32(pixels.width(), pixels.height(), pixels.argb(), 0, pixels.width());
        assertArrayEquals(server, ours);
    }

    static Stream<String> golden() {
        return Stream.of("bios-720x400.quic", "splash-1024x768.quic");
    }

    static Stream<Arguments> cases() {
        int[][] sizes = { { 1, 1 }, { 1, 7 }, { 7, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 13, 11 }, { 64, 48 },
            { 2047, 2 }, { 2049, 3 }, { 5000, 4 }, { 300, 200 } };
        String[] kinds = { "noise", "smooth", "flat", "blocks", "mixed" };
        Stream.Builder<Arguments> b = Stream.builder();
        for (int type = QuicFormat.TYPE_GRAY; type <= QuicFormat.TYPE_RGBA; type++) {
            for (int[] s : sizes) {
                for (String kind : kinds) {
                    b.add(Arguments.of(type, s[0], s[1], kind));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "type {0} {1}x{2} {3}")
    @MethodSource("cases")
    void roundTrip(int type, int width, int height, String kind) {
        int[] source = image(kind, width, height, type * 1000 + width * 7 + height);
        byte[] stream = QuicEncoder.encode(type, width, height, source, 0, width);
        Pixels decoded = QuicDecoder.decode(stream, 0, stream.length);
        assertEquals(width, decoded.width());
        assertEquals(height, decoded.height());
        int[] expected = new int[source.length];
        for (int i = 0; i < source.length; i++) {
            expected[i] = expected(type, source[i]);
        }
        assertArrayEquals(expected, decoded.argb());
    }

    @Test
    void rgb16WidensLikeSpiceGtk() {
        // 5-bit 0 -> 0x00, 1 -> 0x08, 16 -> 0x84, 31 -> 0xff
        int[] source = { 0x000000, 0x080808, 0x808080, 0xf8f8f8, 0xf80000, 0x00f800, 0x0000f8, 0x081080 };
        byte[] stream = QuicEncoder.encode(QuicFormat.TYPE_RGB16, 4, 2, source, 0, 4);
        Pixels p = QuicDecoder.decode(stream, 0, stream.length);
        assertArrayEquals(new int[] { 0xff000000, 0xff080808, 0xff848484, 0xffffffff, 0xffff0000, 0xff00ff00,
            0xff0000ff, 0xff081084 }, p.argb());
    }

    @Test
    void grayAndAlphaKeepTheirValues() {
        int[] gray = { 0x000000, 0x7f7f7f, 0xffffff, 0x010101 };
        byte[] g = QuicEncoder.encode(QuicFormat.TYPE_GRAY, 2, 2, gray, 0, 2);
        assertArrayEquals(new int[] { 0xff000000, 0xff7f7f7f, 0xffffffff, 0xff010101 },
                QuicDecoder.decode(g, 0, g.length).argb());
        int[] rgba = { 0x00000000, 0x80ff0000, 0xff00ff00, 0x400000ff };
        byte[] a = QuicEncoder.encode(QuicFormat.TYPE_RGBA, 2, 2, rgba, 0, 2);
        assertArrayEquals(rgba, QuicDecoder.decode(a, 0, a.length).argb());
    }

    static int expected(int type, int argb) {
        switch (type) {
            case QuicFormat.TYPE_GRAY:
                return 0xff000000 | (argb & 0xff) * 0x010101;
            case QuicFormat.TYPE_RGB16: {
                int r = (argb >>> 19) & 0x1f;
                int g = (argb >>> 11) & 0x1f;
                int b = (argb >>> 3) & 0x1f;
                return 0xff000000 | widen(r) << 16 | widen(g) << 8 | widen(b);
            }
            case QuicFormat.TYPE_RGBA:
                return argb;
            default:
                return 0xff000000 | argb;
        }
    }

    private static int widen(int v) {
        return v << 3 | v >>> 2;
    }

    /** Test images, deterministic for a seed. */
    static int[] image(String kind, int width, int height, long seed) {
        Random random = new Random(seed);
        int[] p = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v;
                switch (kind) {
                    case "noise":
                        v = random.nextInt();
                        break;
                    case "smooth": {
                        int r = (x * 255 / Math.max(1, width - 1) + random.nextInt(5)) & 0xff;
                        int g = (y * 255 / Math.max(1, height - 1) + random.nextInt(3)) & 0xff;
                        int b = ((x + y) * 3 + random.nextInt(9)) & 0xff;
                        v = (random.nextInt(256)) << 24 | r << 16 | g << 8 | b;
                        break;
                    }
                    case "flat":
                        v = 0x80336699;
                        break;
                    case "blocks":
                        v = ((x / 5 + y / 3) % 3 == 0 ? 0xff000000 : 0x7fffffff) ^ ((x / 17) * 0x00104020);
                        break;
                    default: // mixed: text-like strokes on flat ground with noisy bands
                        if (y % 16 < 4) {
                            v = random.nextInt();
                        } else if ((x * 7 + y * 3) % 11 == 0) {
                            v = 0xffe0e0e0;
                        } else {
                            v = 0xff101820 + (x / 64);
                        }
                }
                p[y * width + x] = v;
            }
        }
        return p;
    }
}
