package org.spice.client.swing.internal;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.Graphics;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import javax.swing.JComponent;
import org.spice.cursor.api.CursorShape;
import org.spice.desktop.Frame;

/**
 * Paints a display's primary surface, one to one or scaled to the component keeping its aspect ratio, centred on
 * black; in the server mouse mode also the server's cursor, which then has no local pointer to show it.
 */
final class DisplayCanvas extends JComponent {
    private BufferedImage image;
    private boolean scale = true;
    private BufferedImage cursor;
    private int cursorX;
    private int cursorY;

    DisplayCanvas() {
        setOpaque(true);
        setFocusable(true);
        // Tab and Shift+Tab go to the guest, not to Swing's focus traversal.
        setFocusTraversalKeysEnabled(false);
    }

    /** Shows {@code f}; true when its size differs from the previous picture's. */
    boolean show(Frame f) {
        boolean resized = image == null || image.getWidth() != f.width() || image.getHeight() != f.height();
        if (resized) {
            image = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_INT_RGB);
        }
        int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(f.rgb(), 0, px, 0, px.length);
        repaint();
        return resized;
    }

    void setScale(boolean scale) {
        this.scale = scale;
        repaint();
    }

    boolean scale() {
        return scale;
    }

    /** The server-drawn cursor at {@code x,y} of the surface, or none with a null shape. */
    void setServerCursor(CursorShape shape, int x, int y) {
        BufferedImage img = shape == null ? null : Cursors.image(shape);
        if (img != cursor || x != cursorX || y != cursorY) {
            cursor = img;
            cursorX = x - (shape == null ? 0 : shape.hotX());
            cursorY = y - (shape == null ? 0 : shape.hotY());
            repaint();
        }
    }

    @Override
    public Dimension getPreferredSize() {
        return image == null ? new Dimension(640, 480) : new Dimension(image.getWidth(), image.getHeight());
    }

    /** Scale factor from surface to component pixels. */
    private double factor() {
        if (image == null || !scale) {
            return 1;
        }
        double f = Math.min((double) getWidth() / image.getWidth(), (double) getHeight() / image.getHeight());
        return f > 0 ? f : 1;
    }

    private int offsetX(double f) {
        return Math.max(0, (int) Math.round((getWidth() - image.getWidth() * f) / 2));
    }

    private int offsetY(double f) {
        return Math.max(0, (int) Math.round((getHeight() - image.getHeight() * f) / 2));
    }

    @Override
    protected void paintComponent(Graphics g) {
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, getWidth(), getHeight());
        if (image == null) {
            return;
        }
        double f = factor();
        int ox = offsetX(f);
        int oy = offsetY(f);
        Graphics2D g2 = (Graphics2D) g.create();
        try {
            if (f == 1) {
                g2.drawImage(image, ox, oy, null);
            } else {
                g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g2.drawImage(image, ox, oy, (int) Math.round(image.getWidth() * f),
                        (int) Math.round(image.getHeight() * f), null);
            }
            if (cursor != null) {
                g2.translate(ox, oy);
                g2.scale(f, f);
                g2.drawImage(cursor, cursorX, cursorY, null);
            }
        } finally {
            g2.dispose();
        }
    }

    /** The surface pixel under component point {@code x,y}, or null outside the picture. */
    Point toSurface(int x, int y) {
        if (image == null) {
            return null;
        }
        double f = factor();
        int sx = (int) Math.floor((x - offsetX(f)) / f);
        int sy = (int) Math.floor((y - offsetY(f)) / f);
        return sx >= 0 && sy >= 0 && sx < image.getWidth() && sy < image.getHeight() ? new Point(sx, sy) : null;
    }
}
