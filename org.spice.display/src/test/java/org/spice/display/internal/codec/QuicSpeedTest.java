package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Decode speed of a full HD frame. The bound is loose (shared CI machines, no warm JIT guarantee); the measured
 * time is printed.
 */
class QuicSpeedTest {
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
        byte[] stream = QuicTestEncoder.encode(QuicDecoder.TYPE_RGB32, width, height, source);
        assertArrayEquals(source, QuicDecoder.decode(stream, 0, stream.length).argb());
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 40; i++) {
            long t0 = System.nanoTime();
            QuicDecoder.decode(stream, 0, stream.length);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("QUIC decode of a %dx%d RGB32 frame (%d kB): best %.1f ms%n", width, height,
                stream.length / 1024, best / 1e6);
        assertTrue(best < 1_000_000_000L, "a full HD frame took " + best / 1_000_000 + " ms");
    }
}
