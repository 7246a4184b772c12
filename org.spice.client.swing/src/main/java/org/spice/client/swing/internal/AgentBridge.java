package org.spice.client.swing.internal;

import java.awt.Image;
import java.awt.Toolkit;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.StringSelection;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.swing.JOptionPane;
import javax.swing.JWindow;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClientAgents;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardSelection;
import org.spice.agent.api.ClipboardType;
import org.spice.agent.api.FileTransfer;
import org.spice.agent.api.Monitor;
import org.spice.protocol.client.ClientSession;

/**
 * What the windows of one session do with the server's agent, as remote-viewer does: the local clipboard's text or
 * image (as PNG) is offered when it changes while a window has focus, and the agent's is put on the local clipboard
 * when it grabs (images within {@link ClipboardImages}' bounds); X11's PRIMARY selection likewise, text only; a
 * resized window asks for that resolution (monitors config); files dropped on a window are sent, with a progress bar
 * and a Cancel button. Without an agent (none connected, or no agent bundle) it does nothing. Used on the event
 * dispatch thread.
 */
final class AgentBridge {
    private static final System.Logger LOG = System.getLogger("org.spice.client.swing");

    private final Supplier<ClientAgents> agents;
    private final ClientSession session;
    private ClientAgent listening;
    /** The text last exchanged with the agent, either way, so that it is not offered back. */
    private String lastText;
    /** The PRIMARY selection's text last exchanged with the agent, either way. */
    private String lastPrimary;
    /** The fingerprint of the image last exchanged with the agent, either way, so that it is not offered back. */
    private String lastImage;

    /** {@code agents} gives the agent bundle's service, or null while it is not running. */
    AgentBridge(Supplier<ClientAgents> agents, ClientSession session) {
        this.agents = agents;
        this.session = session;
    }

    /** The session's agent, or null while none is connected; starts following its clipboard once there. */
    ClientAgent agent() {
        ClientAgents all = agents.get();
        ClientAgent a = all == null ? null : all.agent(session);
        if (a != null && a != listening) {
            listening = a;
            a.addListener(new ClientAgent.Listener() {
                @Override
                public void clipboardGrabbed(ClipboardSelection selection, Set<ClipboardType> types) {
                    if (selection == ClipboardSelection.PRIMARY) {
                        takePrimary(a, types);
                    } else {
                        takeClipboard(a, types);
                    }
                }
            });
        }
        return a;
    }

    /** The agent's clipboard: its text, or else its PNG image, goes on the local clipboard. */
    private void takeClipboard(ClientAgent a, Set<ClipboardType> types) {
        if (types.contains(ClipboardType.UTF8_TEXT)) {
            a.clipboard(ClipboardType.UTF8_TEXT).thenAccept(c -> SwingUtilities.invokeLater(() -> {
                if (c != null && c.text() != null) {
                    lastText = c.text();
                    localClipboard().setContents(new StringSelection(c.text()), null);
                }
            }));
        } else if (types.contains(ClipboardType.IMAGE_PNG)) {
            a.clipboard(ClipboardType.IMAGE_PNG).thenAcceptAsync(c -> {
                if (c != null && c.type() == ClipboardType.IMAGE_PNG) {
                    pasteImage(c);
                }
            });
        }
    }

    /** The agent's PRIMARY selection (text only, as X applications select text) goes on the local one. */
    private void takePrimary(ClientAgent a, Set<ClipboardType> types) {
        Clipboard local = Toolkit.getDefaultToolkit().getSystemSelection();
        if (local == null || !types.contains(ClipboardType.UTF8_TEXT)) {
            return;
        }
        a.clipboard(ClipboardSelection.PRIMARY, ClipboardType.UTF8_TEXT).thenAccept(c -> SwingUtilities
                .invokeLater(() -> {
                    if (c != null && c.text() != null) {
                        lastPrimary = c.text();
                        local.setContents(new StringSelection(c.text()), null);
                    }
                }));
    }

    /**
     * The local clipboard's text or image, if it changed, becomes the client's clipboard; the local PRIMARY
     * selection's text (X11 only), if it changed, the client's PRIMARY.
     */
    void offerLocalClipboard() {
        ClientAgent a = agent();
        if (a == null) {
            return;
        }
        offerPrimary(a);
        try {
            Clipboard c = localClipboard();
            if (c.isDataFlavorAvailable(DataFlavor.stringFlavor)) {
                String text = (String) c.getData(DataFlavor.stringFlavor);
                if (text != null && !text.equals(lastText)) {
                    lastText = text;
                    a.setClipboard(ClipboardContent.text(text));
                }
            } else if (c.isDataFlavorAvailable(DataFlavor.imageFlavor)) {
                offerImage(a, (Image) c.getData(DataFlavor.imageFlavor));
            }
        } catch (IllegalStateException | IOException | java.awt.datatransfer.UnsupportedFlavorException e) {
            LOG.log(Level.DEBUG, () -> "local clipboard not readable now: " + e);
        }
    }

    private void offerPrimary(ClientAgent a) {
        Clipboard local = Toolkit.getDefaultToolkit().getSystemSelection();
        if (local == null) {
            return;
        }
        try {
            if (local.isDataFlavorAvailable(DataFlavor.stringFlavor)) {
                String text = (String) local.getData(DataFlavor.stringFlavor);
                if (text != null && !text.equals(lastPrimary)) {
                    lastPrimary = text;
                    a.setClipboard(ClipboardSelection.PRIMARY, ClipboardContent.text(text));
                }
            }
        } catch (IllegalStateException | IOException | java.awt.datatransfer.UnsupportedFlavorException e) {
            LOG.log(Level.DEBUG, () -> "local PRIMARY selection not readable now: " + e);
        }
    }

