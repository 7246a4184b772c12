package org.spice.runtime.interop;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads the pictures peers write (PNG, binary PPM) and counts the pixels in which two differ. */
final class Pictures {
    private Pictures() {
    }

    /** 0x00RRGGBB pixels of a PNG or P6 PPM file, with width and height in the first two slots. */
    static int[] read(Path file) {
        try {
            if (file.toString().endsWith(".ppm")) {
                return ppm(Files.readAllBytes(file));
            }
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new IllegalStateException(file + " is not a picture");
            }
            return pixels(img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #read}: width, height, then the 0x00RRGGBB pixels of {@code img}. */
    static int[] pixels(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] out = new int[2 + w * h];
        out[0] = w;
        out[1] = h;
        img.getRGB(0, 0, w, h, out, 2, w);
        for (int i = 2; i < out.length; i++) {
            out[i] &= 0xffffff;
        }
        return out;
    }

    private static int[] ppm(byte[] b) {
        int[] pos = {0};
        String magic = token(b, pos);
        if (!magic.equals("P6")) {
            throw new IllegalStateException("not a binary PPM: " + magic);
        }
        int w = Integer.parseInt(token(b, pos));
        int h = Integer.parseInt(token(b, pos));
        int max = Integer.parseInt(token(b, pos));
        if (max != 255) {
            throw new IllegalStateException("PPM with maxval " + max);
        }
        int p = pos[0] + 1; // one whitespace byte after maxval
        int[] out = new int[2 + w * h];
        out[0] = w;
        out[1] = h;
        for (int i = 0; i < w * h; i++, p += 3) {
            out[2 + i] = (b[p] & 0xff) << 16 | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff);
        }
        return out;
    }

    private static String token(byte[] b, int[] pos) {
        while (Character.isWhitespace(b[pos[0]])) {
            pos[0]++;
        }
        int start = pos[0];
        while (!Character.isWhitespace(b[pos[0]])) {
            pos[0]++;
        }
        return new String(b, start, pos[0] - start, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Pixels that differ, or -1 when the sizes differ. */
    static long differing(int[] a, int[] b) {
        if (a[0] != b[0] || a[1] != b[1]) {
            return -1;
        }
        long n = 0;
        for (int i = 2; i < a.length; i++) {
            if (a[i] != b[i]) {
                n++;
            }
        }
        return n;
    }

    static long nonBlack(int[] a) {
        long n = 0;
        for (int i = 2; i < a.length; i++) {
            if (a[i] != 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Peak signal-to-noise ratio of {@code b} against {@code a} in dB over the red, green and blue samples;
     * infinite for equal pictures. The sizes must be equal.
     */
    static double psnr(int[] a, int[] b) {
        if (a[0] != b[0] || a[1] != b[1]) {
            throw new IllegalArgumentException("pictures of " + size(a) + " and " + size(b));
        }
        double sum = 0;
        for (int i = 2; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = (a[i] >> shift & 0xff) - (b[i] >> shift & 0xff);
                sum += d * d;
            }
        }
        double mse = sum / (3.0 * (a.length - 2));
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** The {@code w} x {@code h} part of {@code a} whose top-left corner is at x, y. */
    static int[] crop(int[] a, int x, int y, int w, int h) {
        int[] out = new int[2 + w * h];
        out[0] = w;
        out[1] = h;
        for (int row = 0; row < h; row++) {
            System.arraycopy(a, 2 + (y + row) * a[0] + x, out, 2 + row * w, w);
        }
        return out;
    }

    static String size(int[] a) {
        return a[0] + "x" + a[1];
    }
}
