package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spice.display.api.Rect;
import org.spice.display.internal.source.DemoSource;

/**
 * {@code ./spice connect} on {@code ./spice server} (demo source) under Xvfb: at a desktop scale of 2 (Xvfb at 192
 * dpi, {@code sun.java2d.uiScale=2}) the window shows the guest one to one in screen pixels, the X screenshot's
 * region equal to our headless {@code ./spice screenshot} outside the demo's video, and a click lands on the guest
 * pixel under the pointer (the demo draws its marker there); and with View → Resize guest to window off (saved in
 * the user's GUI settings) resizing the window sends no monitors config, switched on in the menu it does.
 */
class GuiScalingIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final int TITLE_BAR_RGB = 0x2b579a;
    private static final int MARKER_RGB = 0xe02020;

    @Test
    void atDesktopScaleTwoTheGuestIsShownOneToOneAndClicksLandUnderThePointer() throws IOException {
        Path dir = Peers.workDir(getClass(), "scale2");
        int port = Peers.freePort();
        int screenW = 2560;
        String title = "spice-jvm-hidpi";
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port)) {
            // Our headless picture first: a client JVM fewer on the machine while the window runs.
            Path ours = dir.resolve("ours.png");
            Proc.Result shot = Spice.command(List.of(), "screenshot", "--timeout", "90", "spice://127.0.0.1:" + port,
                    ours.toString())
                    .run(dir, "screenshot", Duration.ofSeconds(120));
            assertEquals(0, shot.exitCode(), shot::describe);
            int[] expected = pixels(ours);
            assertEquals(DemoSource.WIDTH * DemoSource.HEIGHT, expected.length, "our screenshot's size");
            try (Xvfb x = Xvfb.start(dir, "xvfb", screenW + "x1800x24", "-dpi", "192");
                    Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                            Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--title", title,
                            "spice://127.0.0.1:" + port).env("DISPLAY", x.display)
                            .env("SPICE_JAVA_OPTS", "-Dsun.java2d.uiScale=2")
                            .env("XDG_CONFIG_HOME", dir.resolve("config").toString()).start(dir, "connect")) {
                QemuGuiIT.xdotool(x, dir, "search", "search", "--sync", "--name", "^" + title);
                server.awaitStderr("display:0 from \\S+: streaming", WAIT);
                Point first = firstTitleBarPixel(demoScene(), DemoSource.WIDTH);
                Point origin = awaitDemo(x, dir, screenW, first);
                String wrong = null;
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < end && (wrong = difference(pixels(x.screenshot(dir, "x-screen")),
                        screenW, origin, expected)) != null) {
                    Proc.sleep(500);
                }
                assertEquals(null, wrong, "the window at desktop scale 2 against ./spice screenshot (see " + dir
                        + ")");
                clickLandsUnderThePointer(x, dir, screenW, origin);
                assertTrue(gui.isAlive(), gui.describe());
            }
        }
    }

    /**
     * A click at an even screen position lands on the guest pixel under it. At scale 2 AWT reports the pointer in
     * desktop units of two screen pixels, so a click on an odd screen pixel lands on its left or upper neighbour.
     */
    private static void clickLandsUnderThePointer(Xvfb x, Path dir, int screenW, Point origin) {
        Point click = new Point(700, 600);
        QemuGuiIT.xdotool(x, dir, "click", "mousemove", Integer.toString(origin.x + click.x),
                Integer.toString(origin.y + click.y), "sleep", "0.5", "click", "1");
        Point marker = awaitMarker(x, dir, screenW, origin, click);
        assertEquals(click, marker, "where the demo drew the click, in guest pixels");
    }

    @Test
    void resizeGuestToWindowIsSwitchableAndSaved() throws IOException {
        Path dir = Peers.workDir(getClass(), "resize");
        Path settings = Files.createDirectories(dir.resolve("config/spice-jvm")).resolve("gui.properties");
        Files.writeString(settings, "resize-guest=false\n");
        int port = Peers.freePort();
        String title = "spice-jvm-resize";
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port);
                Xvfb x = Xvfb.start(dir, "xvfb", "1280x900x24");
                Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                        Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--title", title,
                        "spice://127.0.0.1:" + port).env("DISPLAY", x.display)
                        .env("XDG_CONFIG_HOME", dir.resolve("config").toString()).start(dir, "connect")) {
            String window = QemuGuiIT.xdotool(x, dir, "search", "search", "--sync", "--name", "^" + title).strip()
                    .lines().findFirst().orElseThrow();
            server.awaitStderr("display:0 from \\S+: streaming", WAIT);
            QemuGuiIT.xdotool(x, dir, "size-off", "windowsize", window, "900", "700");
            Proc.sleep(4000);
            assertFalse(Files.readString(server.err).contains("monitors config from client"),
                    "a monitors config reached the server with Resize guest to window off");

            // View (the first menu) → Resize guest to window (its sixth item)
            QemuGuiIT.xdotool(x, dir, "menu", "mousemove", "22", "10", "click", "1", "sleep", "1", "mousemove",
                    "80", "126", "click", "1", "sleep", "1");
            assertTrue(Files.readString(settings).contains("resize-guest=true"), Files.readString(settings));
            QemuGuiIT.xdotool(x, dir, "size-on", "windowsize", window, "800", "600");
            server.awaitStderr("monitors config from client \\S+: 1 monitor\\(s\\)", WAIT);
            assertTrue(gui.isAlive(), gui.describe());
        }
    }

    /** The pixels of a picture file, row by row, without the size {@link Pictures#read} puts first. */
    private static int[] pixels(Path file) {
        int[] all = Pictures.read(file);
        return java.util.Arrays.copyOfRange(all, 2, all.length);
    }

    private static int[] demoScene() {
        DemoSource demo = new DemoSource();
        try {
            return demo.frame().rgb();
        } finally {
            demo.close();
        }
    }

    private static Point awaitDemo(Xvfb x, Path dir, int screenW, Point first) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            Point p = firstTitleBarPixel(pixels(x.screenshot(dir, "x-start")), screenW);
            if (p != null) {
                return new Point(p.x - first.x, p.y - first.y);
            }
            Proc.sleep(500);
        }
        return fail("the window did not show the demo within " + WAIT.toSeconds() + " s (see " + dir + ")");
    }

    private static Point firstTitleBarPixel(int[] px, int width) {
        for (int i = 0; i < px.length; i++) {
            if ((px[i] & 0xffffff) == TITLE_BAR_RGB) {
                return new Point(i % width, i / width);
            }
        }
        return null;
    }

    /** Where the screen region at {@code origin} differs from {@code expected} outside the video, or null. */
    private static String difference(int[] screen, int screenW, Point origin, int[] expected) {
        int wrong = 0;
        Rect box = null;
        Rect v = DemoSource.VIDEO;
        for (int y = 0; y < DemoSource.HEIGHT; y++) {
            for (int xx = 0; xx < DemoSource.WIDTH; xx++) {
                if (xx >= v.x() && xx < v.right() && y >= v.y() && y < v.bottom()) {
                    continue;
                }
                if ((screen[(origin.y + y) * screenW + origin.x + xx] & 0xffffff)
                        != (expected[y * DemoSource.WIDTH + xx] & 0xffffff)) {
                    wrong++;
                    Rect p = new Rect(xx, y, 1, 1);
                    box = box == null ? p : box.union(p);
                }
            }
        }
        return wrong == 0 ? null : wrong + " pixels in " + box;
    }

    private static Point awaitMarker(Xvfb x, Path dir, int screenW, Point origin, Point click) {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int reach = 3 * DemoSource.MARKER;
        while (System.nanoTime() < end) {
            int[] px = pixels(x.screenshot(dir, "x-marker"));
            long sumX = 0;
            long sumY = 0;
            int n = 0;
            for (int y = click.y - reach; y <= click.y + reach; y++) {
                for (int xx = click.x - reach; xx <= click.x + reach; xx++) {
                    if ((px[(origin.y + y) * screenW + origin.x + xx] & 0xffffff) == MARKER_RGB) {
                        sumX += xx;
                        sumY += y;
                        n++;
                    }
                }
            }
            if (n > 0) {
                return new Point(Math.round(sumX / (float) n), Math.round(sumY / (float) n));
            }
            Proc.sleep(500);
        }
        return fail("no click marker near " + click + " within 20 s (see " + dir + ")");
    }
}
