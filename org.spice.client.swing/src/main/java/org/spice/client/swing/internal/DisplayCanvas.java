package org.spice.client.swing.internal;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GraphicsConfiguration;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import javax.swing.JComponent;
import org.spice.cursor.api.CursorShape;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;

/**
 * Paints a display's primary surface in device pixels, centred on black: one guest pixel to one screen pixel at any
 * desktop scale (with {@code sun.java2d.uiScale} or {@code GDK_SCALE} at 2 Swing draws everything twice as large;
 * the guest is drawn past that scale, not blurred by it), times the zoom, or scaled to fit the component keeping
 * its aspect ratio. In the server mouse mode it also paints the server's cursor, which then has no local pointer.
 */
final class DisplayCanvas extends JComponent {
    /** Each zoom step multiplies or divides by this. */
    static final double ZOOM_STEP = 1.25;

    private BufferedImage image;
    private boolean fit = true;
    private double zoom = 1;
    private BufferedImage cursor;
    private int cursorX;
    private int cursorY;

    DisplayCanvas() {
        setOpaque(true);
        setFocusable(true);
        // Tab and Shift+Tab go to the guest, not to Swing's focus traversal.
        setFocusTraversalKeysEnabled(false);
        // Keys go to the guest as physical keys: a local input method must not take dead keys and compose
        // sequences for itself.
        enableInputMethods(false);
    }

    /**
     * Shows the part {@code area} of {@code f} (a head of the surface, within it); true when its size differs from
     * the previous picture's.
     */
    boolean show(Frame f, Rect area) {
        boolean resized = image == null || image.getWidth() != area.width() || image.getHeight() != area.height();
        if (resized) {
            image = new BufferedImage(area.width(), area.height(), BufferedImage.TYPE_INT_RGB);
            // The window packs to the new size at once: without this its layout still holds the old preferred size
            // until something else invalidates it, and the window would keep the previous resolution's size.
            revalidate();
        }
        int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int row = 0; row < area.height(); row++) {
            System.arraycopy(f.rgb(), (area.y() + row) * f.width() + area.x(), px, row * area.width(), area.width());
        }
        repaint();
        return resized;
    }

    /** A copy of the guest's picture as shown now, or null before the first one. */
    BufferedImage snapshot() {
        if (image == null) {
            return null;
        }
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        copy.setData(image.getRaster());
        return copy;
    }

    /** Whether the picture is scaled to fit the component ("Scale to window"); otherwise it is drawn at the zoom. */
    void setFit(boolean fit) {
        this.fit = fit;
        revalidate();
        repaint();
    }

    boolean fit() {
        return fit;
    }

    /** Sets the zoom (1: one guest pixel per device pixel), between 1/8 and 8. */
    void setZoom(double zoom) {
        this.zoom = Math.max(0.125, Math.min(8, zoom));
        revalidate();
        repaint();
    }

    double zoom() {
        return zoom;
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

    /** Device pixels per user-space unit: the desktop scale (2 with {@code sun.java2d.uiScale=2}). */
    double deviceScale() {
        GraphicsConfiguration gc = getGraphicsConfiguration();
        double s = gc == null ? 1 : gc.getDefaultTransform().getScaleX();
        return s > 0 ? s : 1;
    }

    /** The size that shows the picture at the zoom in device pixels, in user-space units. */
    @Override
    public Dimension getPreferredSize() {
        if (image == null) {
            return new Dimension(640, 480);
        }
        double s = deviceScale();
        return new Dimension((int) Math.ceil(image.getWidth() * zoom / s), (int) Math.ceil(image.getHeight() * zoom / s));
    }

    /** The component's size in device pixels. */
    private double deviceWidth() {
        return getWidth() * deviceScale();
    }

    private double deviceHeight() {
        return getHeight() * deviceScale();
    }

    /** Device pixels per surface pixel. */
    double factor() {
        if (image == null) {
            return 1;
        }
        if (!fit) {
            return zoom;
        }
        double f = Math.min(deviceWidth() / image.getWidth(), deviceHeight() / image.getHeight());
        return f > 0 ? f : 1;
    }

    /** Where the picture starts, in device pixels from the component's corner. */
    private int offsetX(double f) {
        return Math.max(0, (int) Math.floor((deviceWidth() - image.getWidth() * f) / 2));
    }

    private int offsetY(double f) {
        return Math.max(0, (int) Math.floor((deviceHeight() - image.getHeight() * f) / 2));
    }

    @Override
    protected void paintComponent(Graphics g) {
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, getWidth(), getHeight());
        if (image == null) {
            return;
        }
        Graphics2D g2 = (Graphics2D) g.create();
        try {
            // Device space at this component's corner: no desktop scale between the picture and the screen.
            AffineTransform t = g2.getTransform();
            g2.setTransform(new AffineTransform(1, 0, 0, 1, Math.round(t.getTranslateX()),
                    Math.round(t.getTranslateY())));
            double f = factor();
            int ox = offsetX(f);
            int oy = offsetY(f);
            if (f == 1) {
                g2.drawImage(image, ox, oy, null);
            } else {
                g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, f == Math.rint(f)
                        ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                        : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
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

    /** The surface pixel under component point {@code x,y} (user space, as mouse events give it), or null outside. */
    Point toSurface(double x, double y) {
        if (image == null) {
            return null;
        }
        double s = deviceScale();
        double f = factor();
        int sx = (int) Math.floor((x * s - offsetX(f)) / f);
        int sy = (int) Math.floor((y * s - offsetY(f)) / f);
        return sx >= 0 && sy >= 0 && sx < image.getWidth() && sy < image.getHeight() ? new Point(sx, sy) : null;
    }

    /** The picture's size in device pixels as drawn now, for the guest's resolution to follow: null without one. */
    Dimension deviceSize() {
        return image == null ? null : new Dimension((int) Math.floor(deviceWidth()), (int) Math.floor(deviceHeight()));
    }
}
