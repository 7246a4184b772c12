package org.spice.display.internal.codec;

import java.util.Random;

/**
 * Deterministic pictures for the encoder tests, 0xAARRGGBB: each kind stresses another part of the codecs.
 * noise (nothing repeats, escapes), gradient (small smooth steps), flat (one colour: runs), text (glyph-like
 * strokes on a flat ground: short repeats, the row above), photo (smooth with grain), desktop (windows, title
 * bars, a gradient ground, text), alpha (colour and alpha varying independently).
 */
final class TestPictures {
    static final String[] KINDS = { "noise", "gradient", "flat", "text", "photo", "desktop", "alpha" };

    private TestPictures() {
    }

    static int[] picture(String kind, int width, int height, long seed) {
        Random r = new Random(seed);
        int[] p = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                p[y * width + x] = pixel(kind, x, y, width, height, r);
            }
        }
        return p;
    }

    private static int pixel(String kind, int x, int y, int w, int h, Random r) {
        switch (kind) {
            case "noise":
                return r.nextInt();
            case "gradient": {
                int red = x * 255 / Math.max(1, w - 1);
                int green = y * 255 / Math.max(1, h - 1);
                int blue = (x + y) * 255 / Math.max(1, w + h - 2);
                return 0xff000000 | red << 16 | green << 8 | blue;
            }
            case "flat":
                return 0xff336699;
            case "text": {
                // 6x9 cells; a cell's strokes depend on its "character"
                int cx = x / 6;
                int cy = y / 9;
                int ch = (cx * 31 + cy * 17) % 23;
                int gx = x % 6;
                int gy = y % 9;
                boolean ink = gy > 1 && gy < 8 && gx < 5
                        && ((gx == ch % 5) || (gy == 2 + ch % 6) || ((gx + gy + ch) % 7 == 0));
                return ink ? 0xff101010 : 0xfff0f0e8;
            }
            case "photo": {
                double u = x / (double) Math.max(1, w);
                double v = y / (double) Math.max(1, h);
                int red = clamp((int) (128 + 100 * Math.sin(6 * u + 3 * v)) + r.nextInt(9) - 4);
                int green = clamp((int) (128 + 90 * Math.cos(4 * v - 2 * u)) + r.nextInt(9) - 4);
                int blue = clamp((int) (128 + 80 * Math.sin(9 * u * v)) + r.nextInt(9) - 4);
                return 0xff000000 | red << 16 | green << 8 | blue;
            }
            case "desktop": {
                int wx = x % 300;
                int wy = y % 200;
                if (wx >= 20 && wx < 280 && wy >= 20 && wy < 180) {
                    if (wy < 36) {
                        return 0xff2b579a;
                    }
                    boolean glyph = wy > 50 && wy < 60 && wx > 30 && wx < 250 && ((wx * 7 + wy * 3) % 5 == 0);
                    return glyph ? 0xff000000 : 0xfff2f2f2;
                }
                int g = 0x40 + y * 0x50 / Math.max(1, h);
                return 0xff000000 | (g / 2) << 16 | g << 8 | Math.min(255, g + 0x40);
            }
            default: { // alpha
                int a = (x * 13 + y * 7) & 0xff;
                if ((x / 8 + y / 8) % 3 == 0) {
                    a = 0xff;
                } else if ((x / 8 + y / 8) % 3 == 1) {
                    a = 0;
                }
                return a << 24 | ((x * 3) & 0xff) << 16 | ((y * 5) & 0xff) << 8 | ((x ^ y) & 0xff);
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** The pixels of a sub-rectangle, packed. */
    static int[] crop(int[] p, int stride, int x, int y, int w, int h) {
        int[] out = new int[w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(p, (y + row) * stride + x, out, row * w, w);
        }
        return out;
    }
}
