package org.spice.desktop.sources.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;

/** The demo desktop follows a resize as a guest follows a monitors config, and refuses sizes out of range. */
class DemoResizeTest {

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    /** The background near the bottom left corner, above the task bar. */
    private static int background(DemoSource demo) {
        Frame f = demo.frame();
        return f.rgb()[(f.height() - 60) * f.width() + 10] & 0xffffff;
    }

    @Test
    void aClientsAgentTurnsTheWallpaperOffAndOnAgain() throws Exception {
        DemoSource demo = new DemoSource();
        try {
            List<Rect> dirty = new CopyOnWriteArrayList<>();
            demo.addListener((f, r) -> dirty.add(r));
            int gradient = background(demo);
            assertTrue(gradient != DemoSource.PLAIN_BACKGROUND, "the wallpaper is a gradient there");
            assertTrue(demo.disableEffects(java.util.Set.of(org.spice.desktop.DisplayEffect.WALLPAPER)));
            waitFor(() -> background(demo) == DemoSource.PLAIN_BACKGROUND, "the wallpaper stayed");
            waitFor(() -> dirty.contains(new Rect(0, 0, DemoSource.WIDTH, DemoSource.HEIGHT)),
                    "the listeners did not hear of the whole desktop");
            assertTrue(demo.disableEffects(java.util.Set.of(org.spice.desktop.DisplayEffect.ANIMATION)));
            waitFor(() -> background(demo) == gradient, "the wallpaper did not come back");
        } finally {
            demo.close();
        }
    }

    @Test
    void resizeRedrawsEverythingAtTheNewSize() throws Exception {
        DemoSource demo = new DemoSource();
        try {
            List<Frame> frames = new CopyOnWriteArrayList<>();
            List<Rect> dirty = new CopyOnWriteArrayList<>();
            demo.addListener((f, r) -> {
                if (f.width() != DemoSource.WIDTH) {
                    frames.add(f);
                    dirty.add(r);
                }
            });
            assertEquals(DemoSource.WIDTH, demo.frame().width());
            assertFalse(demo.resize(100, 100), "too small");
            assertFalse(demo.resize(5000, 800), "too large");
            assertTrue(demo.resize(800, 600));
            waitFor(() -> demo.frame().width() == 800 && demo.frame().height() == 600, "the demo did not resize");
            waitFor(() -> !frames.isEmpty(), "no listener heard of it");
            assertEquals(new Rect(0, 0, 800, 600), dirty.get(0), "the whole new frame is announced");
            // the video keeps its distance to the right edge, and plays there
            assertEquals(new Rect(800 - (DemoSource.WIDTH - DemoSource.VIDEO.x()), DemoSource.VIDEO.y(),
                    DemoSource.VIDEO.width(), DemoSource.VIDEO.height()), demo.video());
            waitFor(() -> dirty.stream().anyMatch(r -> r.equals(demo.video())), "the video does not play");
            // typing still shows in the text box at the top left
            demo.type('x');
            waitFor(() -> demo.typedText().equals("x"), "typing after a resize");
            // back to the default size: the same picture as at the start, but for the moving parts
            assertTrue(demo.resize(DemoSource.WIDTH, DemoSource.HEIGHT));
            waitFor(() -> demo.frame().width() == DemoSource.WIDTH, "back to the default size");
            Frame f = demo.frame();
            assertEquals(DemoSource.WIDTH * DemoSource.HEIGHT, f.rgb().length);
            // a tiny desktop: windows are cut off, nothing fails
            assertTrue(demo.resize(DemoSource.MIN_WIDTH, DemoSource.MIN_HEIGHT));
            waitFor(() -> demo.frame().width() == DemoSource.MIN_WIDTH, "the smallest size");
            demo.click(DemoSource.MIN_WIDTH - 1, DemoSource.MIN_HEIGHT - 1);
            waitFor(() -> demo.marker() != null, "a click at the corner");
        } finally {
            demo.close();
        }
    }
}
