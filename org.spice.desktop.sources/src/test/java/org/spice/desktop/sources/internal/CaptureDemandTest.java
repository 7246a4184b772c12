package org.spice.desktop.sources.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the screen source captures: at wanted ticks, and once after skipped ones when a client asks. */
class CaptureDemandTest {
    @Test
    void aSkippedTickIsMadeUpOnceWhenAClientAsks() {
        CaptureDemand d = new CaptureDemand();
        assertFalse(d.asked(), "nothing skipped yet: an ask captures nothing");
        assertTrue(d.tick(true));
        assertFalse(d.asked(), "the tick captured: nothing owed");
        assertFalse(d.tick(false));
        assertFalse(d.tick(false));
        assertTrue(d.asked(), "two ticks skipped: one capture now");
        assertFalse(d.asked(), "and only one");
        assertFalse(d.tick(false));
        assertTrue(d.tick(true), "a wanted tick captures");
        assertFalse(d.asked(), "and pays what was owed");
    }
}
