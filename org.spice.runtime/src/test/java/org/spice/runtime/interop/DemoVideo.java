package org.spice.runtime.interop;

/**
 * The demo source's video window frame by frame, as org.spice.desktop.sources' DemoSource draws it: a 352 x 240
 * field of three sine waves moving with the frame number, and a 40-pixel ball that starts at (20, 30) and moves
 * (5, 3) a frame, bouncing off the edges. The demo counts a frame every 40 ms while a client watches, from 0 when the
 * server starts, so a picture of its video window is one of these frames (or a lossy copy of one).
 */
final class DemoVideo {
    static final int WIDTH = 352;
    static final int HEIGHT = 240;
    /** The video window's place on the demo desktop at its default size (1024 x 768). */
    static final int X = 610;
    static final int Y = 100;
    private static final int BALL = 40;

    private DemoVideo() {
    }

    /** What {@link #bestMatch} found: the frame number and the PSNR of the picture against it. */
    record Match(long frame, double psnr) {
    }

    /**
     * The demo frame among 0..{@code lastFrame} that {@code picture} (WIDTH x HEIGHT pixels as {@link Pictures#read}
     * gives them) is closest to, by PSNR.
     */
    static Match bestMatch(int[] picture, long lastFrame) {
        if (picture[0] != WIDTH || picture[1] != HEIGHT) {
            throw new IllegalArgumentException("a picture of " + Pictures.size(picture) + ", not the video window");
        }
        int x = 20;
        int y = 30;
        int dx = 5;
        int dy = 3;
        int r = BALL / 2;
        int[] red = new int[WIDTH];
        int[] green = new int[HEIGHT];
        int[] blue = new int[WIDTH + HEIGHT];
        Match best = new Match(-1, Double.NEGATIVE_INFINITY);
        for (long phase = 0; phase <= lastFrame; phase++) {
            if (phase > 0) {
                x += dx;
                y += dy;
                if (x < 0 || x + BALL > WIDTH) {
                    dx = -dx;
                    x += 2 * dx;
                }
                if (y < 0 || y + BALL > HEIGHT) {
                    dy = -dy;
                    y += 2 * dy;
                }
            }
            double t = phase * 0.15;
            for (int i = 0; i < WIDTH; i++) {
                red[i] = (int) (128 + 127 * Math.sin(i / 23.0 + t));
            }
            for (int i = 0; i < HEIGHT; i++) {
                green[i] = (int) (128 + 127 * Math.sin(i / 17.0 - t * 0.7));
            }
            for (int i = 0; i < WIDTH + HEIGHT; i++) {
                blue[i] = (int) (128 + 127 * Math.sin(i / 31.0 + t * 0.4));
            }
            double sum = 0;
            for (int yy = 0; yy < HEIGHT; yy++) {
                for (int xx = 0; xx < WIDTH; xx++) {
                    int ddx = xx - x - r;
                    int ddy = yy - y - r;
                    boolean ball = ddx * ddx + ddy * ddy <= r * r;
                    int p = picture[2 + yy * WIDTH + xx];
                    int er = (p >> 16 & 0xff) - (ball ? 0xf0 : red[xx]);
                    int eg = (p >> 8 & 0xff) - (ball ? 0xf0 : green[yy]);
                    int eb = (p & 0xff) - (ball ? 0xf0 : blue[xx + yy]);
                    sum += er * er + eg * eg + eb * eb;
                }
            }
            double mse = sum / (3.0 * WIDTH * HEIGHT);
            double psnr = mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
            if (psnr > best.psnr()) {
                best = new Match(phase, psnr);
            }
        }
        return best;
    }

    /**
     * Where the video window's picture starts on {@code screen}: the demo draws the window's 372-pixel title bar
     * (0x2b579a inside a one-pixel 0x404040 border) 10 pixels left of and 38 above the picture. Null when no such
     * title bar shows.
     */
    static java.awt.Point locate(int[] screen) {
        int w = screen[0];
        for (int y = 0; y < screen[1]; y++) {
            int run = 0;
            for (int x = 0; x <= w; x++) {
                if (x < w && screen[2 + y * w + x] == 0x2b579a) {
                    run++;
                    continue;
                }
                if (run == WIDTH + 18 && x - run > 0 && screen[2 + y * w + x - run - 1] == 0x404040
                        && screen[2 + y * w + x] == 0x404040) {
                    return new java.awt.Point(x - run + 9, y + 37);
                }
                run = 0;
            }
        }
        return null;
    }
}
