package org.spice.desktop.sources.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Rect;

/** The demo desktop's heads: from the monitors key, and as a client's monitors config places them. */
class DemoHeadsTest {
    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void monitorsTwoIsTwoDefaultSizedHeadsSideBySide() throws Exception {
        DemoSource demo = new DemoSource();
        try {
            demo.monitors(Heads.configured(Map.of("monitors", "2")));
            waitFor(() -> demo.frame().width() == 2 * DemoSource.WIDTH, "the demo did not widen");
            assertEquals(DemoSource.HEIGHT, demo.frame().height());
            assertEquals(List.of(new Rect(0, 0, DemoSource.WIDTH, DemoSource.HEIGHT),
                    new Rect(DemoSource.WIDTH, 0, DemoSource.WIDTH, DemoSource.HEIGHT)), demo.heads());
            // a resize to one size keeps two heads, splitting it
            assertTrue(demo.resize(1600, 600));
            waitFor(() -> demo.frame().width() == 1600, "the demo did not resize");
            assertEquals(List.of(new Rect(0, 0, 800, 600), new Rect(800, 0, 800, 600)), demo.heads());
            // back to one head when the configuration says so
            demo.monitors(Heads.configured(Map.of()));
            waitFor(() -> demo.heads().size() == 1, "one head again");
            assertEquals(List.of(new Rect(0, 0, DemoSource.WIDTH, DemoSource.HEIGHT)), demo.heads());
        } finally {
            demo.close();
        }
    }

    /** A sparse layout (a gap between the monitors, one lower): the picture holds their union, each head its area. */
    @Test
    void aClientsSparseLayoutBecomesTheHeads() throws Exception {
        DemoSource demo = new DemoSource();
        try {
            List<Rect> sparse = List.of(new Rect(0, 0, 800, 600), new Rect(900, 100, 640, 480));
            assertTrue(demo.resize(sparse));
            waitFor(() -> demo.frame().width() == 1540 && demo.frame().height() == 600, "the union's size");
            assertEquals(sparse, demo.heads());
        } finally {
            demo.close();
        }
    }

    @Test
    void layoutsOutOfRangeAreRefused() {
        DemoSource demo = new DemoSource();
        try {
            Rect ok = new Rect(0, 0, 800, 600);
            assertFalse(demo.resize(List.of()), "no head");
            assertFalse(demo.resize(List.of(ok, new Rect(800, 0, 0, 600))), "an empty head");
            assertFalse(demo.resize(List.of(new Rect(-10, 0, 800, 600))), "left of the desktop");
            assertFalse(demo.resize(List.of(ok, new Rect(4000, 0, 800, 600))), "past the largest side");
            assertFalse(demo.resize(java.util.Collections.nCopies(Heads.MAX + 1, ok)), "too many heads");
            assertFalse(demo.resize(List.of(new Rect(0, 0, 100, 100))), "too small");
            assertEquals(List.of(new Rect(0, 0, DemoSource.WIDTH, DemoSource.HEIGHT)), demo.heads());
            assertThrows(IllegalArgumentException.class, () -> Heads.configured(Map.of("monitors", "17")));
            assertThrows(IllegalArgumentException.class, () -> Heads.configured(Map.of("monitors", "two")));
            assertEquals(3, Heads.configured(Map.of("monitors", 3)));
        } finally {
            demo.close();
        }
    }

    @Test
    void columnsShareTheWidthInWholePixels() {
        assertEquals(List.of(new Rect(0, 0, 333, 10), new Rect(333, 0, 333, 10), new Rect(666, 0, 334, 10)),
                Heads.columns(1000, 10, 3));
    }
}
