package org.spice.display.internal.source;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.display.api.DisplaySource;
import org.spice.display.api.Frame;
import org.spice.display.api.Pointer;
import org.spice.display.api.Rect;

/**
 * Shows a {@link DisplaySource} that another bundle registers with {@value DisplaySource#NAME}{@code =NAME}
 * (configured as {@code source=service:NAME}), such as a gateway's picture of a remote VM. The display keeps its
 * own listeners here, so the service may come, go and be replaced while clients are connected: while none is
 * registered clients see a black {@value #WIDTH}x{@value #HEIGHT} picture, and each new service's frame reaches
 * them whole.
 */
public final class ServiceSource implements DisplaySource, DisplaySource.Listener {
    private static final System.Logger LOG = System.getLogger("org.spice.display");
    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    private final String name;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ServiceTracker<DisplaySource, DisplaySource> tracker;
    private volatile DisplaySource current;
    private volatile Frame blank = new Frame(WIDTH, HEIGHT, new int[WIDTH * HEIGHT], 0);

    /** Tracks the source named {@code name} in the registry of {@code context}. */
    public ServiceSource(String name, BundleContext context) {
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("display source service name '" + name
                    + "': use 1 to 64 letters, digits, '.', '_' or '-'");
        }
        this.name = name;
        Filter filter;
        try {
            filter = context.createFilter("(&(objectClass=" + DisplaySource.class.getName() + ")("
                    + DisplaySource.NAME + "=" + name + "))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        tracker = new ServiceTracker<>(context, filter, null) {
            @Override
            public DisplaySource addingService(ServiceReference<DisplaySource> ref) {
                DisplaySource s = context.getService(ref);
                if (s != null) {
                    use(s);
                }
                return s;
            }

            @Override
            public void removedService(ServiceReference<DisplaySource> ref, DisplaySource s) {
                drop(s);
                context.ungetService(ref);
                DisplaySource next = getService();
                if (next != null && current == null) {
                    use(next);
                }
            }
        };
        tracker.open();
        if (current == null) {
            LOG.log(Level.INFO, "display: waiting for the display source service '" + name + "'");
        }
    }

    private synchronized void use(DisplaySource s) {
        if (current != null) {
            return; // the first registered one stays until it goes
        }
        current = s;
        s.addListener(this);
        LOG.log(Level.INFO, "display: showing the display source service '" + name + "'");
        Frame f = s.frame();
        for (Listener l : listeners) {
            l.changed(f, new Rect(0, 0, f.width(), f.height()));
            l.pointerChanged(s.pointer());
        }
    }

    private synchronized void drop(DisplaySource s) {
        if (current != s) {
            return;
        }
        s.removeListener(this);
        current = null;
        LOG.log(Level.INFO, "display: the display source service '" + name + "' went away; showing black");
        Frame last = blank;
        blank = new Frame(WIDTH, HEIGHT, new int[WIDTH * HEIGHT], last.serial() + 1);
        for (Listener l : listeners) {
            l.changed(blank, new Rect(0, 0, WIDTH, HEIGHT));
            l.pointerChanged(null);
        }
    }

    @Override
    public Frame frame() {
        DisplaySource s = current;
        return s != null ? s.frame() : blank;
    }

    @Override
    public Pointer pointer() {
        DisplaySource s = current;
        return s != null ? s.pointer() : null;
    }

    @Override
    public boolean resize(int width, int height) {
        DisplaySource s = current;
        return s != null && s.resize(width, height);
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public void changed(Frame frame, Rect dirty) {
        for (Listener l : listeners) {
            l.changed(frame, dirty);
        }
    }

    @Override
    public void pointerChanged(Pointer pointer) {
        for (Listener l : listeners) {
            l.pointerChanged(pointer);
        }
    }

    /** Stops following the service. */
    public void close() {
        tracker.close();
    }
}
