package org.spice.agent.internal.server;

import java.lang.System.Logger.Level;
import java.util.List;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardType;
import org.spice.agent.internal.wire.AgentMessages;
import org.spice.agent.internal.wire.AgentMessages.AnnounceCapabilities;
import org.spice.agent.internal.wire.AgentMessages.Clipboard;
import org.spice.agent.internal.wire.AgentMessages.ClipboardGrab;
import org.spice.agent.internal.wire.AgentMessages.ClipboardRelease;
import org.spice.agent.internal.wire.AgentMessages.ClipboardRequest;
import org.spice.agent.internal.wire.AgentMessages.MonConfig;
import org.spice.agent.internal.wire.AgentMessages.MonitorsConfig;
import org.spice.agent.internal.wire.AgentMessages.Reply;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.protocol.spi.AgentEndpoint;
import org.spice.protocol.spi.AgentHandler;
import org.spice.protocol.spi.ServerChannelContext;

/**
 * One client's agent stream, served by our server as the guest agent would serve it: capabilities announced on
 * request, the client's clipboard fetched as soon as it grabs (text preferred, else PNG) and put on the
 * {@link org.spice.agent.api.ServerClipboard}, the server's clipboard offered to the client with a grab and sent
 * when the client asks, monitors config turned into a resize of the display source, files received. Messages it
 * cannot read are dropped with a log line (the main channel catches what the codecs throw).
 */
