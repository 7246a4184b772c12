package org.spice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.spice.display.internal.codec.GlzEncoder;

/**
 * The GLZ encoder alone on full-screen changes: four different 1920x1080 desktops (or photos) in turn, each cut
 * into the 68-row bands our server sends a full-width change of that width in (DisplayServerChannel's 512 KiB
 * bands), through one encoder with a window of 2^22 pixels as a client's. Prints every 2 s the frames encoded per
 * second of this thread's CPU time (the rate one core sustains, whatever else the machine runs) and the bytes a
 * frame.
 *
 * <p>Usage: {@code GlzFullScreenChanges SECONDS [desktop|photo]}.
 */
public final class GlzFullScreenChanges {
    private static final int WIDTH = 1920;
    private static final int HEIGHT = 1080;
    private static final int BAND_ROWS = 512 * 1024 / (4 * WIDTH);

    private GlzFullScreenChanges() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: GlzFullScreenChanges SECONDS [desktop|photo]");
            System.exit(2);
        }
        long seconds = Long.parseLong(args[0]);
        boolean photo = args.length > 1 && args[1].equals("photo");
        int[][] pictures = new int[4][];
        for (int i = 0; i < pictures.length; i++) {
            pictures[i] = photo ? SyntheticScreens.photo(WIDTH, HEIGHT, 11 + i)
                    : SyntheticScreens.desktop(WIDTH, HEIGHT, 11 + i);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        GlzEncoder glz = new GlzEncoder(1 << 22);
        long bytes = 0;
        long frames = 0;
        long framesBefore = 0;
        long start = System.nanoTime();
        long printed = start;
        long cpuBefore = threads.getCurrentThreadCpuTime();
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
            int[] px = pictures[(int) (frames % pictures.length)];
            for (int y = 0; y < HEIGHT; y += BAND_ROWS) {
                bytes += glz.encodeRgb32(WIDTH, Math.min(BAND_ROWS, HEIGHT - y), px, y * WIDTH, WIDTH, true).length;
            }
            frames++;
            long now = System.nanoTime();
            if (now - printed >= 2_000_000_000L) {
                long cpu = threads.getCurrentThreadCpuTime();
                System.out.printf("%.1f frames per CPU-second, %d bytes a frame%n",
                        (frames - framesBefore) * 1e9 / (cpu - cpuBefore), bytes / frames);
                printed = now;
                framesBefore = frames;
                cpuBefore = cpu;
            }
        }
    }
}
