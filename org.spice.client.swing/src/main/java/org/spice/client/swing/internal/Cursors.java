package org.spice.client.swing.internal;

import java.awt.Cursor;
import java.awt.Dimension;
import java.awt.Point;
import java.awt.Toolkit;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.WeakHashMap;
import org.spice.cursor.api.CursorShape;

/** Cursor shapes as images and as AWT cursors, made once per shape. */
final class Cursors {
    private static final Map<CursorShape, BufferedImage> IMAGES = new WeakHashMap<>();
    private static final Map<CursorShape, Cursor> CURSORS = new WeakHashMap<>();
    private static Cursor blank;

    private Cursors() {
    }

    static BufferedImage image(CursorShape s) {
        return IMAGES.computeIfAbsent(s, k -> {
            BufferedImage img = new BufferedImage(Math.max(1, k.width()), Math.max(1, k.height()),
                    BufferedImage.TYPE_INT_ARGB);
            img.setRGB(0, 0, k.width(), k.height(), k.argb(), 0, k.width());
            return img;
        });
    }

    /** The local pointer for the server's cursor shape (client mouse mode). */
    static Cursor cursor(CursorShape s) {
        return CURSORS.computeIfAbsent(s, k -> {
            Toolkit tk = Toolkit.getDefaultToolkit();
            Dimension best = tk.getBestCursorSize(k.width(), k.height());
            BufferedImage img = image(k);
            if (best.width > 0 && best.height > 0 && (best.width != k.width() || best.height != k.height())) {
                // AWT scales an image of another size; padding keeps the shape and its hot spot as they are.
                BufferedImage padded = new BufferedImage(Math.max(best.width, k.width()),
                        Math.max(best.height, k.height()), BufferedImage.TYPE_INT_ARGB);
                padded.getGraphics().drawImage(img, 0, 0, null);
                img = padded;
            }
            Point hot = new Point(Math.min(k.hotX(), img.getWidth() - 1), Math.min(k.hotY(), img.getHeight() - 1));
            return tk.createCustomCursor(img, hot, "spice");
        });
    }

    /** An invisible pointer: the server hides its cursor, or the pointer is grabbed. */
    static Cursor blank() {
        if (blank == null) {
            blank = Toolkit.getDefaultToolkit().createCustomCursor(
                    new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB), new Point(0, 0), "blank");
        }
        return blank;
    }
}
