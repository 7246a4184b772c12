package org.spice.desktop.sources.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;
import org.spice.desktop.Rect;
import org.spice.desktop.ScreenCapture;

/**
 * Reads the screen source's area through a {@link ScreenCapture} service while one is registered and works, and
 * through {@code fallback} (AWT's Robot) otherwise. A service that cannot open the screen, or fails to read it, is
 * not asked again until another one comes (each capture would otherwise log the same failure); the log says which
 * way the screen is read whenever that changes. Used from the source's capture thread only.
 */
final class ScreenReader implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.spice.desktop.sources");
    static final String FALLBACK = "AWT's Robot";

    private final Rect area;
    private final Supplier<int[]> fallback;
    /** The service {@link #grab} belongs to, or null. */
    private ScreenCapture openedWith;
    private ScreenCapture.Grab grab;
    /** The last service that failed: not asked again while it is the one registered. */
    private ScreenCapture refused;
    /** What the last capture was read through, for the log line when it changes. */
    private String readingWith;

    ScreenReader(Rect area, Supplier<int[]> fallback) {
        this.area = area;
        this.fallback = fallback;
    }

    /** The area's pixels now, as 0x__RRGGBB ints (the top byte undefined), read through {@code service} if it can. */
    int[] read(ScreenCapture service) {
        if (service != openedWith) {
            closeGrab();
            if (service != null && service != refused) {
                open(service);
            }
        }
        if (grab != null) {
            int[] px = new int[area.width() * area.height()];
            try {
                grab.read(px);
                using(openedWith.describe());
                return px;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "screen source: reading the screen through " + openedWith.describe()
                        + " failed: " + e.getMessage());
                refused = openedWith;
                closeGrab();
            }
        }
        using(FALLBACK);
        return fallback.get();
    }

    /** What the last capture was read through: the service's {@link ScreenCapture#describe()} or {@link #FALLBACK}. */
    String readingWith() {
        return readingWith;
    }

    private void open(ScreenCapture service) {
        try {
            grab = service.open(area);
            openedWith = service;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.INFO, "screen source: cannot read the screen through " + service.describe() + ": "
                    + e.getMessage());
            refused = service;
        }
    }

    private void using(String way) {
        if (!way.equals(readingWith)) {
            LOG.log(Level.INFO, "screen source: capturing " + area.width() + "x" + area.height() + " through " + way);
            readingWith = way;
        }
    }

    private void closeGrab() {
        if (grab != null) {
            try {
                grab.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "screen source: closing the capture through " + openedWith.describe()
                        + " failed: " + e);
            }
        }
        grab = null;
        openedWith = null;
    }

    @Override
    public void close() {
        closeGrab();
    }
}
