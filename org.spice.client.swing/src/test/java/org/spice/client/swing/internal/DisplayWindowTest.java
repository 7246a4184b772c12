package org.spice.client.swing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Rect;

/** Which part of the surface a head's window shows, and when the head is gone. */
class DisplayWindowTest {
    private static final List<Rect> SIDE_BY_SIDE = List.of(new Rect(0, 0, 1024, 768), new Rect(1024, 0, 1024, 768));

    @Test
    void eachHeadShowsItsPartOfTheSurface() {
        assertEquals(new Rect(0, 0, 1024, 768), DisplayWindow.headArea(SIDE_BY_SIDE, 0, 2048, 768));
        assertEquals(new Rect(1024, 0, 1024, 768), DisplayWindow.headArea(SIDE_BY_SIDE, 1, 2048, 768));
        assertEquals(new Rect(1024, 0, 476, 768), DisplayWindow.headArea(SIDE_BY_SIDE, 1, 1500, 768),
                "a head larger than the surface shows what there is");
    }

    /**
     * Our server resized for two full-screen windows sends the new 1024x768 surface first and the heads that place
     * both on it 20 ms later: in between head 1 lies outside the surface (the display channel then reports it empty),
     * and its window must stay (OurServerMonitorsIT lost display 1's window there: closed, then opened as a new one).
     */
    @Test
    void aHeadOutsideANewSurfaceWaitsForTheMonitorsConfig() {
        Rect a = DisplayWindow.headArea(SIDE_BY_SIDE, 1, 1024, 730);
        assertTrue(a != null && a.isEmpty(), String.valueOf(a));
    }

    @Test
    void aHeadTheMonitorsConfigNoLongerHasIsGoneAnEmptyOneWaits() {
        assertNull(DisplayWindow.headArea(List.of(new Rect(0, 0, 800, 600)), 1, 800, 600), "no such head");
        assertNull(DisplayWindow.headArea(List.of(), 0, 800, 600), "no heads yet");
        Rect disabled = DisplayWindow.headArea(List.of(new Rect(0, 0, 800, 600), new Rect(0, 0, 0, 0)), 1, 800, 600);
        assertTrue(disabled != null && disabled.isEmpty(), "a disabled head closes its window only if it stays so");
    }
}
