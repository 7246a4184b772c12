package org.spice.client.swing.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import javax.swing.Timer;
import org.spice.client.swing.api.Viewer;
import org.spice.display.api.ClientDisplay;
import org.spice.inputs.api.ClientInput;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.MainInfo;
import org.spice.protocol.wire.MainMessages;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbSharing;

/**
 * One session on screen: links the channels the windows need, opens a window per head of each display channel once
 * it has linked (heads as its monitors config lists them; a window closes when the guest turns its head off), and
 * follows what the windows poll (mouse mode, cursor). Lives on the event dispatch thread.
 */
final class SessionView {
    private static final System.Logger LOG = System.getLogger("org.spice.client.swing");
    /** How often windows follow the cursor and the mouse mode, and new displays are looked for. */
    private static final int TICK_MS = 30;

    final SwingViewer viewer;
    final ClientSession session;
    final Viewer.Options options;
    final AgentBridge agent;
    /** Key events to scancodes: the physical key, or the options' keymap for events without a raw code. */
    final AwtKeys keys;
    /** The user's GUI settings (resize guest to window). */
    final GuiSettings settings = GuiSettings.load();
    private final CompletableFuture<Void> done;
    /** A head of a display channel; ordered as remote-viewer numbers displays. */
    record HeadKey(int channelId, int head) implements Comparable<HeadKey> {
        @Override
        public int compareTo(HeadKey o) {
            int c = Integer.compare(channelId + head, o.channelId + o.head);
            return c != 0 ? c : Integer.compare(channelId, o.channelId);
        }
    }

    private final Map<HeadKey, DisplayWindow> windows = new TreeMap<>();
    private final Set<HeadKey> closedByUser = new HashSet<>();
    private final Timer timer = new Timer(TICK_MS, e -> tick());
    private boolean mouseModeRequested;
    /** Ticks until the local clipboard is looked at again: about once a second, while a window has focus. */
    private int clipboardCountdown;
    /** Ticks until the windows' status lines are updated again: about once a second. */
    private int statusCountdown;

    SessionView(SwingViewer viewer, ClientSession session, Viewer.Options options, CompletableFuture<Void> done) {
        this.viewer = viewer;
        this.session = session;
        this.options = options;
        this.done = done;
        this.agent = new AgentBridge(() -> viewer.agents, session);
        this.keys = new AwtKeys(PhysicalKeys.Platform.current(),
                LayoutKeymap.named(options.keymap() == null ? "us" : options.keymap()));
    }

    void open() {
        for (MainMessages.ChannelId c : session.main().channels()) {
            if (c.type() == ChannelType.DISPLAY || c.type() == ChannelType.CURSOR && viewer.cursors != null
                    || c.type() == ChannelType.INPUTS && viewer.inputs != null) {
                session.link(c.type(), c.id()).whenComplete((l, e) -> {
                    if (e != null) {
                        LOG.log(Level.WARNING, "channel " + ChannelType.name(c.type()) + ":" + c.id()
                                + " did not link: " + e.getMessage());
                    }
                });
            }
        }
        session.closed().whenComplete((r, e) -> javax.swing.SwingUtilities.invokeLater(this::close));
        timer.start();
    }

    private void tick() {
        if (session.closed().isDone()) {
            close();
            return;
        }
        MainInfo m = session.main();
        if (!mouseModeRequested && (m.supportedMouseModes() & MainMessages.MOUSE_MODE_CLIENT) != 0
                && m.currentMouseMode() != MainMessages.MOUSE_MODE_CLIENT) {
            // As spice-gtk: the client mode follows the local pointer exactly, so ask for it when offered.
            session.requestMouseMode(MainMessages.MOUSE_MODE_CLIENT);
            mouseModeRequested = true;
        }
        for (int id : displayIds()) {
            ClientDisplay d = viewer.displays.display(session, id);
            if (d == null) {
                continue;
            }
            List<org.spice.desktop.Rect> heads = d.heads();
            // head 0 at once (its window shows the picture when it comes), the others while the guest shows them
            for (int head = 0; head < Math.max(1, heads.size()); head++) {
                HeadKey k = new HeadKey(id, head);
                DisplayWindow w = windows.get(k);
                if (w != null) {
                    w.follow(d); // after a live migration the channel is a new one, linked to the destination
                } else if ((head == 0 || !heads.get(head).isEmpty()) && !closedByUser.contains(k)) {
                    windows.put(k, new DisplayWindow(this, id, head, d));
                }
            }
        }
        boolean statusDue = --statusCountdown <= 0;
        if (statusDue) {
            statusCountdown = 1000 / TICK_MS;
        }
        for (DisplayWindow w : new ArrayList<>(windows.values())) {
            w.tick();
            if (statusDue) {
                w.updateStatus();
            }
        }
        // AWT tells of a new clipboard owner only when the flavours change, so copies of text after text would
        // go unseen: look at its text now and then (AgentBridge offers it only when it changed).
        if (--clipboardCountdown <= 0) {
            clipboardCountdown = 1000 / TICK_MS;
            if (windows.values().stream().anyMatch(java.awt.Window::isFocused)) {
                agent.offerLocalClipboard();
            }
        }
    }

