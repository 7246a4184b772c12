package org.spice.client.swing.internal;

import java.awt.BorderLayout;
import java.awt.GraphicsDevice;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.swing.JCheckBox;
import javax.swing.JCheckBoxMenuItem;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;
import javax.swing.filechooser.FileNameExtensionFilter;
import org.spice.client.swing.api.Hotkeys;
import org.spice.cursor.api.ClientCursor;
import org.spice.cursor.api.CursorShape;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.desktop.UsKeyboard;
import org.spice.display.api.ClientDisplay;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.LinkedChannel;
import org.spice.protocol.client.MainInfo;
import org.spice.protocol.wire.MainMessages;
import org.spice.usbredir.api.HostUsbDevices;
import org.spice.usbredir.api.MassStorage;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbSharing;

/**
 * The window of one head of a display channel (a channel without a monitors config has one head, its whole surface):
 * that part of the picture, input, and the menus.
 */
final class DisplayWindow extends JFrame {
    private static final System.Logger LOG = System.getLogger("org.spice.client.swing");
    final int channelId;
    /** The head's index in its channel's monitors config (remote-viewer's monitor id). */
    final int head;
    /** The head's area of the surface as shown now; pointer positions are offset by it. */
    private volatile Rect area = new Rect(0, 0, 0, 0);
    private final SessionView view;
    /** The display channel shown; a migration to another host links a new one, which {@link #follow} takes. */
    private ClientDisplay display;
    private final DisplayCanvas canvas = new DisplayCanvas();
    private final InputHandler input;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    /** When this head began to show nothing (System.nanoTime()), or 0 while it shows something. */
    private long emptySince;
    /** Called on the display channel's thread: queues one refresh, however many changes come before it runs. */
    private final Consumer<Rect> changed = area -> {
        if (refreshQueued.compareAndSet(false, true)) {
            SwingUtilities.invokeLater(this::refresh);
        }
    };
    private final JCheckBoxMenuItem fullScreen = new JCheckBoxMenuItem("Full screen");
    private final JMenuItem releasePointer = new JMenuItem("Release keyboard and pointer");
    private final JMenu usbMenu = new JMenu("USB");
    /** Channels, round trip and video codec, at the bottom; none in kiosk mode. */
    private final JLabel status = new JLabel(" ");
    private final JCheckBoxMenuItem statusLine = new JCheckBoxMenuItem("Status line");
    private String statusText;
    /** With an agent, a window resized by the user asks for that resolution, as remote-viewer's does. */
    private final javax.swing.Timer resizeGuest;
    private CursorShape localCursorShape;
    private boolean localCursorVisible = true;
    private boolean localCursorClient;
    private String title;

