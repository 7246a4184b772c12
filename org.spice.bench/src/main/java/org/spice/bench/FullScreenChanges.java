package org.spice.bench;

import java.awt.Canvas;
import java.awt.Color;
import java.awt.Frame;
import java.awt.Graphics;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/**
 * Changes the whole of this display's screen again and again, for measuring a screen source: an undecorated
 * window covering the screen shows one after the other a few different pictures of the screen's size (desktops or
 * photos made from different seeds: their changed tiles span the screen from one picture to the next), each with
 * a column of its own number's colour at the left edge so that no row repeats, at up to the given rate. Runs until
 * killed or for the given seconds.
 *
 * <p>Usage: {@code FullScreenChanges desktop|photo FPS [SECONDS]}; needs {@code DISPLAY}. Used by
 * {@code scripts/bench/screen-1080p.sh}.
 */
public final class FullScreenChanges {
    /** Pictures shown in turn: enough that the previous one is never the next one. */
    private static final int PICTURES = 4;

    private FullScreenChanges() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2 || !(args[0].equals("desktop") || args[0].equals("photo"))) {
            System.err.println("usage: FullScreenChanges desktop|photo FPS [SECONDS]");
            System.exit(2);
        }
        boolean photo = args[0].equals("photo");
        int fps = Integer.parseInt(args[1]);
        long seconds = args.length > 2 ? Long.parseLong(args[2]) : Long.MAX_VALUE / 2_000_000_000L;
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getDefaultScreenDevice()
                .getDefaultConfiguration().getBounds();
        BufferedImage[] pictures = new BufferedImage[PICTURES];
        for (int i = 0; i < PICTURES; i++) {
            int[] px = photo ? SyntheticScreens.photo(screen.width, screen.height, 11 + i)
                    : SyntheticScreens.desktop(screen.width, screen.height, 11 + i);
            pictures[i] = new BufferedImage(screen.width, screen.height, BufferedImage.TYPE_INT_RGB);
            pictures[i].setRGB(0, 0, screen.width, screen.height, px, 0, screen.width);
        }
        Frame window = new Frame("full-screen changes");
        window.setUndecorated(true);
        window.setBounds(screen);
        Canvas canvas = new Canvas();
        canvas.setIgnoreRepaint(true);
        window.add(canvas);
        window.setVisible(true);
        long period = 1_000_000_000L / fps;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long shown = 0;
        for (long next = start; next < end; next += period) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            Graphics g = canvas.getGraphics();
            g.drawImage(pictures[(int) (shown % PICTURES)], 0, 0, null);
            // The picture's number in a column at the left edge: every row of every picture shown differs from
            // the rows shown before it, so a server cannot send a part of it from the client's pixmap cache (with
            // the pictures alone a quarter of the photo screen's bands came from the cache: it measured that).
            g.setColor(new Color((int) (shown * 0x9E3779B1L) & 0xffffff));
            g.fillRect(0, 0, 1, screen.height);
            g.dispose();
            canvas.getToolkit().sync();
            shown++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("shown %d full-screen pictures in %.1f s (%.1f a second)%n", shown, elapsed,
                shown / elapsed);
        window.dispose();
        System.exit(0);
    }
}
