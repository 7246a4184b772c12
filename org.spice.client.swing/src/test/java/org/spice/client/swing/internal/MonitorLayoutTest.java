package org.spice.client.swing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Point;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.agent.api.Monitor;

/** The agent's monitors config for a session's windows. */
class MonitorLayoutTest {
    @Test
    void windowsGoSideBySideInDisplayOrder() {
        assertEquals(List.of(new Monitor(0, 0, 800, 600), new Monitor(800, 0, 1024, 768)), MonitorLayout.of(List.of(
                new MonitorLayout.Shown(1, 1024, 768, null), new MonitorLayout.Shown(0, 800, 600, null))));
    }

    /** Display 1's window closed: its monitor is disabled, display 2 keeps its number. */
    @Test
    void aDisplayWithoutAWindowIsADisabledMonitor() {
        assertEquals(List.of(new Monitor(0, 0, 800, 600), new Monitor(0, 0, 0, 0), new Monitor(800, 0, 640, 480)),
                MonitorLayout.of(List.of(new MonitorLayout.Shown(0, 800, 600, null),
                        new MonitorLayout.Shown(2, 640, 480, null))));
    }

    /** Full screen on local screens with a gap and an offset: their positions, moved to the origin, gap kept. */
    @Test
    void fullScreenWindowsTakeTheirScreensPositions() {
        assertEquals(List.of(new Monitor(0, 200, 1280, 1024), new Monitor(1380, 0, 1920, 1080)),
                MonitorLayout.of(List.of(new MonitorLayout.Shown(0, 1280, 1024, new Point(-100, 200)),
                        new MonitorLayout.Shown(1, 1920, 1080, new Point(1280, 0)))));
    }

    @Test
    void noWindowNoMonitors() {
        assertEquals(List.of(), MonitorLayout.of(List.of()));
    }
}