final class ServerAgentSession implements AgentHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.agent");

    private final AgentServer server;
    private final ServerChannelContext main;
    private final AgentEndpoint agent;
    private final int[] ourCaps;
    private AnnounceCapabilities peer;
    private boolean announced;
    /** The most the client takes (VD_AGENT_MAX_CLIPBOARD), -1 for no limit of its own. */
    private int clientMaxClipboard = -1;
    /** Whether this client holds a grab of ours (so an empty server clipboard is announced as a release). */
    private boolean offered;
    /** The type asked of the client for its current grab; only that type's data is taken. */
    private ClipboardType requested;
    /**
     * The clipboard's next grab serial (VD_AGENT_CAP_CLIPBOARD_GRAB_SERIAL), 0 when the client connects. Each grab
     * either way takes one; of two that cross with the same serial the client's wins, as the capability's
     * definition in spice-protocol says, and a client's grab older than ours is dropped.
     */
    private long grabSerial;
    private FileReceiver files;

    ServerAgentSession(AgentServer server, ServerChannelContext main, AgentEndpoint agent, int[] ourCaps) {
        this.server = server;
        this.main = main;
        this.agent = agent;
        this.ourCaps = ourCaps;
    }

    long connectionId() {
        return main.connectionId();
    }

    private String who() {
        return "client 0x" + Long.toHexString(main.connectionId());
    }

    private boolean peerHas(int cap) {
        return peer != null && peer.has(cap);
    }

    /** The selection prefix travels when both ends announced it; ours always is. */
    private boolean withSelection() {
        return peerHas(AgentMessages.CAP_CLIPBOARD_SELECTION);
    }

    private boolean withSerial() {
        return peerHas(AgentMessages.CAP_CLIPBOARD_GRAB_SERIAL);
    }

    @Override
    public long maxMessageSize(int type) {
        return switch (type) {
            case AgentMessages.CLIPBOARD -> server.clipboardMaxSize() + 8L;
            case AgentMessages.FILE_XFER_DATA -> 1L << 20;
            case AgentMessages.MONITORS_CONFIG -> 8L + AgentMessages.MAX_MONITORS * 24L;
            default -> DEFAULT_MAX_MESSAGE_SIZE;
        };
    }

    @Override
    public void onMessage(int type, long opaque, byte[] body) {
        switch (type) {
            case AgentMessages.ANNOUNCE_CAPABILITIES -> capabilities(AnnounceCapabilities.decode(body));
            case AgentMessages.CLIPBOARD_GRAB -> grab(ClipboardGrab.decode(body, withSelection(), withSerial()));
            case AgentMessages.CLIPBOARD -> clipboard(Clipboard.decode(body, withSelection()));
            case AgentMessages.CLIPBOARD_REQUEST -> request(ClipboardRequest.decode(body, withSelection()));
            case AgentMessages.CLIPBOARD_RELEASE -> {
                ClipboardRelease r = ClipboardRelease.decode(body, withSelection());
                LOG.log(Level.DEBUG, who() + " released its clipboard (selection " + r.selection() + ")");
                if (r.selection() == AgentMessages.SELECTION_CLIPBOARD) {
                    requested = null;
                }
            }
            case AgentMessages.MONITORS_CONFIG -> monitors(MonitorsConfig.decode(body));
            case AgentMessages.DISPLAY_CONFIG -> {
                AgentMessages.DisplayConfig d = AgentMessages.DisplayConfig.decode(body);
                reply(AgentMessages.DISPLAY_CONFIG, server.disableEffects(who(), d.disabled()));
            }
            case AgentMessages.MAX_CLIPBOARD -> {
                clientMaxClipboard = AgentMessages.MaxClipboard.decode(body).max();
                LOG.log(Level.DEBUG, who() + " takes clipboards up to " + clientMaxClipboard + " bytes");
            }
            case AgentMessages.FILE_XFER_START -> {
                AgentMessages.FileXferStart s = AgentMessages.FileXferStart.decode(body);
                files().start(s);
            }
            case AgentMessages.FILE_XFER_DATA -> {
                AgentMessages.FileXferData d = AgentMessages.FileXferData.decode(body);
                files().data(d);
            }
            case AgentMessages.FILE_XFER_STATUS -> {
                AgentMessages.FileXferStatus st = AgentMessages.FileXferStatus.decode(body);
                files().status(st);
            }
            case AgentMessages.REPLY -> LOG.log(Level.DEBUG, who() + " replies " + Reply.decode(body));
            default -> LOG.log(Level.DEBUG, who() + ": agent message " + AgentMessages.name(type) + " ("
                    + body.length + " bytes) ignored: not one a client sends to this agent");
        }
    }

    private void capabilities(AnnounceCapabilities caps) {
        boolean first = peer == null;
        peer = caps;
        LOG.log(Level.DEBUG, who() + " agent capabilities " + caps);
        if (caps.request() || !announced) {
            announced = true;
            agent.send(AgentMessages.ANNOUNCE_CAPABILITIES, new AnnounceCapabilities(false, ourCaps).encode());
        }
        if (first) {
            ClipboardContent c = server.clipboard().get();
            if (c != null) {
                offer(c);
            }
        }
    }

    private void grab(ClipboardGrab g) {
        if (g.selection() != AgentMessages.SELECTION_CLIPBOARD) {
            LOG.log(Level.DEBUG, who() + " grabbed selection " + g.selection() + "; only the clipboard is shared");
            return;
        }
        if (withSerial()) {
            if (g.serial() + 1 < grabSerial) {
                LOG.log(Level.DEBUG, who() + "'s grab with serial " + g.serial() + " dropped: ours (serial "
                        + (grabSerial - 1) + ") is newer");
                return;
            }
            grabSerial = g.serial() + 1;
        }
        offered = false; // a grab from the client replaces ours
        ClipboardType want = g.types().contains((long) ClipboardType.UTF8_TEXT.code()) ? ClipboardType.UTF8_TEXT
                : g.types().contains((long) ClipboardType.IMAGE_PNG.code()) ? ClipboardType.IMAGE_PNG : null;
        if (want == null) {
            LOG.log(Level.DEBUG, who() + " grabbed its clipboard with types " + g.types() + ", none shared here");
            requested = null;
            return;
        }
        requested = want;
        agent.send(AgentMessages.CLIPBOARD_REQUEST, new ClipboardRequest(AgentMessages.SELECTION_CLIPBOARD,
                want.code()).encode(withSelection()));
    }

    private void clipboard(Clipboard c) {
        if (c.selection() != AgentMessages.SELECTION_CLIPBOARD) {
            return;
        }
        ClipboardType t = ClipboardType.of(c.type());
        if (t == null || t != requested) {
            LOG.log(Level.DEBUG, who() + " sent clipboard data of type " + c.type() + " not asked for; dropped");
            return;
        }
        requested = null;
        ClipboardContent content = new ClipboardContent(t, c.data());
        server.fromClient(this, content);
        LOG.log(Level.INFO, "clipboard from client: " + content.size() + " bytes (" + t.mimeType() + ", " + who()
                + ")");
    }

    private void request(ClipboardRequest r) {
        ClipboardContent c = server.clipboard().get();
        ClipboardType t = ClipboardType.of(r.type());
        boolean have = r.selection() == AgentMessages.SELECTION_CLIPBOARD && c != null && c.type() == t
                && fits(c);
        // Always an answer: spice-gtk waits for one while an application waits for the paste.
        Clipboard answer = have ? new Clipboard(r.selection(), t.code(), c.data())
                : new Clipboard(r.selection(), AgentMessages.CLIPBOARD_NONE, new byte[0]);
        LOG.log(Level.DEBUG, who() + " asks for the clipboard as type " + r.type() + ": " + (have ? c : "none"));
        agent.send(AgentMessages.CLIPBOARD, answer.encode(withSelection()));
    }

    private boolean fits(ClipboardContent c) {
        return c.size() <= server.clipboardMaxSize() && (clientMaxClipboard < 0 || c.size() <= clientMaxClipboard);
    }

    /** The server clipboard changed (not by this client): grab the client's with it, or release ours. */
    void offer(ClipboardContent c) {
        if (peer == null || !peerHas(AgentMessages.CAP_CLIPBOARD_BY_DEMAND) || !agent.isOpen()) {
            return;
        }
        if (c == null) {
            if (offered) {
                offered = false;
                agent.send(AgentMessages.CLIPBOARD_RELEASE, new ClipboardRelease(AgentMessages.SELECTION_CLIPBOARD)
                        .encode(withSelection()));
            }
            return;
        }
        if (!fits(c)) {
            LOG.log(Level.INFO, "clipboard of " + c.size() + " bytes not offered to " + who() + ": over its limit");
            return;
        }
        offered = true;
        long serial = grabSerial;
        if (withSerial()) {
            grabSerial = serial + 1;
        }
        agent.send(AgentMessages.CLIPBOARD_GRAB, new ClipboardGrab(AgentMessages.SELECTION_CLIPBOARD, serial,
                java.util.List.of((long) c.type().code())).encode(withSelection(), withSerial()));
    }

    /**
     * A client's monitors config: its enabled monitors (zero sizes are disabled ones), moved together so that the
     * leftmost and topmost touch the origin, become the display source's heads, each an area of one picture as
     * large as their union (a sparse layout leaves gaps). Positions and sizes beyond the desktop SPI's limits are
     * refused by the source, which then keeps its picture.
     */
    private void monitors(MonitorsConfig m) {
        List<MonConfig> enabled = m.monitors().stream().filter(x -> x.width() > 0 && x.height() > 0).toList();
        LOG.log(Level.INFO, "monitors config from " + who() + ": " + m.monitors().size() + " monitor(s)"
                + (enabled.isEmpty() ? ", none enabled" : ", enabled " + enabled.stream()
                        .map(x -> x.width() + "x" + x.height() + "+" + x.x() + "+" + x.y()).toList()));
        boolean ok = !enabled.isEmpty() && server.resize(heads(enabled));
        reply(AgentMessages.MONITORS_CONFIG, ok);
    }

    /** The monitors as areas of one picture: shifted so the union starts at (0, 0), sizes capped to int. */
    static List<Rect> heads(List<MonConfig> monitors) {
        long left = monitors.stream().mapToLong(MonConfig::x).min().orElse(0);
        long top = monitors.stream().mapToLong(MonConfig::y).min().orElse(0);
        return monitors.stream().map(x -> new Rect((int) (x.x() - left), (int) (x.y() - top),
                (int) Math.min(x.width(), Frame.MAX_SIDE + 1L), (int) Math.min(x.height(), Frame.MAX_SIDE + 1L)))
                .toList();
    }

    private void reply(int type, boolean ok) {
        if (peerHas(AgentMessages.CAP_REPLY)) {
            agent.send(AgentMessages.REPLY, new Reply(type, ok ? AgentMessages.SUCCESS : AgentMessages.ERROR)
                    .encode());
        }
    }

    private FileReceiver files() {
        if (files == null) {
            files = new FileReceiver(server.fileSettings(), s -> agent.send(AgentMessages.FILE_XFER_STATUS,
                    s.encode()), who(), peerHas(AgentMessages.CAP_FILE_XFER_DETAILED_ERRORS));
        }
        return files;
    }

    @Override
    public void onClose() {
        if (files != null) {
            files.close();
        }
        server.closed(this);
    }

    /** Runs {@code r} on this client's main channel thread, where all its state lives. */
    void execute(Runnable r) {
        agent.executor().execute(r);
    }
}