    private void offerImage(ClientAgent a, Image image) {
        if (image == null || image.getWidth(null) <= 0 || image.getHeight(null) <= 0) {
            return;
        }
        if (image.getWidth(null) > ClipboardImages.MAX_SIDE || image.getHeight(null) > ClipboardImages.MAX_SIDE) {
            String size = image.getWidth(null) + "x" + image.getHeight(null);
            if (!size.equals(lastImage)) {
                lastImage = size;
                LOG.log(Level.WARNING, "not offering the local clipboard's image of " + size + " to the agent: over "
                        + ClipboardImages.MAX_SIDE + "x" + ClipboardImages.MAX_SIDE);
            }
            return;
        }
        String fingerprint = ClipboardImages.fingerprint(image);
        if (fingerprint.equals(lastImage)) {
            return;
        }
        lastImage = fingerprint;
        try {
            byte[] png = ClipboardImages.encode(image);
            a.setClipboard(ClipboardContent.png(png));
            LOG.log(Level.INFO, "offered the local clipboard's image (" + image.getWidth(null) + "x"
                    + image.getHeight(null) + ", " + png.length + " bytes of PNG) to the agent");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "not offering the local clipboard's image to the agent: " + e.getMessage());
        }
    }

    /** Decodes the agent's PNG (off the event thread: it can be large) and puts the image on the local clipboard. */
    private void pasteImage(ClipboardContent png) {
        BufferedImage image;
        try {
            image = ClipboardImages.decode(png.data());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "not taking the agent's clipboard image: " + e.getMessage());
            return;
        }
        String fingerprint = ClipboardImages.fingerprint(image);
        SwingUtilities.invokeLater(() -> {
            lastImage = fingerprint;
            localClipboard().setContents(new ClipboardImages.Selection(image), null);
            LOG.log(Level.INFO, "took the agent's clipboard image (" + image.getWidth() + "x" + image.getHeight()
                    + ", " + png.size() + " bytes of PNG)");
        });
    }

    /** The most monitors ClientAgent.setMonitors takes (the agent codec's MAX_MONITORS). */
    static final int MAX_MONITORS = 256;

    /** Asks the agent for these monitors (index N being display N; 0x0 a disabled one). */
    void requestMonitors(List<Monitor> monitors) {
        ClientAgent a = agent();
        if (a == null || monitors.isEmpty()) {
            return;
        }
        String wanted = monitors.stream().map(m -> m.width() + "x" + m.height() + "+" + m.x() + "+" + m.y())
                .toList().toString();
        LOG.log(Level.INFO, "asking the agent for " + wanted);
        if (monitors.size() > MAX_MONITORS) {
            LOG.log(Level.WARNING, "not asking the agent for " + monitors.size() + " monitors (display numbers past "
                    + (MAX_MONITORS - 1) + "; the agent takes " + MAX_MONITORS + ")");
            return;
        }
        a.setMonitors(monitors).whenComplete((ok, e) -> {
            if (e != null || !Boolean.TRUE.equals(ok)) {
                LOG.log(Level.WARNING, "the agent did not take " + wanted + (e != null ? ": " + e.getMessage() : ""));
            }
        });
    }

    boolean canSendFiles() {
        return agent() != null;
    }

    /** Sends each file to the agent, showing its progress at the bottom of {@code owner} while it goes. */
    void sendFiles(java.awt.Window owner, List<File> files) {
        ClientAgent a = agent();
        if (a == null) {
            return;
        }
        for (File f : files) {
            FileTransfer t;
            try {
                t = a.sendFile(f.toPath());
            } catch (IOException | RuntimeException e) {
                JOptionPane.showMessageDialog(owner, f.getName() + ": " + e.getMessage(), "File not sent",
                        JOptionPane.WARNING_MESSAGE);
                continue;
            }
            showProgress(owner, t);
        }
    }

    /** How long a transfer's outcome stays shown. */
    private static final int OUTCOME_MS = 3000;

    /**
     * Shows the transfer's progress with a Cancel button at the bottom of {@code owner}, then its outcome for a
     * moment; a failure also in a message.
     */
    private static void showProgress(java.awt.Window owner, FileTransfer t) {
        TransferProgress progress = new TransferProgress(t);
        JWindow w = new JWindow(owner);
        w.add(progress);
        int height = Math.max(28, progress.getPreferredSize().height);
        w.setSize(Math.min(480, owner.getWidth()), height);
        w.setLocation(owner.getX(), owner.getY() + owner.getHeight() - height);
        w.setVisible(true);
        Timer poll = new Timer(100, null);
        poll.addActionListener(e -> {
            TransferProgress.Outcome outcome = progress.refresh();
            if (outcome == TransferProgress.Outcome.SENDING) {
                return;
            }
            poll.stop();
            Timer close = new Timer(OUTCOME_MS, x -> w.dispose());
            close.setRepeats(false);
            close.start();
            switch (outcome) {
                case SENT -> LOG.log(Level.INFO, "sent " + t.name() + " (" + t.size() + " bytes) to the agent");
                case CANCELLED -> LOG.log(Level.INFO, "cancelled sending " + t.name() + " after " + t.sent() + " of "
                        + t.size() + " bytes");
                default -> {
                    LOG.log(Level.WARNING, "did not send " + t.name() + ": " + progress.failure());
                    JOptionPane.showMessageDialog(owner, progress.failure(), "File not sent",
                            JOptionPane.WARNING_MESSAGE);
                }
            }
        });
        poll.start();
    }

    private static Clipboard localClipboard() {
        return Toolkit.getDefaultToolkit().getSystemClipboard();
    }
}
