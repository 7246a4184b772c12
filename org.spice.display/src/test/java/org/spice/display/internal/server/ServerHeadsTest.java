package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Rect;
import org.spice.display.internal.wire.DisplayMessages.Head;

/** The heads the server's MONITORS_CONFIG lists for a source's areas. */
class ServerHeadsTest {
    @Test
    void twoSideBySideAreasAreTwoHeadsOfSurfaceZero() {
        assertEquals(List.of(new Head(0, 0, 1024, 768, 0, 0, 0), new Head(1, 0, 1024, 768, 1024, 0, 0)),
                DisplayServerChannel.heads(List.of(new Rect(0, 0, 1024, 768), new Rect(1024, 0, 1024, 768)), 2048,
                        768));
    }

    /** A source's areas reaching past the surface (it changed size since) are clamped; empty ones are left out. */
    @Test
    void areasAreClampedToTheSurfaceAndEmptyOnesLeftOut() {
        assertEquals(List.of(new Head(0, 0, 100, 50, 0, 0, 0), new Head(1, 0, 20, 50, 100, 0, 0)),
                DisplayServerChannel.heads(List.of(new Rect(0, 0, 100, 50), new Rect(500, 0, 10, 10),
                        new Rect(100, 0, 100, 100)), 120, 50));
        assertEquals(List.of(new Head(0, 0, 120, 50, 0, 0, 0)), DisplayServerChannel.heads(List.of(), 120, 50),
                "no area: the whole surface");
    }
}
