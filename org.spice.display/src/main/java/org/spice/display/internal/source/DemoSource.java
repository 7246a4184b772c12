package org.spice.display.internal.source;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.spice.display.api.DisplaySource;
import org.spice.display.api.Frame;
import org.spice.display.api.Rect;

/**
 * A desktop-like scene: a gradient background, two windows with text, and a video window whose picture (a
 * moving colour field with a bouncing ball) changes 25 times a second while anyone watches. Only the video
 * window's rectangle changes between frames, as with a video playing on a real desktop.
 */
public final class DemoSource implements DisplaySource {
    public static final int WIDTH = 1024;
    public static final int HEIGHT = 768;
    private static final int BALL = 40;
    private static final long TICK_MS = 40;
    /** Where the video plays. */
    public static final Rect VIDEO = new Rect(610, 100, 352, 240);

    private final int[] background;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spice-demo-source");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> ticking;
    private volatile Frame frame;
    private int x = 20;
    private int y = 30;
    private int dx = 5;
    private int dy = 3;
    private long serial;

    public DemoSource() {
        background = renderBackground();
        frame = compose();
    }

    private static int[] renderBackground() {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, new Color(0x1f4e79), 0, HEIGHT, new Color(0x7fb2e5)));
            g.fillRect(0, 0, WIDTH, HEIGHT);
            window(g, 60, 60, 520, 300, "SPICE on the JVM", new String[] {
                "This desktop is served by the demo source.",
                "Every SPICE channel is an OSGi bundle.",
                "Type or click: the inputs channel will show it here."});
            window(g, 480, 420, 480, 260, "Session", new String[] {
                "Resolution " + WIDTH + "x" + HEIGHT,
                "The video above plays at 25 frames per second."});
            window(g, VIDEO.x() - 10, VIDEO.y() - 38, VIDEO.width() + 20, VIDEO.height() + 48, "Video",
                    new String[0]);
            g.setColor(new Color(0x202020));
            g.fillRect(0, HEIGHT - 36, WIDTH, 36);
            g.setColor(new Color(0x3c78d8));
            g.fillRect(6, HEIGHT - 30, 90, 24);
        } finally {
            g.dispose();
        }
        return img.getRGB(0, 0, WIDTH, HEIGHT, null, 0, WIDTH);
    }

    private static void window(Graphics2D g, int x, int y, int w, int h, String title, String[] lines) {
        g.setColor(new Color(0xf0f0f0));
        g.fillRect(x, y, w, h);
        g.setColor(new Color(0x2b579a));
        g.fillRect(x, y, w, 28);
        g.setColor(new Color(0x404040));
        g.drawRect(x, y, w - 1, h - 1);
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.setColor(Color.WHITE);
            g.drawString(title, x + 10, y + 19);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.setColor(Color.BLACK);
            for (int i = 0; i < lines.length; i++) {
                g.drawString(lines[i], x + 14, y + 56 + 22 * i);
            }
        } catch (RuntimeException | Error noFonts) {
            // A machine without fonts still gets the windows, without their text.
        }
    }

    private Frame compose() {
        int[] px = background.clone();
        double t = serial * 0.15;
        int r = BALL / 2;
        for (int yy = 0; yy < VIDEO.height(); yy++) {
            for (int xx = 0; xx < VIDEO.width(); xx++) {
                int red = (int) (128 + 127 * Math.sin(xx / 23.0 + t));
                int green = (int) (128 + 127 * Math.sin(yy / 17.0 - t * 0.7));
                int blue = (int) (128 + 127 * Math.sin((xx + yy) / 31.0 + t * 0.4));
                int ddx = xx - x - r;
                int ddy = yy - y - r;
                int rgb = ddx * ddx + ddy * ddy <= r * r ? 0xf0f0f0 : red << 16 | green << 8 | blue;
                px[(VIDEO.y() + yy) * WIDTH + VIDEO.x() + xx] = rgb;
            }
        }
        return new Frame(WIDTH, HEIGHT, px, ++serial);
    }

    private void tick() {
        x += dx;
        y += dy;
        if (x < 0 || x + BALL > VIDEO.width()) {
            dx = -dx;
            x += 2 * dx;
        }
        if (y < 0 || y + BALL > VIDEO.height()) {
            dy = -dy;
            y += 2 * dy;
        }
        Frame f = compose();
        frame = f;
        for (Listener l : listeners) {
            l.changed(f, VIDEO);
        }
    }

    @Override
    public Frame frame() {
        return frame;
    }

    @Override
    public synchronized void addListener(Listener listener) {
        listeners.add(listener);
        if (ticking == null) {
            ticking = ticker.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void removeListener(Listener listener) {
        listeners.remove(listener);
        if (listeners.isEmpty() && ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    /** Stops the animation thread for good. */
    public void close() {
        ticker.shutdownNow();
    }
}
