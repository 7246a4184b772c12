package org.spice.runtime.internal;

/**
 * The frames of the video test floppy (org.spice.runtime's test resource interop/vga-animation.S) as QEMU shows
 * them, drawn here so that our server can play the same clip and a client can tell which frame a decoded picture
 * is and how far from it: VGA mode 13h (320x200) doubled to {@value #WIDTH}x{@value #HEIGHT}, pixel (x, y) of
 * frame t being palette entry ((x + y + t) / 2) mod 256 of a grey ramp whose entry i is the 6-bit DAC level i / 4,
 * widened to 8 bits as QEMU's VGA does (the level shifted up, its low bit repeated twice below).
 */
final class VgaRamp {
    static final int WIDTH = 640;
    static final int HEIGHT = 400;
    /** The pattern repeats after this many frames. */
    static final int PERIOD = 512;
    /** Frame times (BIOS waits of 33 ms) of the floppy's phases, as its defaults. */
    static final int STILL = 240;
    static final int HOLD = 300;
    static final long FRAME_NANOS = 33_000_000L;

    private VgaRamp() {
    }

    /** The 8-bit grey of palette entry {@code i}. */
    static int grey(int i) {
        int v = (i >> 2) & 0x3f;
        int b = v & 1;
        return v << 2 | b << 1 | b;
    }

    /** The picture's pixel at (x, y) in frame {@code t}, 0xRRGGBB. */
    static int pixel(int x, int y, int t) {
        int g = grey(((x / 2 + y / 2 + t) >> 1) & 0xff);
        return g * 0x010101;
    }

    /**
     * The noisy variant's pixel (our server only, for the adaptive run: grain no codec can squeeze keeps a stream at
     * its target bit rate, where the plain gradient needs far less): the gradient's grey moved by up to
     * {@value #GRAIN} levels, different in every frame.
     */
    static int noisyPixel(int x, int y, int t) {
        int h = x * 0x9E3779B1 ^ y * 0x85EBCA77 ^ t * 0xC2B2AE3D;
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        h ^= h >>> 12;
        int g = Math.max(0, Math.min(255, (pixel(x, y, t) & 0xff) + (h & (2 * GRAIN - 1)) - GRAIN));
        return g * 0x010101;
    }

    static final int GRAIN = 16;

    /** Draws frame {@code t} into {@code rgb} ({@value #WIDTH} x {@value #HEIGHT}). */
    static void draw(int t, boolean noisy, int[] rgb) {
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                rgb[y * WIDTH + x] = noisy ? noisyPixel(x, y, t) : pixel(x, y, t);
            }
        }
    }

    /**
     * Which frame {@code rgb} (a {@value #WIDTH}-wide picture) shows in its area (x, y, w, h): the t in 0..{@value
     * #PERIOD} whose pixels are closest, found on a sparse grid and settled on every pixel among its neighbours.
     */
    static int frameOf(int[] rgb, int x0, int y0, int w, int h, boolean noisy) {
        int near = nearest(rgb, x0, y0, w, h);
        int best = near;
        long bestError = Long.MAX_VALUE;
        for (int d = -3; d <= 3; d++) {
            int t = Math.floorMod(near + d, PERIOD);
            long e = squaredError(rgb, x0, y0, w, h, t, noisy);
            if (e < bestError) {
                bestError = e;
                best = t;
            }
        }
        return best;
    }

    private static int nearest(int[] rgb, int x0, int y0, int w, int h) {
        int stepX = Math.max(1, w / 24);
        int stepY = Math.max(1, h / 8);
        int best = 0;
        long bestError = Long.MAX_VALUE;
        for (int t = 0; t < PERIOD; t++) {
            long e = 0;
            for (int y = y0; y < y0 + h && e < bestError; y += stepY) {
                for (int x = x0; x < x0 + w; x += stepX) {
                    int d = (rgb[y * WIDTH + x] & 0xff) - (pixel(x, y, t) & 0xff);
                    e += d * d;
                }
            }
            if (e < bestError) {
                bestError = e;
                best = t;
            }
        }
        return best;
    }

    /** Sum of squared differences over the three components of the area against frame {@code t}. */
    static long squaredError(int[] rgb, int x0, int y0, int w, int h, int t, boolean noisy) {
        long e = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int p = rgb[y * WIDTH + x];
                int g = (noisy ? noisyPixel(x, y, t) : pixel(x, y, t)) & 0xff;
                int r = (p >> 16 & 0xff) - g;
                int gg = (p >> 8 & 0xff) - g;
                int b = (p & 0xff) - g;
                e += r * r + gg * gg + b * b;
            }
        }
        return e;
    }

    /** PSNR in dB of a squared error over {@code samples} component samples (infinite for none). */
    static double psnr(long squaredError, long samples) {
        if (squaredError == 0 || samples == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10 * Math.log10(255.0 * 255.0 * samples / squaredError);
    }
}
