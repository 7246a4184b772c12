package org.spice.desktop.sources.internal;

import java.awt.AWTError;
import java.awt.AWTException;
import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.MouseInfo;
import java.awt.PointerInfo;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;
import org.spice.desktop.ScreenCapture;

/**
 * This host's screen, captured at a fixed frame rate through the {@link ScreenCapture} service when one is
 * registered and can read it (org.spice.desktop.x11: X11 shared memory), else with AWT's {@link Robot}; a tick
 * when no client would take a frame ({@link #frameWanted()}) captures nothing, and the first client to catch up
 * asks for it ({@link #wanted()}). Each capture is compared with the previous one in {@link #TILE}-pixel tiles, so
 * listeners hear only the rectangle that holds the tiles that changed (nothing when nothing changed), never the
 * whole screen every frame. Needs a display: when there is none (no {@code DISPLAY}, a headless JVM, an X server
 * that does not answer) it refuses to start with {@link #noDisplay()} saying why.
 *
 * <p>Spec: {@code screen} or {@code screen:fps=N} (1..60, default {@link #DEFAULT_FPS}). The pointer's position is
 * read with each capture when the platform tells it, and announced when it moved ({@link #pointer()}); its image is
 * not available through AWT, so clients see the sources' arrow there.
 */
@Component(factory = ScreenSource.FACTORY, service = DisplaySource.class,
        property = {DisplaySource.NAME + "=screen", "service.ranking:Integer=" + SelectedSource.RANKING})
