package org.spice.desktop.sources.internal;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;

/**
 * A desktop-like scene: a gradient background, two windows with text, and a video window whose picture (a
 * moving colour field with a bouncing ball) changes 25 times a second while anyone watches. Only the video
 * window's rectangle changes between frames, as with a video playing on a real desktop.
 *
 * <p>Input shows too: characters {@link #type typed} appear in the first window's text box, and a
 * {@link #click} leaves a red marker where it happened; each change is announced with the rectangle of the
 * pixels it changed.
 *
 * <p>The desktop has {@link #WIDTH} x {@link #HEIGHT} pixels until a client's monitors config {@link #resize
 * resizes} it, as a guest follows its window: the scene is drawn again at the new size, the text window keeping
 * the top-left corner, the video window the top-right, the session window the bottom-right.
 *
 * <p>With {@code monitors=N} in configuration {@code org.spice.display} ({@link SelectedSource} passes it on) it has N
 * heads side by side (each {@link #WIDTH} x {@link #HEIGHT} while that fits {@link #MAX_SIDE}), one desktop spread
 * over them as a guest spreads its X screen over a QXL device's outputs; a client's monitors config of several
 * monitors places them as it says.
 *
 * <p>Always there as the lowest-ranked source, so the display has something to show until a configured source
 * ranks above it; registered under its own class too, for {@link DemoInputSink} of this bundle. Immediate, so that
 * one desktop lives as long as the bundle: a delayed component would be made anew whenever nobody held it, and
 * the display, the agent and the input sink could each end up with a different desktop.
 */
@Component(immediate = true, service = {DisplaySource.class, DemoSource.class},
        property = {DisplaySource.NAME + "=demo", "service.ranking:Integer=0"})
public final class DemoSource extends AbstractDisplaySource {
    public static final int WIDTH = 1024;
    public static final int HEIGHT = 768;
    /** The smallest and largest desktop a resize gives. */
    public static final int MIN_WIDTH = 320;
    public static final int MIN_HEIGHT = 200;
    public static final int MAX_SIDE = 4096;
    private static final int BALL = 40;
    private static final long TICK_MS = 40;
    /** Where the video plays at the default size; it keeps its distance to the right edge. */
    public static final Rect VIDEO = new Rect(610, 100, 352, 240);
    /** The text box of the first window, where typed characters appear. */
    public static final Rect TEXT = new Rect(74, 184, 492, 162);
    /** The click marker: a ring of this radius around the click, drawn over everything. */
    public static final int MARKER = 7;
    private static final int MARKER_RGB = 0xe02020;
    /** The background without wallpaper: the gradient's top colour. */
    static final int PLAIN_BACKGROUND = 0x1f4e79;
    private static final int TEXT_LINES = 7;
    private static final int TEXT_COLUMNS = 48;

