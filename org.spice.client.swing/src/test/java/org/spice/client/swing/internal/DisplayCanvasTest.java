package org.spice.client.swing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.awt.Point;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Frame;

/** Pointer positions to guest pixels through fit-to-window and zoom (desktop scale 1: no screen here). */
class DisplayCanvasTest {
    private static DisplayCanvas canvas(int width, int height) {
        DisplayCanvas c = new DisplayCanvas();
        c.show(new Frame(1024, 768, new int[1024 * 768], 1), new org.spice.desktop.Rect(0, 0, 1024, 768));
        c.setSize(width, height);
        return c;
    }

    /** A head's window shows that head's part of the surface, pixel for pixel. */
    @Test
    void aHeadShowsItsAreaOfTheSurface() {
        int[] px = new int[8 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = i;
        }
        DisplayCanvas c = new DisplayCanvas();
        c.show(new Frame(8, 2, px, 1), new org.spice.desktop.Rect(5, 0, 3, 2));
        java.awt.image.BufferedImage shown = c.snapshot();
        assertEquals(3, shown.getWidth());
        assertEquals(2, shown.getHeight());
        assertEquals(java.util.List.of(5, 6, 7, 13, 14, 15), java.util.List.of(shown.getRGB(0, 0) & 0xffffff,
                shown.getRGB(1, 0) & 0xffffff, shown.getRGB(2, 0) & 0xffffff, shown.getRGB(0, 1) & 0xffffff,
                shown.getRGB(1, 1) & 0xffffff, shown.getRGB(2, 1) & 0xffffff));
    }

    /**
     * A new guest resolution invalidates the layout around the canvas at once, so the window's pack() right after
     * it sizes to the new picture (QemuMigrationIT's window kept SeaBIOS's first 640x480 over its 720x400 prompt:
     * the window's laid-out preferred size was still the old one when it packed).
     */
    @Test
    void aNewResolutionReachesTheEnclosingLayoutAtOnce() throws Exception {
        javax.swing.SwingUtilities.invokeAndWait(() -> {
            LaidOut window = new LaidOut();
            DisplayCanvas c = new DisplayCanvas();
            window.add(c);
            c.show(new Frame(640, 480, new int[640 * 480], 1), new org.spice.desktop.Rect(0, 0, 640, 480));
            window.layOut();
            assertEquals(new Dimension(640, 480), window.getPreferredSize());
            c.show(new Frame(640, 480, new int[640 * 480], 1), new org.spice.desktop.Rect(0, 0, 640, 480));
            assertTrue(window.isValid(), "a picture of the same size leaves the layout as it is");
            c.show(new Frame(720, 400, new int[720 * 400], 1), new org.spice.desktop.Rect(0, 0, 720, 400));
            assertEquals(new Dimension(720, 400), window.getPreferredSize());
        });
    }

    /**
     * A container valid once laid out until invalidated, as a shown window is (headless, AWT counts a component
     * without a peer as never valid); while valid it keeps its preferred size as a window's layout does.
     */
    private static final class LaidOut extends javax.swing.JPanel {
        private boolean laidOut;

        LaidOut() {
            super(new java.awt.BorderLayout());
        }

        void layOut() {
            synchronized (getTreeLock()) {
                validateTree();
            }
            laidOut = true;
        }

        @Override
        public boolean isValid() {
            return laidOut;
        }

        @Override
        public void invalidate() {
            laidOut = false;
            super.invalidate();
        }
    }

    @Test
    void fitToWindowHalvesAndCentres() {
        DisplayCanvas c = canvas(512, 484); // 0.5 wide; 100 spare rows, 50 above the picture
        assertEquals(0.5, c.factor());
        assertEquals(new Point(200, 100), c.toSurface(100, 50 + 50));
        assertEquals(new Point(1023, 767), c.toSurface(511.9, 50 + 383.9));
        assertNull(c.toSurface(100, 20), "above the picture");
    }

    @Test
    void zoomWithoutFitDrawsTwoScreenPixelsPerGuestPixel() {
        DisplayCanvas c = canvas(2048, 1536);
        c.setFit(false);
        c.setZoom(2);
        assertEquals(2, c.factor());
        assertEquals(new Dimension(2048, 1536), c.getPreferredSize());
        assertEquals(new Point(350, 300), c.toSurface(700, 600));
        assertEquals(new Point(350, 300), c.toSurface(701, 601));
        c.setZoom(1);
        assertEquals(new Dimension(1024, 768), c.getPreferredSize());
        // the window packs to the preferred size; before that the picture is centred in the larger component
        assertEquals(new Point(188, 216), c.toSurface(700, 600));
        c.setSize(c.getPreferredSize());
        assertEquals(new Point(700, 600), c.toSurface(700, 600));
    }
}