public final class ScreenSource extends AbstractDisplaySource implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.spice.desktop.sources");
    static final String FACTORY = "org.spice.desktop.source.screen";
    /** The factory instance's property holding the frame rate, an Integer. */
    static final String FPS = "fps";
    /** The factory instance's property holding the number of heads, an Integer (1 when absent). */
    static final String MONITORS = Heads.KEY;
    public static final int DEFAULT_FPS = 10;
    public static final int MAX_FPS = 60;
    /** Side of the squares compared between captures. */
    public static final int TILE = 32;

    private final Robot robot;
    private final Rectangle bounds;
    private final ScreenReader reader;
    private final CaptureDemand demand = new CaptureDemand();
    /** The faster way to read the screen, while a bundle registers one; read by each capture. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ScreenCapture screenCapture;
    private final ScheduledExecutorService timer;
    private final int fps;
    /** The screen split into side-by-side heads, as a host's monitors usually sit. */
    private final List<Rect> heads;

    /** Parses {@code screen} or {@code screen:fps=N}; anything else is refused. */
    public static int fps(String spec) {
        if (spec.equals("screen")) {
            return DEFAULT_FPS;
        }
        String prefix = "screen:fps=";
        if (spec.startsWith(prefix)) {
            try {
                int fps = Integer.parseInt(spec.substring(prefix.length()));
                if (fps >= 1 && fps <= MAX_FPS) {
                    return fps;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw new IllegalArgumentException("display source '" + spec + "': use screen or screen:fps=N (1.."
                + MAX_FPS + ")");
    }

    /**
     * Why this JVM cannot capture a screen, or null when it can: whether a display is set and answers. Asks the
     * display server, so the answer holds for the moment it is asked.
     */
    public static String noDisplay() {
        if (GraphicsEnvironment.isHeadless()) {
            String display = System.getenv("DISPLAY");
            return Boolean.getBoolean("java.awt.headless")
                    ? "this JVM runs with java.awt.headless=true, so it has no screen to capture"
                    : "no display to capture" + (display == null || display.isEmpty()
                            ? " (DISPLAY is not set)" : " (DISPLAY=" + display + ")");
        }
        try {
            GraphicsDevice[] screens = GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices();
            if (screens.length == 0) {
                return "the display " + System.getenv("DISPLAY") + " has no screen";
            }
            return null;
        } catch (AWTError | HeadlessException | UnsatisfiedLinkError e) {
            return "cannot open the display " + System.getenv("DISPLAY") + ": " + e.getMessage();
        }
    }

    /** The factory component: {@link SelectedSource} makes one for {@code source=screen[:fps=N]}. */
    @Activate
    public ScreenSource(Map<String, Object> properties) throws IOException {
        this((Integer) properties.get(FPS), Heads.configured(properties));
    }

    /** Starts capturing the default screen at {@code fps} frames a second, shown as {@code monitors} heads. */
    private ScreenSource(int fps, int monitors) throws IOException {
        if (fps < 1 || fps > MAX_FPS) {
            throw new IllegalArgumentException("frame rate " + fps + " outside 1.." + MAX_FPS);
        }
        String why = noDisplay();
        if (why != null) {
            throw new IOException("display source 'screen': " + why);
        }
        GraphicsDevice screen;
        try {
            screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getDefaultScreenDevice();
            robot = new Robot(screen);
        } catch (AWTException | AWTError | HeadlessException | SecurityException e) {
            throw new IOException("display source 'screen': cannot capture the screen: " + e.getMessage(), e);
        }
        Rectangle b = screen.getDefaultConfiguration().getBounds();
        if (!Frame.fits(b.width, b.height)) {
            throw new IOException("display source 'screen': a screen of " + b.width + "x" + b.height
                    + " pixels, more than a display shows");
        }
        bounds = b;
        reader = new ScreenReader(new Rect(b.x, b.y, b.width, b.height), this::robotCapture);
        this.fps = fps;
        this.heads = Heads.columns(b.width, b.height, monitors);
        setFrame(new Frame(b.width, b.height, capture(), 1));
        showPointer(readPointer());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spice-screen-source");
            t.setDaemon(true);
            return t;
        });
        long period = TimeUnit.SECONDS.toNanos(1) / fps;
        timer.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
        LOG.log(Level.INFO, "screen source: " + b.width + "x" + b.height + " at " + fps + " frames a second"
                + (monitors > 1 ? " as " + monitors + " heads " + heads : ""));
    }

    public int fps() {
        return fps;
    }

    @Override
    public List<Rect> heads() {
        return heads;
    }

    /** The screen now, as 0x00RRGGBB ints. */
    private int[] capture() {
        int[] rgb = reader.read(screenCapture);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xffffff;
        }
        return rgb;
    }

    private int[] robotCapture() {
        BufferedImage img = robot.createScreenCapture(bounds);
        int w = img.getWidth();
        int h = img.getHeight();
        int[] rgb;
        if (img.getType() == BufferedImage.TYPE_INT_RGB && img.getRaster().getDataBuffer() instanceof DataBufferInt d
                && d.getNumBanks() == 1 && d.getData().length == w * h) {
            rgb = d.getData();
        } else {
            rgb = img.getRGB(0, 0, w, h, null, 0, w);
        }
        return rgb;
    }

    /** The pointer where it is now, in screen pixels, or null when the platform does not say. */
    private Pointer readPointer() {
        try {
            PointerInfo p = MouseInfo.getPointerInfo();
            return p == null ? null : new Pointer(p.getLocation().x - bounds.x, p.getLocation().y - bounds.y,
                    true, Arrow.SHAPE);
        } catch (HeadlessException | SecurityException e) {
            return null;
        }
    }

    private void tick() {
        try {
            showPointer(readPointer());
            if (!demand.tick(frameWanted())) {
                return; // every client is still taking the last frames: the first to catch up asks (wanted)
            }
            int[] now = capture();
            Frame old = frame();
            Rect dirty = changed(old.rgb(), now, old.width(), old.height(), TILE);
            if (dirty != null) {
                show(new Frame(old.width(), old.height(), now, old.serial() + 1), dirty);
            }
        } catch (RuntimeException e) {
            // a capture that failed once (the display went away) is tried again at the next tick
            LOG.log(Level.WARNING, "screen source: capture failed: " + e);
        }
    }

    /** A client caught up: the capture skipped meanwhile is made now, on the source's thread. */
    @Override
    public void wanted() {
        if (demand.asked()) {
            try {
                timer.execute(this::tick);
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    /**
     * The smallest rectangle holding every {@code tile}-pixel tile in which {@code a} and {@code b} differ, or
     * null when they are equal.
     */
    static Rect changed(int[] a, int[] b, int width, int height, int tile) {
        int minTx = Integer.MAX_VALUE;
        int minTy = Integer.MAX_VALUE;
        int maxTx = -1;
        int maxTy = -1;
        int tilesX = (width + tile - 1) / tile;
        for (int y0 = 0, ty = 0; y0 < height; y0 += tile, ty++) {
            int y1 = Math.min(height, y0 + tile);
            for (int tx = 0; tx < tilesX; tx++) {
                if (ty >= minTy && ty <= maxTy && tx >= minTx && tx <= maxTx) {
                    continue; // already inside the rectangle
                }
                int x0 = tx * tile;
                int x1 = Math.min(width, x0 + tile);
                for (int y = y0; y < y1; y++) {
                    int row = y * width;
                    if (!Arrays.equals(a, row + x0, row + x1, b, row + x0, row + x1)) {
                        minTx = Math.min(minTx, tx);
                        maxTx = Math.max(maxTx, tx);
                        minTy = Math.min(minTy, ty);
                        maxTy = Math.max(maxTy, ty);
                        break;
                    }
                }
            }
        }
        if (maxTx < 0) {
            return null;
        }
        int x = minTx * tile;
        int y = minTy * tile;
        return new Rect(x, y, Math.min(width, (maxTx + 1) * tile) - x, Math.min(height, (maxTy + 1) * tile) - y);
    }

    @Override
    @Deactivate
    public void close() {
        try {
            timer.execute(reader::close); // on the capture thread, after a capture under way
        } catch (RejectedExecutionException e) {
            return; // closed before
        }
        timer.shutdown();
    }
}
