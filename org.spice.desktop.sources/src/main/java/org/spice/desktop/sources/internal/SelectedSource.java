package org.spice.desktop.sources.internal;

import java.lang.System.Logger.Level;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.spice.desktop.DisplaySource;

/**
 * Makes the source that configuration {@code org.spice.display} names with its key {@code source}: for
 * {@code image:PATH} an {@link ImageSource}, for {@code screen[:fps=N]} a {@link ScreenSource}, for {@code service:NAME} a {@link ServiceSource} (the
 * DisplaySource another bundle registers under NAME, such as the gateway's), each a factory
 * component ranked {@value #RANKING}, above the {@link DemoSource} that is always there; for {@code demo} none. A
 * source that cannot start (an unreadable file, no screen) is logged and the demo shows. Its key {@code monitors}
 * gives the screen and the demo that many heads. The display bundle's
 * metatype describes the key; the display itself takes whichever source ranks highest.
 */
@Component(configurationPid = SelectedSource.PID)
public final class SelectedSource {
    private static final System.Logger LOG = System.getLogger("org.spice.desktop.sources");
    static final String PID = "org.spice.display";
    /** The ranking of a configured source: above the demo's 0. */
    static final int RANKING = 10;

    private final ComponentInstance<DisplaySource> instance;

    @Activate
    public SelectedSource(Map<String, Object> config,
            @Reference(target = "(component.factory=" + ImageSource.FACTORY + ")") ComponentFactory<DisplaySource> images,
            @Reference(target = "(component.factory=" + ScreenSource.FACTORY + ")") ComponentFactory<DisplaySource> screens,
            @Reference(target = "(component.factory=" + ServiceSource.FACTORY + ")")
            ComponentFactory<DisplaySource> services, @Reference DemoSource demo) {
        String spec = String.valueOf(config.getOrDefault("source", "demo"));
        int heads = Heads.configured(config);
        if (heads > 1 && !spec.equals("demo") && !spec.startsWith("screen")) {
            LOG.log(Level.WARNING, "monitors applies to the demo and screen sources; " + spec + " shows one head");
        }
        // the demo is always there (shown when no source is configured or it cannot start): it is not configured
        // itself, so that one desktop lives as long as the bundle
        demo.monitors(heads);
        Hashtable<String, Object> props = new Hashtable<>();
        ComponentFactory<DisplaySource> factory;
        if (spec.equals("demo")) {
            factory = null;
        } else if (spec.startsWith("image:")) {
            props.put(ImageSource.PATH, spec.substring("image:".length()));
            factory = images;
        } else if (spec.equals("screen") || spec.startsWith("screen:")) {
            props.put(ScreenSource.FPS, ScreenSource.fps(spec));
            props.put(ScreenSource.MONITORS, heads);
            factory = screens;
        } else if (spec.startsWith("service:")) {
            props.put(ServiceSource.SERVICE, spec.substring("service:".length()));
            props.put(DisplaySource.NAME, spec);
            factory = services;
        } else {
            throw new IllegalArgumentException("unknown display source '" + spec
                    + "'; use demo, image:PATH, screen[:fps=N] or service:NAME");
        }
        ComponentInstance<DisplaySource> made = null;
        if (factory != null) {
            try {
                made = factory.newInstance(props);
            } catch (RuntimeException e) {
                Throwable why = e.getCause() != null ? e.getCause() : e;
                LOG.log(Level.ERROR, "display source " + spec + " did not start (" + why.getMessage()
                        + "); the display shows the demo");
            }
        }
        instance = made;
    }

    @Deactivate
    void stop() {
        if (instance != null) {
            instance.dispose();
        }
    }
}