    private int width = WIDTH;
    private int height = HEIGHT;
    /** How many heads the configuration asks for; a resize to one size splits the desktop into as many. */
    private int monitors = 1;
    private volatile List<Rect> heads = List.of(new Rect(0, 0, WIDTH, HEIGHT));
    /** The video's place at the current size (clipped to it), and the part of it on screen. */
    private volatile Rect videoArea = VIDEO;
    private Rect videoShown = VIDEO;
    private int[] background;
    /** Whether the background is the gradient (a client's agent may ask for none); touched on the ticker thread. */
    private boolean wallpaper = true;
    /** The background with the text box as typed so far; touched on the ticker thread only. */
    private int[] scene;
    private final StringBuilder text = new StringBuilder();
    private volatile String typed = "";
    private volatile int markerX = -1;
    private volatile int markerY = -1;
    private long phase;
    /** Its thread lives only while someone watches: it ends a second after the last listener leaves. */
    private final ScheduledThreadPoolExecutor ticker = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "spice-demo-source");
        t.setDaemon(true);
        tickerThread = t;
        return t;
    });
    private volatile Thread tickerThread;
    /**
     * Whether the desktop has been drawn: on the ticker thread, when something first asks for it. The component is
     * in every runtime, a client's too, which never shows it; drawing it at activation cost a one-shot client a
     * tenth of a second and 9 MiB of heap.
     */
    private volatile boolean drawn;

    {
        ticker.setRemoveOnCancelPolicy(true);
        ticker.setKeepAliveTime(1, TimeUnit.SECONDS);
        ticker.allowCoreThreadTimeOut(true);
    }
    private ScheduledFuture<?> ticking;
    private int x = 20;
    private int y = 30;
    private int dx = 5;
    private int dy = 3;
    private long serial;

    public DemoSource() {
    }

    /** On the ticker thread: draws the desktop the first time anything needs it. */
    private void draw() {
        if (drawn) {
            return;
        }
        layout(width, height);
        setFrame(compose());
        // the arrow, from the middle of the first head to wherever clients move it; moved on the ticker thread
        showPointer(Arrow.centredIn(WIDTH, HEIGHT));
        drawn = true;
    }

    /** Draws the desktop (on the ticker thread) unless it is drawn already, and waits for it. */
    private void awaitDrawn() {
        if (drawn) {
            return;
        }
        if (Thread.currentThread() == tickerThread) {
            draw();
            return;
        }
        try {
            ticker.submit(this::draw).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the demo desktop could not be drawn", e.getCause());
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the display is going away with its source
        }
    }

    @Override
    public Frame frame() {
        awaitDrawn();
        return super.frame();
    }

    @Override
    public org.spice.desktop.Pointer pointer() {
        awaitDrawn();
        return super.pointer();
    }

    /**
     * Shows {@code n} heads of the default size side by side from now on (narrower when they would not fit
     * {@link #MAX_SIDE}); safe from any thread.
     */
    public void monitors(int n) {
        if (n < 1 || n > Heads.MAX) {
            throw new IllegalArgumentException(n + " heads, outside 1.." + Heads.MAX);
        }
        try {
            ticker.execute(() -> applyMonitors(n));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the display is going away with its source
        }
    }

    /** On the ticker thread; before the desktop is drawn only its size and heads change (it is drawn so). */
    private void applyMonitors(int n) {
        if (n == monitors) {
            return;
        }
        monitors = n;
        int each = Math.min(WIDTH, MAX_SIDE / n);
        if (!drawn) {
            width = each * n;
            heads = Heads.columns(each * n, HEIGHT, n);
            return;
        }
        relayout(each * n, HEIGHT, Heads.columns(each * n, HEIGHT, n));
    }

    /** Draws the scene for {@code w} x {@code h}: background, windows, and the text typed so far. */
    private void layout(int w, int h) {
        width = w;
        height = h;
        videoArea = new Rect(w - (WIDTH - VIDEO.x()), VIDEO.y(), VIDEO.width(), VIDEO.height());
        videoShown = videoArea.intersect(new Rect(0, 0, w, h));
        background = renderBackground(w, h, videoArea, wallpaper);
        scene = background.clone();
        renderText();
    }

    private static int[] renderBackground(int w, int h, Rect video, boolean wallpaper) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setPaint(wallpaper ? new GradientPaint(0, 0, new Color(0x1f4e79), 0, h, new Color(0x7fb2e5))
                    : new Color(PLAIN_BACKGROUND));
            g.fillRect(0, 0, w, h);
            // below the video window, and at the bottom right where there is room
            window(g, w - 544, Math.max(h - 348, video.bottom() + 30), 480, 260, "Session", new String[] {
                "Resolution " + w + "x" + h,
                "The video above plays at 25 frames per second."});
            window(g, 60, 60, 520, 300, "SPICE on the JVM", new String[] {
                "This desktop is served by the demo source.",
                "Every SPICE channel is an OSGi bundle.",
                "Type or click: the inputs channel will show it here."});
            window(g, video.x() - 10, video.y() - 38, video.width() + 20, video.height() + 48, "Video",
                    new String[0]);
            g.setColor(new Color(0x202020));
            g.fillRect(0, h - 36, w, 36);
            g.setColor(new Color(0x3c78d8));
            g.fillRect(6, h - 30, 90, 24);
        } finally {
            g.dispose();
        }
        return img.getRGB(0, 0, w, h, null, 0, w);
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
        int[] px = scene.clone();
        double t = phase * 0.15;
        int r = BALL / 2;
        Rect v = videoArea;
        int x0 = videoShown.x() - v.x();
        int x1 = videoShown.right() - v.x();
        int y0 = videoShown.y() - v.y();
        int y1 = videoShown.bottom() - v.y();
        if (x1 > x0 && y1 > y0) {
            // Red follows the column, green the row, blue their sum: a sine per column, row and diagonal of the
            // frame instead of three per pixel (the same values; the demo composes this window 25 times a second,
            // on the thread that also answers keys)
            int[] red = new int[x1];
            for (int xx = x0; xx < x1; xx++) {
                red[xx] = (int) (128 + 127 * Math.sin(xx / 23.0 + t)) << 16;
            }
            int[] blue = new int[x1 + y1];
            for (int d = x0 + y0; d < x1 + y1; d++) {
                blue[d] = (int) (128 + 127 * Math.sin(d / 31.0 + t * 0.4));
            }
            for (int yy = y0; yy < y1; yy++) {
                int green = (int) (128 + 127 * Math.sin(yy / 17.0 - t * 0.7)) << 8;
                int ddy = yy - y - r;
                int row = (v.y() + yy) * width + v.x();
                for (int xx = x0; xx < x1; xx++) {
                    int ddx = xx - x - r;
                    px[row + xx] = ddx * ddx + ddy * ddy <= r * r ? 0xf0f0f0 : red[xx] | green | blue[xx + yy];
                }
            }
        }
        drawMarker(px);
        return new Frame(width, height, px, ++serial);
    }

    private void tick() {
        draw();
        phase++;
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
        if (videoShown.isEmpty()) {
            return;
        }
        show(compose(), videoShown);
    }

    @Override
    public synchronized void addListener(Listener listener) {
        super.addListener(listener);
        if (ticking == null) {
            ticking = ticker.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void removeListener(Listener listener) {
        super.removeListener(listener);
        if (!watched() && ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    /**
     * Shows a typed character in the text box: printable characters are added, '\b' deletes the last one and
     * '\n' starts a new line; others are ignored. Safe from any thread; the change is drawn on the source's
     * thread.
     */
    public void type(char c) {
        onTicker(() -> {
            if (c == '\b') {
                if (text.length() == 0) {
                    return;
                }
                text.setLength(text.length() - 1);
            } else if (c == '\n' || c >= ' ' && c != 0x7f) {
                text.append(c);
            } else {
                return;
            }
            typed = text.toString();
            renderText();
            publishText();
        });
    }

    /**
     * Draws the desktop at {@code w} x {@code h} from now on and announces the whole new frame; false (and no
     * change) outside {@link #MIN_WIDTH} x {@link #MIN_HEIGHT} .. {@link #MAX_SIDE}. Safe from any thread.
     */
    @Override
    public boolean resize(int w, int h) {
        if (w < MIN_WIDTH || h < MIN_HEIGHT || w > MAX_SIDE || h > MAX_SIDE) {
            return false;
        }
        onTicker(() -> relayout(w, h, Heads.columns(w, h, monitors)));
        return true;
    }

    /**
     * Places the heads as a client's monitors config of several monitors says: the desktop becomes as large as
     * their union from the top-left corner, and each head shows its area (a sparse layout leaves gaps no head
     * shows). False (and no change) for more than {@value Heads#MAX} heads, an empty one, one left of or above the
     * desktop, or a union outside {@link #MIN_WIDTH} x {@link #MIN_HEIGHT} .. {@link #MAX_SIDE}.
     */
    @Override
    public boolean resize(List<Rect> wanted) {
        if (wanted.isEmpty() || wanted.size() > Heads.MAX) {
            return false;
        }
        int w = 0;
        int h = 0;
        for (Rect r : wanted) {
            if (r.isEmpty() || r.x() < 0 || r.y() < 0 || r.right() > MAX_SIDE || r.bottom() > MAX_SIDE) {
                return false;
            }
            w = Math.max(w, r.right());
            h = Math.max(h, r.bottom());
        }
        if (w < MIN_WIDTH || h < MIN_HEIGHT) {
            return false;
        }
        List<Rect> placed = List.copyOf(wanted);
        int fw = w;
        int fh = h;
        onTicker(() -> relayout(fw, fh, placed));
        return true;
    }

    /** On the ticker thread: draws the desktop at {@code w} x {@code h} with these heads and announces it. */
    /**
     * A client's agent asks for no wallpaper: the background becomes {@link #PLAIN_BACKGROUND}, and the gradient comes
     * back when a later config leaves it on (the demo has no other effect to drop).
     */
    @Override
    public boolean disableEffects(java.util.Set<org.spice.desktop.DisplayEffect> disabled) {
        boolean on = !disabled.contains(org.spice.desktop.DisplayEffect.WALLPAPER);
        onTicker(() -> {
            if (on != wallpaper) {
                wallpaper = on;
                layout(width, height);
                show(compose(), new Rect(0, 0, width, height));
            }
        });
        return true;
    }

    private void relayout(int w, int h, List<Rect> newHeads) {
        boolean sized = w != width || h != height;
        boolean placed = !newHeads.equals(heads);
        if (!sized && !placed) {
            return;
        }
        // the heads first: a listener that hears of the new frame reads them
        heads = newHeads;
        if (sized) {
            layout(w, h);
        }
        show(compose(), new Rect(0, 0, w, h));
        placePointer(pointer().x(), pointer().y());
    }

    @Override
    public List<Rect> heads() {
        return heads;
    }

    /** Where the video plays now (it may reach past the right edge of a narrow desktop). */
    public Rect video() {
        awaitDrawn();
        return videoArea;
    }

    /** What was typed so far, as the text box holds it (older lines scroll away). */
    public String typedText() {
        return typed;
    }

    /**
     * Puts the pointer's hot spot at {@code (px, py)}, kept on the desktop, as a guest follows a client's pointer
     * in client mouse mode; safe from any thread.
     */
    public void movePointer(int px, int py) {
        onTicker(() -> placePointer(px, py));
    }

    /** Moves the pointer by {@code (dx, dy)}, kept on the desktop, as in server mouse mode; safe from any thread. */
    public void movePointerBy(int mx, int my) {
        onTicker(() -> placePointer((long) pointer().x() + mx, (long) pointer().y() + my));
    }

    private void placePointer(long px, long py) {
        showPointer(pointer().at((int) Math.max(0, Math.min(width - 1, px)),
                (int) Math.max(0, Math.min(height - 1, py))));
    }

    /** Moves the click marker to {@code (cx, cy)}; safe from any thread. */
    public void click(int cx, int cy) {
        onTicker(() -> {
            markerX = cx;
            markerY = cy;
            publishChange();
        });
    }

    /** Moves the click marker to where the pointer is once the moves asked before have been made. */
    public void clickAtPointer() {
        onTicker(() -> {
            markerX = pointer().x();
            markerY = pointer().y();
            publishChange();
        });
    }

    /** Where the click marker is, or null before any click. */
    public java.awt.Point marker() {
        return markerX < 0 ? null : new java.awt.Point(markerX, markerY);
    }

    /** Composes a frame after an input change and announces exactly the pixels that changed. */
    private void publishChange() {
        Frame before = frame();
        Frame after = compose();
        Rect dirty = before.width() == width && before.height() == height ? changed(before.rgb(), after.rgb())
                : new Rect(0, 0, width, height);
        if (dirty.isEmpty()) {
            setFrame(after);
        } else {
            show(after, dirty);
        }
    }

    /**
     * After a key: the scene's new text box put into the current frame, whose video and marker stay as they are,
     * and the pixels that changed there announced. A key's change is the text box's alone: composing the whole frame
     * again (the video window drawn anew) and comparing all of it took most of a key's time to the screen.
     */
    private void publishText() {
        Frame before = frame();
        Rect box = TEXT.intersect(new Rect(0, 0, width, height));
        if (before.width() != width || before.height() != height || !box.intersect(videoShown).isEmpty()) {
            publishChange(); // a desktop so narrow that the video covers the text box
            return;
        }
        int[] px = before.rgb().clone();
        for (int yy = box.y(); yy < box.bottom(); yy++) {
            System.arraycopy(scene, yy * width + box.x(), px, yy * width + box.x(), box.width());
        }
        drawMarker(px);
        Rect dirty = changed(before.rgb(), px, box);
        Frame after = new Frame(width, height, px, ++serial);
        if (dirty.isEmpty()) {
            setFrame(after);
        } else {
            show(after, dirty);
        }
    }

    /** The bounding box of the pixels that differ. */
    private Rect changed(int[] a, int[] b) {
        return changed(a, b, new Rect(0, 0, width, height));
    }

    /** The bounding box of the pixels that differ within {@code area}. */
    private Rect changed(int[] a, int[] b, Rect area) {
        int top = -1;
        int bottom = -1;
        int left = width;
        int right = -1;
        for (int yy = area.y(); yy < area.bottom(); yy++) {
            int row = yy * width;
            int first = -1;
            int last = -1;
            for (int xx = area.x(); xx < area.right(); xx++) {
                if (a[row + xx] != b[row + xx]) {
                    if (first < 0) {
                        first = xx;
                    }
                    last = xx;
                }
            }
            if (first >= 0) {
                if (top < 0) {
                    top = yy;
                }
                bottom = yy;
                left = Math.min(left, first);
                right = Math.max(right, last);
            }
        }
        return top < 0 ? new Rect(0, 0, 0, 0) : new Rect(left, top, right - left + 1, bottom - top + 1);
    }

    /** Redraws the text box into the scene: its last lines, wrapped, with a caret. */
    private void renderText() {
        List<String> lines = new java.util.ArrayList<>();
        for (String para : (typed + "_").split("\n", -1)) {
            do {
                int n = Math.min(para.length(), TEXT_COLUMNS);
                lines.add(para.substring(0, n));
                para = para.substring(n);
            } while (!para.isEmpty());
        }
        List<String> shown = lines.subList(Math.max(0, lines.size() - TEXT_LINES), lines.size());
        BufferedImage img = new BufferedImage(TEXT.width(), TEXT.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, TEXT.width(), TEXT.height());
            g.setColor(new Color(0x8a8a8a));
            g.drawRect(0, 0, TEXT.width() - 1, TEXT.height() - 1);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 16));
            g.setColor(new Color(0x102040));
            for (int i = 0; i < shown.size(); i++) {
                g.drawString(shown.get(i), 8, 20 + 21 * i);
            }
        } catch (RuntimeException | Error noFonts) {
            // Without fonts the box stays empty; typedText() still has the text.
        } finally {
            g.dispose();
        }
        int[] rgb = img.getRGB(0, 0, TEXT.width(), TEXT.height(), null, 0, TEXT.width());
        for (int yy = 0; yy < TEXT.height() && TEXT.y() + yy < height; yy++) {
            for (int xx = 0; xx < TEXT.width() && TEXT.x() + xx < width; xx++) {
                scene[(TEXT.y() + yy) * width + TEXT.x() + xx] = rgb[yy * TEXT.width() + xx] & 0xffffff;
            }
        }
    }

    /** A red ring with a dot in the middle at the last click, clipped to the screen. */
    private void drawMarker(int[] px) {
        if (markerX < 0) {
            return;
        }
        int r2out = MARKER * MARKER;
        int r2in = (MARKER - 2) * (MARKER - 2);
        for (int yy = markerY - MARKER; yy <= markerY + MARKER; yy++) {
            for (int xx = markerX - MARKER; xx <= markerX + MARKER; xx++) {
                if (xx < 0 || yy < 0 || xx >= width || yy >= height) {
                    continue;
                }
                int d2 = (xx - markerX) * (xx - markerX) + (yy - markerY) * (yy - markerY);
                if (d2 <= r2out && d2 >= r2in || d2 <= 2) {
                    px[yy * width + xx] = MARKER_RGB;
                }
            }
        }
    }

    /** Stops the animation thread for good. */
    @Deactivate
    public void close() {
        ticker.shutdownNow();
    }

    /** Runs a change on the source's thread; a closed source ignores input that arrives while it closes. */
    private void onTicker(Runnable change) {
        try {
            ticker.execute(() -> {
                draw();
                change.run();
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the display is going away with its source
        }
    }
}