    /** Shows or hides every window's status line (View → Status line, a saved setting). */
    void showStatusLines(boolean on) {
        for (DisplayWindow w : windows.values()) {
            w.showStatusLine(on);
        }
        statusCountdown = 0;
    }

    List<Integer> displayIds() {
        return session.main().channels().stream().filter(c -> c.type() == ChannelType.DISPLAY)
                .map(MainMessages.ChannelId::id).sorted().toList();
    }

    /** How many display windows are open. */
    int displays() {
        return Math.max(windows.size(), displayIds().size());
    }

    /**
     * Sends the agent a monitors config of every window (see {@link MonitorLayout}): a window resized by the user,
     * as remote-viewer does.
     */
    void requestMonitors() {
        List<MonitorLayout.Shown> shown = new ArrayList<>();
        for (DisplayWindow w : windows.values()) {
            java.awt.Dimension d = w.roomForGuest();
            if (d != null && d.width > 0 && d.height > 0) {
                shown.add(new MonitorLayout.Shown(w.nth(), d.width, d.height, w.isFullScreen()
                        ? w.getGraphicsConfiguration().getBounds().getLocation() : null));
            }
        }
        agent.requestMonitors(MonitorLayout.of(shown));
    }

    /** The guest turned the head of {@code w} off: its window goes (and comes back when the head does). */
    void headGone(DisplayWindow w) {
        if (windows.remove(new HeadKey(w.channelId, w.head), w)) {
            LOG.log(Level.INFO, "display " + w.nth() + " (head " + w.head + " of display:" + w.channelId
                    + ") turned off by the guest");
            w.dispose();
        }
    }

    boolean clientMouseMode() {
        return session.main().currentMouseMode() == MainMessages.MOUSE_MODE_CLIENT;
    }

    /** The inputs channel, or null while it is not linked (or without the inputs bundle). */
    ClientInput input() {
        return viewer.inputs == null ? null : viewer.inputs.inputs(session);
    }

    void windowClosed(DisplayWindow w) {
        HeadKey k = new HeadKey(w.channelId, w.head);
        if (windows.remove(k, w)) {
            closedByUser.add(k); // closed by the user, not by the guest turning the head off
        }
        if (windows.isEmpty()) {
            close();
        }
    }

    /** The devices shared in this session now, by usbredir channel id; empty without the usbredir bundle. */
    Map<Integer, UsbSharing.SharedDevice> usbShared() {
        UsbSharing sharing = viewer.usb;
        return sharing == null ? Map.of() : new TreeMap<>(sharing.shared(session));
    }

    /**
     * Shares {@code device} on a usbredir channel not in use yet, and closes the device once it is no longer shared
     * (a host device goes back to its drivers then). The caller closes the device when this throws.
     */
    void shareUsb(UsbDevice device) {
        UsbSharing sharing = viewer.usb;
        if (sharing == null) {
            throw new IllegalStateException("USB sharing needs the usbredir bundle, which is not running");
        }
        Map<Integer, UsbSharing.SharedDevice> inUse = sharing.shared(session);
        List<Integer> channels = session.main().channels().stream().filter(c -> c.type() == ChannelType.USBREDIR)
                .map(MainMessages.ChannelId::id).sorted().toList();
        int channel = channels.stream().filter(id -> !inUse.containsKey(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException(channels.isEmpty()
                        ? "the server has no usbredir channel" : "every usbredir channel of the server is in use"));
        UsbSharing.SharedDevice shared = sharing.share(session, channel, device);
        if (session.channels().stream().noneMatch(c -> c.type() == ChannelType.USBREDIR && c.id() == channel)) {
            session.link(ChannelType.USBREDIR, channel);
        }
        shared.closed().whenComplete((r, e) -> {
            if (e != null) {
                LOG.log(Level.WARNING, device.describe() + " is not shared: " + e.getMessage());
            }
            if (device instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ex) {
                    LOG.log(Level.WARNING, "closing " + device.describe() + ": " + ex.getMessage());
                }
            }
        });
        LOG.log(Level.INFO, "sharing " + device.describe() + " on usbredir:" + channel);
    }

    void close() {
        timer.stop();
        for (DisplayWindow w : new ArrayList<>(windows.values())) {
            w.dispose();
        }
        windows.clear();
        done.complete(null);
    }
}
