package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The photo test's sampling walk and verdicts. */
class GradualityTest {
    /**
     * The walk as the class comment states it, position by position with a division for each sample: the score
     * must equal this one exactly, whatever the size, offset and stride.
     */
    static double stated(int[] px, int offset, int stride, int width, int height) {
        if (width <= 1 || height <= 1) {
            return 1.0;
        }
        int jump = 15 % width != 0 ? 15 : 14;
        double sum = 0;
        long samples = 0;
        for (long cur = width / 2; cur < (long) (height - 1) * width; cur += jump) {
            if ((cur + 1) % width == 0) {
                cur--;
            }
            int at = offset + (int) (cur / width) * stride + (int) (cur % width);
            double pairs = weight(px[at], px[at + 1]) + weight(px[at], px[at + stride])
                    + weight(px[at], px[at + stride + 1]);
            boolean flat = px[at] == px[at + 1] && px[at] == px[at + stride] && px[at] == px[at + stride + 1];
            sum += flat ? 0 : pairs;
            samples++;
        }
        return sum / (samples * 3);
    }

    private static double weight(int a, int b) {
        int dr = Math.abs(((a >> 16) & 0xff) - ((b >> 16) & 0xff));
        int dg = Math.abs(((a >> 8) & 0xff) - ((b >> 8) & 0xff));
        int db = Math.abs((a & 0xff) - (b & 0xff));
        if (dr >= 60 || dg >= 60 || db >= 60) {
            return 1.0;
        }
        return dr + dg + db == 0 ? 0.5 : -0.25;
    }

    @Test
    void scoresEqualTheStatedWalkOnEverySize() {
        Random r = new Random(7);
        for (int width = 2; width <= 70; width++) {
            for (int height : new int[] {2, 3, 16, 31}) {
                int stride = width + r.nextInt(3);
                int offset = r.nextInt(5);
                int[] px = new int[offset + stride * height + 1];
                for (int i = 0; i < px.length; i++) {
                    // soft steps, sharp edges and flat runs, so every weight occurs
                    px[i] = switch (r.nextInt(3)) {
                        case 0 -> 0x404040 + r.nextInt(8) * 0x010101;
                        case 1 -> r.nextInt(0x1000000);
                        default -> 0x808080;
                    };
                }
                double expected = stated(px, offset, stride, width, height);
                assertEquals(expected, Graduality.score(px, offset, stride, width, height), 0.0,
                        width + "x" + height + " at " + offset + " stride " + stride);
            }
        }
    }

    @Test
    void aGradientIsPhotoLikeAndFlatAreasWithTextAreNot() {
        int w = 320;
        int h = 200;
        int[] gradient = new int[w * h];
        int[] text = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                gradient[y * w + x] = (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x + y) * 255 / (w + h));
                text[y * w + x] = (x / 3 + y / 5) % 4 == 0 ? 0x000000 : 0xffffff;
            }
        }
        assertTrue(Graduality.photoLike(gradient, 0, w, w, h));
        assertFalse(Graduality.photoLike(text, 0, w, w, h));
        assertFalse(Graduality.photoLike(new int[w * h], 0, w, w, h));
    }
}
