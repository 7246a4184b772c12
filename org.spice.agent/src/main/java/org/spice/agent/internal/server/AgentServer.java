package org.spice.agent.internal.server;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ServerClipboard;
import org.spice.agent.internal.wire.AgentMessages;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Rect;
import org.spice.protocol.spi.AgentEndpoint;
import org.spice.protocol.spi.AgentHandler;
import org.spice.protocol.spi.ServerAgentFactory;
import org.spice.protocol.spi.ServerChannelContext;

/**
 * Our server as its own agent: registered as the main channel's {@link ServerAgentFactory}, so clients are told an
 * agent is connected, and each client's stream gets a {@link ServerAgentSession}. What they share lives here: the
 * {@link ServerClipboard} (a change from one client is offered to the others), the {@link DisplaySource} that
 * monitors config resizes, and the file-transfer settings.
 */
@Component(service = ServerAgentFactory.class, configurationPid = AgentConfig.PID)
@Designate(ocd = AgentConfig.class)
public final class AgentServer implements ServerAgentFactory, ServerClipboard.Listener {
    private static final System.Logger LOG = System.getLogger("org.spice.agent");

    /**
     * The highest-ranked clipboard, replaced while clients stay connected when a higher one comes (a gateway
     * registers the VM's clipboard above the bundle's default).
     */
    private volatile ServerClipboard clipboard;
    private final AgentConfig config;
    private final FileReceiver.Settings files;
    private final int[] caps;
    private final List<ServerAgentSession> sessions = new CopyOnWriteArrayList<>();
    /** The content a client just set, and that client: it is not offered back to it. */
    private volatile ClipboardContent fromClient;
    private volatile ServerAgentSession fromSession;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DisplaySource display;

    @Activate
    public AgentServer(AgentConfig config) {
        this.config = config;
        this.files = new FileReceiver.Settings(config.file_xfer_enabled(), config.file_xfer_dir().isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "spice-files") : Path.of(config.file_xfer_dir()),
                config.file_xfer_max_size());
        this.caps = capabilities(config.file_xfer_enabled()).caps();
    }

    /** A (higher-ranked) clipboard: listened to from now on, and what it holds offered to every client. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindClipboard")
    void bindClipboard(ServerClipboard c) {
        ServerClipboard before = clipboard;
        clipboard = c;
        c.addListener(this);
        if (before != null) {
            LOG.log(Level.INFO, "server clipboard: " + c.getClass().getSimpleName() + " instead of "
                    + before.getClass().getSimpleName());
            changed(c.get());
        }
    }

    void unbindClipboard(ServerClipboard c) {
        c.removeListener(this);
    }

    /** What this agent announces, as spice-vdagent on Linux does, less what it does not do. */
    public static AgentMessages.AnnounceCapabilities capabilities(boolean fileTransfer) {
        int[] c = {AgentMessages.CAP_MOUSE_STATE, AgentMessages.CAP_MONITORS_CONFIG, AgentMessages.CAP_REPLY,
            AgentMessages.CAP_DISPLAY_CONFIG, AgentMessages.CAP_CLIPBOARD_BY_DEMAND,
            AgentMessages.CAP_CLIPBOARD_SELECTION, AgentMessages.CAP_GUEST_LINEEND_LF, AgentMessages.CAP_MAX_CLIPBOARD,
            AgentMessages.CAP_FILE_XFER_DETAILED_ERRORS, AgentMessages.CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB,
            AgentMessages.CAP_CLIPBOARD_GRAB_SERIAL};
        if (!fileTransfer) {
            c = java.util.Arrays.copyOf(c, c.length + 1);
            c[c.length - 1] = AgentMessages.CAP_FILE_XFER_DISABLED;
        }
        return AgentMessages.AnnounceCapabilities.of(false, c);
    }

    @Override
    public AgentHandler open(ServerChannelContext main, AgentEndpoint agent) {
        ServerAgentSession s = new ServerAgentSession(this, main, agent, caps);
        sessions.add(s);
        LOG.log(Level.INFO, "agent started by client 0x" + Long.toHexString(main.connectionId()));
        return s;
    }

    void closed(ServerAgentSession s) {
        sessions.remove(s);
        if (fromSession == s) {
            fromSession = null;
        }
    }

    ServerClipboard clipboard() {
        return clipboard;
    }

    int clipboardMaxSize() {
        return config.clipboard_max_size();
    }

    FileReceiver.Settings fileSettings() {
        return files;
    }

    /** A client's clipboard for the server: set it, and offer it to every other client. */
    void fromClient(ServerAgentSession s, ClipboardContent c) {
        fromSession = s;
        fromClient = c;
        clipboard.set(s.connectionId(), c);
    }

    /** The server clipboard changed: each client but the one it came from is offered it, on its own thread. */
    @Override
    public void changed(ClipboardContent content) {
        ServerAgentSession origin = content != null && content == fromClient ? fromSession : null;
        for (ServerAgentSession s : sessions) {
            if (s != origin) {
                s.execute(() -> s.offer(content));
            }
        }
    }

    /**
     * A client's display config: the display source is asked to drop these effects (and show the others); false
     * when there is no source or it has no effects to drop.
     */
    boolean disableEffects(String who, java.util.Set<org.spice.desktop.DisplayEffect> disabled) {
        DisplaySource d = display;
        boolean ok = d != null && d.disableEffects(disabled);
        LOG.log(Level.INFO, who + " asks for display effects off: " + disabled + (ok ? "; the display source follows"
                : d == null ? "; no display source" : "; the display source has no effects to drop"));
        return ok;
    }

    /** A client's monitors config: the display source is asked for these heads (one picture holding them all). */
    boolean resize(List<Rect> heads) {
        String wanted = heads.stream().map(h -> h.width() + "x" + h.height() + "+" + h.x() + "+" + h.y()).toList()
                .toString();
        if (!config.monitors_config()) {
            LOG.log(Level.INFO, "display not resized to " + wanted + ": monitors.config is off");
            return false;
        }
        DisplaySource d = display;
        if (d == null) {
            LOG.log(Level.INFO, "display not resized to " + wanted + ": no display source");
            return false;
        }
        boolean ok = d.resize(heads);
        LOG.log(Level.INFO, ok ? "display source resized to " + wanted
                : "the display source keeps its size (asked for " + wanted + ")");
        return ok;
    }
}
