package org.spice.agent.internal.server;

import java.awt.GraphicsEnvironment;
import java.awt.Toolkit;
import java.lang.System.Logger.Level;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ServerClipboard;

/**
 * The default {@link ServerClipboard}: the host's clipboard when there is a display (DISPLAY set, AWT not
 * headless), else one in memory; configuration {@code clipboard.backend} forces either. Ranked low, so that
 * another implementation registered beside it wins.
 */
@Component(service = ServerClipboard.class, configurationPid = AgentConfig.PID,
        property = "service.ranking:Integer=-100")
public final class DefaultClipboard implements ServerClipboard {
    private static final System.Logger LOG = System.getLogger("org.spice.agent");
    private final ServerClipboard delegate;

    @Activate
    public DefaultClipboard(AgentConfig config) {
        delegate = choose(config.clipboard_backend(), config.clipboard_max_size());
    }

    static ServerClipboard choose(String backend, int maxSize) {
        String display = System.getenv("DISPLAY");
        boolean host = switch (backend) {
            case "host" -> true;
            case "memory" -> false;
            case "auto" -> display != null && !display.isEmpty() && !GraphicsEnvironment.isHeadless();
            default -> throw new IllegalArgumentException("clipboard.backend '" + backend
                    + "': use auto, host or memory");
        };
        if (host) {
            try {
                ServerClipboard c = new HostClipboard(Toolkit.getDefaultToolkit().getSystemClipboard(), maxSize);
                LOG.log(Level.INFO, "server clipboard: the host's (DISPLAY=" + display + ")");
                return c;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "server clipboard: the host's is out of reach (" + e
                        + "); using one in memory");
            }
        } else {
            LOG.log(Level.INFO, "server clipboard: in memory (no display)");
        }
        return new MemoryClipboard();
    }

    @Deactivate
    void stop() {
        if (delegate instanceof HostClipboard h) {
            h.close();
        }
    }

    @Override
    public ClipboardContent get() {
        return delegate.get();
    }

    @Override
    public void set(ClipboardContent content) {
        delegate.set(content);
    }

    @Override
    public void addListener(Listener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        delegate.removeListener(listener);
    }
}
