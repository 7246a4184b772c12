package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** A full HD photo-like frame round-trips exactly. Its decode speed is measured by the benchmarks, not here. */
class QuicFullHdTest {
    static int[] photoLike(int width, int height) {
        Random random = new Random(5);
        int[] p = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = x / (double) width;
                double v = y / (double) height;
                int r = (int) (128 + 100 * Math.sin(6 * u + 3 * v)) + random.nextInt(9) - 4;
                int g = (int) (128 + 90 * Math.cos(4 * v - 2 * u)) + random.nextInt(9) - 4;
                int b = (int) (128 + 80 * Math.sin(9 * u * v)) + random.nextInt(9) - 4;
                p[y * width + x] = 0xff000000 | clamp(r) << 16 | clamp(g) << 8 | clamp(b);
            }
        }
        return p;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    @Test
    void fullHdFrame() {
        int width = 1920;
        int height = 1080;
        int[] source = photoLike(width, height);
        byte[] stream = QuicEncoder.encode(QuicFormat.TYPE_RGB32, width, height, source, 0, width);
        assertArrayEquals(source, QuicDecoder.decode(stream, 0, stream.length).argb());
    }
}