    DisplayWindow(SessionView view, int channelId, int head, ClientDisplay display) {
        this.view = view;
        this.channelId = channelId;
        this.head = head;
        this.display = display;
        this.input = new InputHandler(view, this, canvas);
        this.resizeGuest = new javax.swing.Timer(500, e -> {
            if (!view.settings.resizeGuest() || !differsFromGuest()) {
                return;
            }
            if (view.agent.agent() == null) {
                // No agent yet (it may connect after the window was resized): look again, rather than lose the size.
                ((javax.swing.Timer) e.getSource()).restart();
                return;
            }
            view.requestMonitors();
        });
        canvas.addKeyListener(input);
        canvas.addMouseListener(input);
        canvas.addMouseMotionListener(input);
        canvas.addMouseWheelListener(input);
        canvas.addFocusListener(input);
        add(canvas, BorderLayout.CENTER);
        if (!view.options.kiosk()) {
            setJMenuBar(menus()); // kiosk mode: no menus and no status line, as remote-viewer's --kiosk
            status.setBorder(javax.swing.BorderFactory.createEmptyBorder(1, 6, 1, 6));
            status.setVisible(view.settings.statusLine());
            add(status, BorderLayout.SOUTH);
        }
        setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosed(WindowEvent e) {
                display.removeChangeListener(changed);
                view.windowClosed(DisplayWindow.this);
            }

            @Override
            public void windowActivated(WindowEvent e) {
                canvas.requestFocusInWindow();
                view.agent.offerLocalClipboard();
            }
        });
        resizeGuest.setRepeats(false);
        canvas.addComponentListener(new java.awt.event.ComponentAdapter() {
            @Override
            public void componentResized(java.awt.event.ComponentEvent e) {
                if (view.settings.resizeGuest() && differsFromGuest()) {
                    resizeGuest.restart(); // once the user stops dragging
                }
            }
        });
        canvas.setTransferHandler(new javax.swing.TransferHandler() {
            @Override
            public boolean canImport(TransferSupport support) {
                return support.isDataFlavorSupported(java.awt.datatransfer.DataFlavor.javaFileListFlavor)
                        && view.agent.canSendFiles();
            }

            @Override
            @SuppressWarnings("unchecked")
            public boolean importData(TransferSupport support) {
                try {
                    view.agent.sendFiles(DisplayWindow.this, (java.util.List<java.io.File>) support.getTransferable()
                            .getTransferData(java.awt.datatransfer.DataFlavor.javaFileListFlavor));
                    return true;
                } catch (java.awt.datatransfer.UnsupportedFlavorException | java.io.IOException ex) {
                    return false;
                }
            }
        });
        display.addChangeListener(changed);
        refresh();
        updateTitle();
        pack();
        GraphicsDevice screen = screen();
        if (screen != null) {
            // the head's own local screen, as remote-viewer puts display N on monitor N
            java.awt.Rectangle b = screen.getDefaultConfiguration().getBounds();
            setLocation(b.x + Math.max(0, (b.width - getWidth()) / 2), b.y + Math.max(0, (b.height - getHeight()) / 2));
        } else {
            setLocationByPlatform(true);
        }
        setVisible(true);
        canvas.requestFocusInWindow();
        if (view.options.fullScreen()) {
            fullScreen.setSelected(true);
            setFullScreen(true);
        }
    }

    /** remote-viewer's number of this window's display: channel id plus head. */
    int nth() {
        return channelId + head;
    }

    /** The head's area of the surface as shown now (empty before the first picture). */
    Rect area() {
        return area;
    }

    /**
     * The local screen of the same number as this display when there are several screens (display N on screen N,
     * as remote-viewer places them), else null.
     */
    private GraphicsDevice screen() {
        try {
            GraphicsDevice[] screens = java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices();
            return screens.length > 1 && nth() < screens.length ? screens[nth()] : null;
        } catch (java.awt.HeadlessException e) {
            return null;
        }
    }

    private void refresh() {
        refreshQueued.set(false);
        Frame f = display.primary();
        if (f == null) {
            return;
        }
        Rect a = headArea(display.heads(), head, f.width(), f.height());
        if (a == null || a.isEmpty()) {
            // No such head, a head disabled by the guest, or a moment of a surface change (between a surface's
            // destroy and create, or a new surface before the monitors config that places its heads: our server
            // sends them 20 ms apart): the window goes only if the head stays so (tick).
            if (head > 0 && emptySince == 0) {
                emptySince = System.nanoTime();
            }
            return;
        }
        emptySince = 0;
        area = a;
        if (canvas.show(f, a) && !fullScreen.isSelected() && (getExtendedState() & MAXIMIZED_BOTH) == 0) {
            pack(); // the guest changed its resolution: the window follows, as remote-viewer's does
        }
    }

    /**
     * What the window of head {@code head} shows of a surface of {@code width} x {@code height}: its area of it; null
     * when there is no such head; an empty rectangle for a head that shows nothing now, disabled or outside the
     * surface. Either may be a moment of a surface change (a window closed then would come back a moment later as
     * a new one), so a window closes only when its head stays so for {@link #HEAD_OFF_NANOS}.
     */
    static Rect headArea(List<Rect> heads, int head, int width, int height) {
        if (head >= heads.size()) {
            return null;
        }
        return heads.get(head).intersect(new Rect(0, 0, width, height));
    }

    /** How long a head shows nothing before its window goes: the guest turned that monitor off. */
    static final long HEAD_OFF_NANOS = 1_500_000_000L;

    /** Whether the window shows full screen now (its monitors config position is then its screen's). */
    boolean isFullScreen() {
        return fullScreen.isSelected();
    }

    /** The size of the guest picture the window has room for, in device pixels, or null before it is shown. */
    java.awt.Dimension roomForGuest() {
        return canvas.deviceSize();
    }

    /** Whether the window has room for another size than the head it shows (known once the head has been drawn). */
    private boolean differsFromGuest() {
        Rect shown = area;
        java.awt.Dimension d = canvas.deviceSize();
        return !shown.isEmpty() && d != null && (d.width != shown.width() || d.height != shown.height());
    }

    /**
     * Shows {@code now} from here on when it is not the display channel shown: after a live migration the session's
     * display channel is a new one, linked to the destination, and this window stays open across the swap.
     */
    void follow(ClientDisplay now) {
        if (now == display) {
            return;
        }
        display.removeChangeListener(changed);
        display = now;
        now.addChangeListener(changed);
        refresh();
    }

    /** Follows the cursor and the mouse mode; called by the session view a few dozen times a second. */
    void tick() {
        if (emptySince != 0 && System.nanoTime() - emptySince > HEAD_OFF_NANOS) {
            emptySince = 0;
            view.headGone(this); // the guest turned this monitor off
            return;
        }
        ClientCursor c = view.viewer.cursors == null ? null : view.viewer.cursors.cursor(view.session);
        boolean client = view.clientMouseMode();
        if (client && input.grabbed()) {
            input.ungrab();
        }
        CursorShape shape = c == null ? null : c.shape();
        boolean visible = c == null || c.visible();
        Rect a = area;
        canvas.setServerCursor(!client && c != null && visible ? shape : null, c == null ? 0 : c.x() - a.x(),
                c == null ? 0 : c.y() - a.y());
        if (client && (shape != localCursorShape || visible != localCursorVisible || !localCursorClient)) {
            canvas.setCursor(!visible ? Cursors.blank() : shape != null ? Cursors.cursor(shape)
                    : java.awt.Cursor.getDefaultCursor());
        }
        localCursorShape = shape;
        localCursorVisible = visible;
        localCursorClient = client;
        releasePointer.setEnabled(input.grabbed() || input.keyboardGrabbed());
        updateTitle();
    }

    /** Shows or hides the status line (not in kiosk mode, which has none); every window's menu item follows. */
    void showStatusLine(boolean on) {
        statusLine.setSelected(on);
        boolean shown = on && !fullScreen.isSelected(); // full screen shows the guest only
        if (!view.options.kiosk() && status.isVisible() != shown) {
            status.setVisible(shown);
            statusText = null;
            revalidate();
        }
    }

    /**
     * Updates the status line: the session's channels, the round trip the main channel's connect timed and the codecs
     * of this window's live video streams; logged when it changes. Called about once a second.
     */
    void updateStatus() {
        if (!status.isVisible() || view.options.kiosk()) {
            return;
        }
        String text = StatusLine.text(view.session.channels(), view.session.roundTripNanos(),
                display.liveStreamCodecs());
        if (!text.equals(statusText)) {
            statusText = text;
            status.setText(text);
            LOG.log(Level.INFO, "status" + (view.displays() > 1 ? " (display " + nth() + ")" : "") + ": " + text);
        }
    }

    void updateTitle() {
        String base = view.options.title();
        if (base == null) {
            MainInfo m = view.session.main();
            base = (m.name() == null ? "" : m.name() + " - ") + view.session.uri() + " - SPICE";
        }
        if (view.displays() > 1) {
            base += " (display " + nth() + ")";
        }
        String release = view.options.hotkeys().label(Hotkeys.RELEASE_CURSOR);
        String t = (input.grabbed() || input.keyboardGrabbed()) && !release.isEmpty()
                ? base + " (Press " + release + " to release " + (input.grabbed() ? "pointer)" : "keyboard)") : base;
        if (!t.equals(title)) {
            title = t;
            setTitle(t);
        }
    }

    private JMenuBar menus() {
        JMenuBar bar = new JMenuBar();
        JMenu viewMenu = new JMenu("View");
        fullScreen.addActionListener(e -> setFullScreen(fullScreen.isSelected()));
        viewMenu.add(fullScreen);
        JCheckBoxMenuItem scale = new JCheckBoxMenuItem("Scale to window", canvas.fit());
        scale.addActionListener(e -> canvas.setFit(scale.isSelected()));
        viewMenu.add(scale);
        JMenuItem zoomIn = new JMenuItem("Zoom in");
        zoomIn.addActionListener(e -> zoom(canvas.zoom() * DisplayCanvas.ZOOM_STEP));
        JMenuItem zoomOut = new JMenuItem("Zoom out");
        zoomOut.addActionListener(e -> zoom(canvas.zoom() / DisplayCanvas.ZOOM_STEP));
        JMenuItem zoomReset = new JMenuItem("Normal size");
        zoomReset.addActionListener(e -> zoom(1));
        viewMenu.add(zoomIn);
        viewMenu.add(zoomOut);
        viewMenu.add(zoomReset);
        // Switchable and saved: off, the window never asks the guest for another resolution.
        JCheckBoxMenuItem resize = new JCheckBoxMenuItem("Resize guest to window", view.settings.resizeGuest());
        resize.addActionListener(e -> {
            view.settings.setResizeGuest(resize.isSelected());
            if (!resize.isSelected()) {
                resizeGuest.stop();
            }
        });
        viewMenu.add(resize);
        statusLine.setSelected(view.settings.statusLine());
        statusLine.addActionListener(e -> {
            view.settings.setStatusLine(statusLine.isSelected());
            view.showStatusLines(statusLine.isSelected());
        });
        viewMenu.add(statusLine);
        viewMenu.addSeparator();
        JMenuItem screenshot = new JMenuItem("Save screenshot...");
        screenshot.addActionListener(e -> saveScreenshot());
        viewMenu.add(screenshot);
        bar.add(viewMenu);

        JMenu send = new JMenu("Send key");
        send.add(chordItem("Ctrl+Alt+Del", UsKeyboard.DELETE));
        send.add(chordItem("Ctrl+Alt+Backspace", UsKeyboard.BACKSPACE));
        for (int i = 1; i <= 12; i++) {
            send.add(chordItem("Ctrl+Alt+F" + i, UsKeyboard.code("F" + i)));
        }
        bar.add(send);

        JMenu inputMenu = new JMenu("Input");
        releasePointer.setEnabled(false);
        String release = view.options.hotkeys().label(Hotkeys.RELEASE_CURSOR);
        if (!release.isEmpty()) {
            releasePointer.setText("Release keyboard and pointer (" + release + ")");
        }
        releasePointer.addActionListener(e -> input.releaseHotkey());
        inputMenu.add(releasePointer);
        bar.add(inputMenu);

        JMenu devices = new JMenu("Devices");
        usbMenu.addMenuListener(new javax.swing.event.MenuListener() {
            @Override
            public void menuSelected(javax.swing.event.MenuEvent e) {
                fillUsbMenu();
            }

            @Override
            public void menuDeselected(javax.swing.event.MenuEvent e) {
            }

            @Override
            public void menuCanceled(javax.swing.event.MenuEvent e) {
            }
        });
        devices.add(usbMenu);
        bar.add(devices);

        JMenu help = new JMenu("Help");
        bar.add(help);
        // Swing's menus grab the keyboard themselves and release every grab when they close: give ours up while a
        // menu is open and take it again after.
        for (int i = 0; i < bar.getMenuCount(); i++) {
            bar.getMenu(i).addMenuListener(new javax.swing.event.MenuListener() {
                @Override
                public void menuSelected(javax.swing.event.MenuEvent e) {
                    input.releaseKeyboard();
                }

                @Override
                public void menuDeselected(javax.swing.event.MenuEvent e) {
                    SwingUtilities.invokeLater(input::grabKeyboard);
                }

                @Override
                public void menuCanceled(javax.swing.event.MenuEvent e) {
                    SwingUtilities.invokeLater(input::grabKeyboard);
                }
            });
        }
        JMenuItem info = new JMenuItem("Connection info");
        info.addActionListener(e -> JOptionPane.showMessageDialog(this, connectionInfo(), "Connection info",
                JOptionPane.INFORMATION_MESSAGE));
        help.add(info);
        return bar;
    }

    /** Saves the guest's picture (its own pixels, not the scaled window) as a PNG file the user picks. */
    private void saveScreenshot() {
        java.awt.image.BufferedImage picture = canvas.snapshot();
        if (picture == null) {
            JOptionPane.showMessageDialog(this, "The guest has shown no picture yet.", "Screenshot",
                    JOptionPane.INFORMATION_MESSAGE);
            return;
        }
        JFileChooser chooser = new JFileChooser();
        chooser.setDialogTitle("Save screenshot");
        chooser.setFileFilter(new FileNameExtensionFilter("PNG images", "png"));
        chooser.setSelectedFile(new java.io.File("spice-screenshot.png"));
        if (chooser.showSaveDialog(this) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        Path file = chooser.getSelectedFile().toPath();
        if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            file = file.resolveSibling(file.getFileName() + ".png");
        }
        try {
            if (!javax.imageio.ImageIO.write(picture, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            JOptionPane.showMessageDialog(this, "Cannot save " + file + ": " + e.getMessage(), "Screenshot",
                    JOptionPane.ERROR_MESSAGE);
        }
    }

    /** Draws the guest at {@code zoom} device pixels per guest pixel, the window sized to it. */
    private void zoom(double zoom) {
        canvas.setZoom(zoom);
        if (!fullScreen.isSelected() && (getExtendedState() & MAXIMIZED_BOTH) == 0) {
            pack();
        }
    }

    /** A hotkey of {@link Hotkeys} was pressed in this window. */
    void hotkey(String action) {
        switch (action) {
            case Hotkeys.RELEASE_CURSOR -> input.releaseHotkey();
            case Hotkeys.TOGGLE_FULLSCREEN -> {
                fullScreen.setSelected(!fullScreen.isSelected());
                setFullScreen(fullScreen.isSelected());
            }
            case Hotkeys.SECURE_ATTENTION -> input.chord(UsKeyboard.LEFT_CTRL, UsKeyboard.LEFT_ALT, UsKeyboard.DELETE);
            default -> throw new IllegalArgumentException("no hotkey action " + action);
        }
    }

    private JMenuItem chordItem(String label, int key) {
        JMenuItem item = new JMenuItem(label);
        item.addActionListener(e -> input.chord(UsKeyboard.LEFT_CTRL, UsKeyboard.LEFT_ALT, key));
        return item;
    }

    /**
     * Full screen shows the guest only, as remote-viewer's does (its menu bar and status line hidden, so the guest is
     * asked for the whole screen); the toggle-fullscreen hotkey (Shift+F11 by default) leaves it.
     */
    private void setFullScreen(boolean on) {
        if (getJMenuBar() != null) {
            getJMenuBar().setVisible(!on);
            showStatusLine(view.settings.statusLine());
        }
        GraphicsDevice own = screen();
        GraphicsDevice device = on && own != null ? own : getGraphicsConfiguration().getDevice();
        if (device.isFullScreenSupported()) {
            device.setFullScreenWindow(on ? this : null);
        } else {
            setExtendedState(on ? MAXIMIZED_BOTH : NORMAL);
        }
        if (!on) {
            pack();
        }
        canvas.requestFocusInWindow();
    }

    private void fillUsbMenu() {
        usbMenu.removeAll();
        boolean usable = view.viewer.usb != null && view.session.main().channels().stream()
                .anyMatch(c -> c.type() == ChannelType.USBREDIR);
        JMenuItem cdrom = new JMenuItem("Share a CD-ROM image (ISO)...");
        cdrom.addActionListener(e -> chooseAndShare(true));
        JMenuItem disk = new JMenuItem("Share a disk image...");
        disk.addActionListener(e -> chooseAndShare(false));
        cdrom.setEnabled(usable);
        disk.setEnabled(usable);
        usbMenu.add(cdrom);
        usbMenu.add(disk);
        HostUsbDevices host = view.viewer.hostUsb;
        if (host != null) {
            usbMenu.addSeparator();
            List<HostUsbDevices.HostUsbDevice> devices = host.devices();
            if (devices.isEmpty()) {
                JMenuItem none = new JMenuItem("No USB device on this machine (or libusb cannot run)");
                none.setEnabled(false);
                usbMenu.add(none);
            }
            for (HostUsbDevices.HostUsbDevice d : devices) {
                JMenuItem item = new JMenuItem("Share " + d.identity().ids() + " " + d.description() + " (bus "
                        + d.location() + ")");
                item.setEnabled(usable);
                item.addActionListener(e -> {
                    try {
                        share(host.open(d));
                    } catch (IOException ex) {
                        JOptionPane.showMessageDialog(this, "Cannot open " + d.description() + ": "
                                + ex.getMessage(), "USB", JOptionPane.ERROR_MESSAGE);
                    }
                });
                usbMenu.add(item);
            }
        }
        Map<Integer, UsbSharing.SharedDevice> shared = view.usbShared();
        if (!shared.isEmpty()) {
            usbMenu.addSeparator();
        }
        for (Map.Entry<Integer, UsbSharing.SharedDevice> s : shared.entrySet()) {
            UsbSharing.SharedDevice d = s.getValue();
            String state = d.configured().isDone() && !d.configured().isCompletedExceptionally() ? "in use by the guest"
                    : d.connected().isDone() ? "offered" : "connecting";
            JMenuItem item = new JMenuItem("Remove " + d.device().describe() + " (usbredir:" + s.getKey() + ", "
                    + state + ")");
            item.addActionListener(e -> d.remove());
            usbMenu.add(item);
        }
    }

    private void chooseAndShare(boolean cdrom) {
        JFileChooser chooser = new JFileChooser();
        chooser.setDialogTitle(cdrom ? "Share a CD-ROM image over USB" : "Share a disk image over USB");
        JCheckBox readOnly = new JCheckBox("Read-only", true);
        if (cdrom) {
            chooser.setFileFilter(new FileNameExtensionFilter("ISO images", "iso"));
        } else {
            chooser.setAccessory(readOnly);
        }
        if (chooser.showOpenDialog(this) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        Path file = chooser.getSelectedFile().toPath();
        UsbDevice device;
        try {
            device = cdrom ? MassStorage.cdrom(file) : MassStorage.disk(file, readOnly.isSelected());
        } catch (IOException e) {
            JOptionPane.showMessageDialog(this, "Cannot open " + file + ": " + e.getMessage(), "USB",
                    JOptionPane.ERROR_MESSAGE);
            return;
        }
        share(device);
    }

    private void share(UsbDevice device) {
        try {
            view.shareUsb(device);
        } catch (IllegalStateException e) {
            if (device instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the message below is what matters
                }
            }
            JOptionPane.showMessageDialog(this, e.getMessage(), "USB", JOptionPane.ERROR_MESSAGE);
        }
    }

    private String connectionInfo() {
        SpiceUri u = view.session.uri();
        MainInfo m = view.session.main();
        StringBuilder b = new StringBuilder();
        b.append("Host: ").append(u.host()).append('\n');
        b.append("Port: ").append(u.port() > 0 ? Integer.toString(u.port()) : "none").append('\n');
        b.append("TLS port: ").append(u.tlsPort() > 0 ? Integer.toString(u.tlsPort()) : "none").append('\n');
        if (m.name() != null) {
            b.append("Session: ").append(m.name()).append('\n');
        }
        b.append("Mouse mode: ").append(m.currentMouseMode() == MainMessages.MOUSE_MODE_CLIENT ? "client"
                : "server").append('\n');
        b.append("Channels:");
        for (LinkedChannel c : view.session.channels()) {
            b.append("\n  ").append(ChannelType.name(c.type())).append(':').append(c.id())
                    .append(c.secure() ? " (TLS)" : " (plain)");
        }
        return b.toString();
    }
}
