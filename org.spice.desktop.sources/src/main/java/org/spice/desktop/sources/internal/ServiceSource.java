package org.spice.desktop.sources.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.DisplayEffect;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

/**
 * Shows a {@link DisplaySource} that another bundle registers with {@value DisplaySource#NAME}{@code =NAME}
 * (configured as {@code source=service:NAME}), such as a gateway's picture of a remote VM. The display keeps its
 * own listeners here, so the service may come, go and be replaced while clients are connected: while none is
 * registered clients see a black {@value #WIDTH}x{@value #HEIGHT} picture, and each new service's frame reaches
 * them whole. A factory component: {@link SelectedSource} makes one for {@code source=service:NAME}, ranked above
 * the demo and registered as {@value DisplaySource#NAME}{@code =service:NAME}, a name no tracked service can have.
 */
@Component(factory = ServiceSource.FACTORY, service = DisplaySource.class,
        property = {DisplaySource.NAME + "=service", "service.ranking:Integer=" + SelectedSource.RANKING})
public final class ServiceSource extends AbstractDisplaySource implements DisplaySource.Listener {
    private static final System.Logger LOG = System.getLogger("org.spice.desktop.sources");
    static final String FACTORY = "org.spice.desktop.source.service";
    /** The factory instance's property holding the name of the service to show. */
    static final String SERVICE = "service";
    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    private final String name;
    private final ServiceTracker<DisplaySource, DisplaySource> tracker;
    private volatile DisplaySource current;
    private volatile Frame blank = new Frame(WIDTH, HEIGHT, new int[WIDTH * HEIGHT], 0);

    /** Tracks the source named by the instance property {@value #SERVICE} in the registry of {@code context}. */
    @Activate
    public ServiceSource(Map<String, Object> properties, BundleContext context) {
        this(String.valueOf(properties.get(SERVICE)), context);
    }

    /** Tracks the source named {@code name} in the registry of {@code context}. */
    ServiceSource(String name, BundleContext context) {
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
        tellChanged(f, new Rect(0, 0, f.width(), f.height()));
        tellPointerChanged(s.pointer());
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
        tellChanged(blank, new Rect(0, 0, WIDTH, HEIGHT));
        tellPointerChanged(null);
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

    /** The service's heads (a gateway's VM displays), so clients show each in a window of its own. */
    @Override
    public List<Rect> heads() {
        DisplaySource s = current;
        return s != null ? s.heads() : super.heads();
    }

    @Override
    public boolean resize(List<Rect> heads) {
        DisplaySource s = current;
        return s != null && s.resize(heads);
    }

    @Override
    public boolean disableEffects(Set<DisplayEffect> disabled) {
        DisplaySource s = current;
        return s != null && s.disableEffects(disabled);
    }

    @Override
    public void changed(Frame frame, Rect dirty) {
        tellChanged(frame, dirty);
    }

    @Override
    public void pointerChanged(Pointer pointer) {
        tellPointerChanged(pointer);
    }

    /** The service skips frames only when none of the clients here wants one. */
    @Override
    public boolean wantsFrame() {
        return frameWanted();
    }

    @Override
    public void wanted() {
        DisplaySource s = current;
        if (s != null) {
            s.wanted();
        }
    }

    /** Stops following the service. */
    @Deactivate
    public void close() {
        tracker.close();
    }
}
