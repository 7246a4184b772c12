package org.spice.agent.internal.server;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.ClipboardOwner;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.StringSelection;
import java.awt.datatransfer.Transferable;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardType;
import org.spice.agent.api.ServerClipboard;

/**
 * The host's clipboard (java.awt.datatransfer), shared as text or a PNG image. AWT tells of no change of the
 * clipboard's owner, so while another program owns it the text is read every {@value #POLL_MS} ms and an image's
 * pixels compared every {@value #IMAGE_POLL_MS} ms; while this clipboard owns it (after {@link #set}) nothing is
 * read, and the owner's loss of it is what starts reading again.
 */
final class HostClipboard implements ServerClipboard, ClipboardOwner {
    private static final System.Logger LOG = System.getLogger("org.spice.agent");
    static final long POLL_MS = 300;
    static final long IMAGE_POLL_MS = 2000;

    private final Clipboard clipboard;
    private final int maxSize;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spice-host-clipboard");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private volatile ClipboardContent content;
    private volatile boolean owner;
    private long lastImageCheck;
    private int lastImageHash;
    private boolean failing;

    HostClipboard(Clipboard clipboard, int maxSize) {
        this.clipboard = clipboard;
        this.maxSize = maxSize;
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public ClipboardContent get() {
        return content;
    }

    @Override
    public void set(ClipboardContent c) {
        synchronized (lock) {
            content = c;
            try {
                Transferable t = c == null ? new StringSelection("") : transferable(c);
                owner = true;
                clipboard.setContents(t, this);
            } catch (IllegalStateException | IOException e) {
                owner = false;
                LOG.log(Level.WARNING, "cannot put " + c + " on the host clipboard: " + e.getMessage());
            }
        }
        listeners.forEach(l -> l.changed(c));
    }

    private Transferable transferable(ClipboardContent c) throws IOException {
        if (c.type() == ClipboardType.UTF8_TEXT) {
            return new StringSelection(c.text());
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.data()));
        if (img == null) {
            throw new IOException("the client's " + c.type().mimeType() + " is not an image ImageIO reads");
        }
        lastImageHash = hash(rgb(img));
        return new Transferable() {
            @Override
            public DataFlavor[] getTransferDataFlavors() {
                return new DataFlavor[] {DataFlavor.imageFlavor};
            }

            @Override
            public boolean isDataFlavorSupported(DataFlavor flavor) {
                return DataFlavor.imageFlavor.equals(flavor);
            }

            @Override
            public Object getTransferData(DataFlavor flavor) throws UnsupportedFlavorException {
                if (!isDataFlavorSupported(flavor)) {
                    throw new UnsupportedFlavorException(flavor);
                }
                return img;
            }
        };
    }

    /**
     * Another program took the clipboard (AWT tells the owner that was replaced by another owner only, so setting
     * again never calls this). AWT calls it later, from its event queue: an image read back that this clipboard set
     * itself is recognised by its pixels and not announced again.
     */
    @Override
    public void lostOwnership(Clipboard c, Transferable contents) {
        owner = false;
    }

    private void poll() {
        ClipboardContent now;
        synchronized (lock) {
            if (owner) {
                return;
            }
            try {
                now = read();
                failing = false;
            } catch (IOException | UnsupportedFlavorException | RuntimeException e) {
                if (!failing) {
                    LOG.log(Level.DEBUG, "cannot read the host clipboard: " + e);
                    failing = true;
                }
                return;
            }
            if (now == null || now.equals(content)) {
                return;
            }
            content = now;
        }
        LOG.log(Level.DEBUG, "host clipboard changed: " + now);
        for (Listener l : listeners) {
            l.changed(now);
        }
    }

    /** What the host clipboard holds as text or a new image; null when neither (or the image did not change). */
    private ClipboardContent read() throws IOException, UnsupportedFlavorException {
        if (clipboard.isDataFlavorAvailable(DataFlavor.stringFlavor)) {
            String text = (String) clipboard.getData(DataFlavor.stringFlavor);
            return text == null || text.isEmpty() ? null : ClipboardContent.text(text);
        }
        long t = System.nanoTime();
        if (clipboard.isDataFlavorAvailable(DataFlavor.imageFlavor)
                && t - lastImageCheck > TimeUnit.MILLISECONDS.toNanos(IMAGE_POLL_MS)) {
            lastImageCheck = t;
            Image img = (Image) clipboard.getData(DataFlavor.imageFlavor);
            BufferedImage b = rgb(img);
            if (b == null) {
                return null;
            }
            int hash = hash(b);
            if (hash == lastImageHash && content != null && content.type() == ClipboardType.IMAGE_PNG) {
                return null;
            }
            lastImageHash = hash;
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(b, "png", png);
            if (png.size() > maxSize) {
                LOG.log(Level.INFO, "host clipboard image of " + png.size() + " bytes not shared: over "
                        + maxSize);
                return null;
            }
            return ClipboardContent.png(png.toByteArray());
        }
        return null;
    }

    private static int hash(BufferedImage b) {
        return Arrays.hashCode(b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()));
    }

    private static BufferedImage rgb(Image img) {
        if (img == null || img.getWidth(null) <= 0 || img.getHeight(null) <= 0) {
            return null;
        }
        if (img instanceof BufferedImage b && b.getType() == BufferedImage.TYPE_INT_ARGB) {
            return b;
        }
        BufferedImage b = new BufferedImage(img.getWidth(null), img.getHeight(null), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = b.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return b;
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    void close() {
        poller.shutdownNow();
    }
}
