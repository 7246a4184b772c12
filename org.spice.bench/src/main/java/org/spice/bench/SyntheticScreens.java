package org.spice.bench;

/**
 * Deterministic 1920x1080 test screens for the benchmarks, computed from fixed seeds so every machine measures the
 * same pixels without checking in megabytes: a desktop (gradient wallpaper, icons, a task bar, windows of text and
 * one holding a picture) and a photo-like image (smooth shading with fine grain, as a camera picture).
 */
final class SyntheticScreens {
    private SyntheticScreens() {
    }

    /** A photo-like image: low-frequency colour fields plus per-pixel grain. */
    static int[] photo(int width, int height, long seed) {
        int[] px = new int[width * height];
        Xorshift random = new Xorshift(seed);
        double fx = 2 * Math.PI / width;
        double fy = 2 * Math.PI / height;
        double p1 = random.next(1000) / 100.0;
        double p2 = random.next(1000) / 100.0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double a = Math.sin(x * fx * 1.3 + p1) * Math.cos(y * fy * 0.7);
                double b = Math.sin((x + y) * fx * 0.9 + p2);
                double c = Math.cos(x * fx * 3.1 - y * fy * 2.3);
                int grain = random.next(17) - 8;
                int r = clamp(128 + (int) (90 * a + 30 * c) + grain);
                int g = clamp(110 + (int) (70 * b + 40 * a) + grain);
                int bl = clamp(100 + (int) (80 * c - 30 * b) + grain);
                px[y * width + x] = 0xff000000 | r << 16 | g << 8 | bl;
            }
        }
        return px;
    }

    /** A desktop: wallpaper, icons, a task bar and three windows (two of text, one with a picture). */
    static int[] desktop(int width, int height, long seed) {
        int[] px = new int[width * height];
        Xorshift random = new Xorshift(seed);
        for (int y = 0; y < height; y++) {
            int shade = 40 + 60 * y / height;
            fill(px, width, 0, y, width, 1, 0xff000000 | (shade / 3) << 16 | shade << 8 | (shade + 40));
        }
        for (int i = 0; i < 8; i++) {
            int colour = 0xff000000 | random.next(0x1000000);
            fill(px, width, 24, 24 + i * 96, 48, 48, colour);
            fill(px, width, 36, 36 + i * 96, 24, 24, colour ^ 0x00ffffff);
            text(px, width, 16, 80 + i * 96, 8, 0xffffffff, 0, random);
        }
        fill(px, width, 0, height - 40, width, 40, 0xff303030);
        for (int i = 0; i < 10; i++) {
            fill(px, width, 8 + i * 180, height - 34, 172, 28, 0xff4a4a4a);
            text(px, width, 16 + i * 180, height - 28, 16, 0xffe0e0e0, 0xff4a4a4a, random);
        }
        window(px, width, 140, 60, 900, 620, random);
        int pictureX = 700, pictureY = 300, pictureWidth = 760, pictureHeight = 520;
        window(px, width, pictureX - 10, pictureY - 40, pictureWidth + 20, pictureHeight + 50, random);
        int[] picture = photo(pictureWidth, pictureHeight, random.next(Integer.MAX_VALUE));
        for (int y = 0; y < pictureHeight; y++) {
            System.arraycopy(picture, y * pictureWidth, px, (pictureY + y) * width + pictureX, pictureWidth);
        }
        window(px, width, 1100, 120, 760, 400, random);
        return px;
    }

    private static void window(int[] px, int stride, int x, int y, int w, int h, Xorshift random) {
        fill(px, stride, x - 1, y - 1, w + 2, h + 2, 0xff202020);
        fill(px, stride, x, y, w, h, 0xfff4f4f4);
        for (int i = 0; i < 30; i++) {
            fill(px, stride, x, y + i, w, 1, 0xff000000 | (40 + i) << 16 | (80 + i * 2) << 8 | (160 + i * 2));
        }
        text(px, stride, x + 12, y + 8, Math.min(40, w / 10), 0xffffffff, 0, random);
        for (int line = 0; (line + 1) * 18 < h - 40; line++) {
            text(px, stride, x + 12, y + 40 + line * 18, (w - 24) / 8 - random.next(20), 0xff101010, 0, random);
        }
    }

    /** Glyph-like 8x16 cells from a 32-letter alphabet, spaces between words. */
    private static void text(int[] px, int stride, int x, int y, int cells, int ink, int paper, Xorshift random) {
        for (int cell = 0; cell < cells; cell++) {
            int letter = random.next(6) == 0 ? -1 : random.next(32);
            for (int row = 0; row < 16; row++) {
                int bits = letter < 0 || row < 3 || row > 12 ? 0 : glyphRow(letter, row);
                for (int col = 0; col < 8; col++) {
                    int i = (y + row) * stride + x + cell * 8 + col;
                    if ((bits >> col & 1) != 0) {
                        px[i] = ink;
                    } else if (paper != 0) {
                        px[i] = paper;
                    }
                }
            }
        }
    }

    private static int glyphRow(int letter, int row) {
        int h = letter * 0x9e3779b1 + row * 0x85ebca6b;
        h ^= h >>> 15;
        h *= 0x2c1b3c6d;
        h ^= h >>> 12;
        return (h & 0x7e) | ((row & 3) == 0 ? 0x3c : 0);
    }

    private static void fill(int[] px, int stride, int x, int y, int w, int h, int colour) {
        for (int row = y; row < y + h; row++) {
            java.util.Arrays.fill(px, row * stride + x, row * stride + x + w, colour);
        }
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** A seeded generator whose sequence is fixed by this code, not by the JDK's java.util.Random. */
    private static final class Xorshift {
        private long state;

        Xorshift(long seed) {
            state = seed == 0 ? 0x9e3779b97f4a7c15L : seed;
        }

        int next(int bound) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            return (int) Long.remainderUnsigned(state, bound);
        }
    }
}
