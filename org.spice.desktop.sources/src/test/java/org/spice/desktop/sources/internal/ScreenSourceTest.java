package org.spice.desktop.sources.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.spice.desktop.Rect;

/** The screen source's parts that need no display: its spec and the tile comparison of two captures. */
class ScreenSourceTest {
    @Test
    void specNamesTheFrameRate() {
        assertEquals(ScreenSource.DEFAULT_FPS, ScreenSource.fps("screen"));
        assertEquals(25, ScreenSource.fps("screen:fps=25"));
        assertThrows(IllegalArgumentException.class, () -> ScreenSource.fps("screen:fps=0"));
        assertThrows(IllegalArgumentException.class, () -> ScreenSource.fps("screen:fps=61"));
        assertThrows(IllegalArgumentException.class, () -> ScreenSource.fps("screen:30"));
    }

    @Test
    void equalCapturesChangeNothing() {
        int[] a = new int[100 * 70];
        assertNull(ScreenSource.changed(a, a.clone(), 100, 70, 32));
    }

    @Test
    void theChangedTilesBoundTheDirtyRectangle() {
        int w = 100;
        int h = 70;
        int[] a = new int[w * h];
        int[] b = a.clone();
        b[5 * w + 40] = 1; // tile (1, 0)
        assertEquals(new Rect(32, 0, 32, 32), ScreenSource.changed(a, b, w, h, 32));
        b[69 * w + 99] = 1; // tile (3, 2): the last, cut by the screen's edges
        assertEquals(new Rect(32, 0, 68, 70), ScreenSource.changed(a, b, w, h, 32));
        int[] c = a.clone();
        c[40 * w] = 7; // tile (0, 1) only
        assertEquals(new Rect(0, 32, 32, 32), ScreenSource.changed(a, c, w, h, 32));
    }
}
