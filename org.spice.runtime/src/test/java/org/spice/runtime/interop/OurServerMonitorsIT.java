package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./spice server --monitors 2}: one display channel whose 2048x768 demo desktop holds two 1024x768 heads,
 * listed in its MONITORS_CONFIG. remote-viewer under Xvfb makes two displays of it (its debug log inserts display 1,
 * two windows open) and shows head 0 pixel for pixel as our {@code screenshot --monitor 0} took it; resizing its
 * second window sends a monitors config of both monitors, after which the demo's heads are those two sizes side by
 * side and {@code screenshot --monitor 1} has the new size. Our GUI opens two windows too, and resizing its second
 * window sends the agent both windows side by side, which become the server's heads. In full screen on a local X
 * display with two screens, display N fills screen N.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OurServerMonitorsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The demo's video streams once a client's first picture is out. */
    private static final java.util.regex.Pattern STREAMING = java.util.regex.Pattern.compile(
            "display:0 from \\S+: streaming");

    /** Waits until {@code p} has printed {@code pattern} more than {@code before} times. */
    private static void awaitMore(Proc p, java.util.regex.Pattern pattern, long before) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (pattern.matcher(p.stderr()).results().count() <= before) {
            assertTrue(System.nanoTime() < end, "no new /" + pattern + "/ within " + WAIT.toSeconds() + " s\n"
                    + p.describe());
            Proc.sleep(100);
        }
    }

    @Test
    void remoteViewerAndOurGuiShowTwoDisplays() {
        Path dir = Peers.workDir(getClass(), "two-heads");
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--monitors", "2");
                Xvfb x = Xvfb.start(dir, "2200x900x24")) {
            Proc.Result shot = Spice.command(List.of(), "screenshot", "--monitor", "0", uri,
                    dir.resolve("ours-0.png").toString()).run(dir, "ours-0", WAIT);
            assertEquals(0, shot.exitCode(), shot::describe);
            assertTrue(shot.stdout().contains("display 0: head 0 of display channel 0, 1024x768+0+0 of its 2048x768"
                    + " surface"), shot::describe);
            server.awaitStderr("display:0 from \\S+: 2 heads \\[1024x768\\+0\\+0, 1024x768\\+1024\\+0\\]", WAIT);
            int[] head0 = Pictures.read(dir.resolve("ours-0.png"));

            try (Proc viewer = x.run(Peers.bounded("remote-viewer", "--debug", uri)).mergeErr()
                    .start(dir, "remote-viewer")) {
                viewer.awaitStdout("Insert display 1 ", WAIT);
                List<String> windows = GuestMonitorsIT.windowsApart(x, dir, List.of("--class", "remote-viewer"), 2);
                // head 0 holds no animation: remote-viewer shows exactly what our screenshot took
                GatewayIT.locate(x, dir, viewer, head0, WAIT);
                server.awaitStderr("agent started by client", WAIT);
                String second = windows.stream().filter(w -> QemuGuiIT.xdotool(x, dir, "name-" + w, "getwindowname",
                        w).strip().endsWith("(2)")).findFirst().orElseThrow();
                QemuGuiIT.xdotool(x, dir, "resize", "windowsize", second, "900", "700");
                Matcher m = server.awaitStderr("monitors config from client \\S+: 2 monitor\\(s\\), enabled "
                        + "\\[(\\d+)x(\\d+)\\+0\\+0, (\\d+)x(\\d+)\\+(\\d+)\\+0\\]$", WAIT);
                int w1 = Integer.parseInt(m.group(3));
                int h1 = Integer.parseInt(m.group(4));
                assertTrue(w1 < 1024 && h1 < 768, "the second monitor is the resized window's display area: " + w1
                        + "x" + h1);
                assertEquals(m.group(1), m.group(5), "the second monitor sits right of the first");
                server.awaitStderr("display:0 from \\S+: 2 heads \\[" + m.group(1) + "x" + m.group(2) + "\\+0\\+0, "
                        + w1 + "x" + h1 + "\\+" + m.group(5) + "\\+0\\]", WAIT);
                assertTrue(viewer.isAlive(), viewer::describe);
            }

            Proc.Result one = Spice.command(List.of(), "screenshot", "--monitor", "1", uri,
                    dir.resolve("ours-1.png").toString()).run(dir, "ours-1", WAIT);
            assertEquals(0, one.exitCode(), one::describe);
            assertTrue(one.stdout().matches("(?s).*\ndisplay 1: head 1 of display channel 0, \\d+x\\d+\\+\\d+\\+0 of"
                    + " its \\d+x\\d+ surface\n.*"), one::describe);

            long streamsBefore = STREAMING.matcher(server.stderr()).results().count();
            try (Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                    Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--title", "T", uri)
                    .env("DISPLAY", x.display).env("XDG_CONFIG_HOME", dir.resolve("config").toString())
                    .start(dir, "connect")) {
                String second = QemuGuiIT.xdotool(x, dir, "search-gui", "search", "--sync", "--name",
                        "^T \\(display 1\\)").strip().lines().findFirst().orElseThrow();
                GuestMonitorsIT.windowsApart(x, dir, List.of("--name", "^T \\(display [01]\\)"), 2);
                awaitMore(server, STREAMING, streamsBefore); // our GUI's first picture is out
                Proc.sleep(1500);
                // resizing display 1's window sends the agent both windows, side by side (resize guest is on)
                QemuGuiIT.xdotool(x, dir, "resize-gui", "windowsize", second, "700", "500");
                Matcher m = gui.awaitStderr("asking the agent for "
                        + "\\[(\\d+)x(\\d+)\\+0\\+0, (\\d+)x(\\d+)\\+(\\d+)\\+0\\]", WAIT);
                assertEquals(m.group(1), m.group(5), "display 1 sits right of display 0");
                assertTrue(Integer.parseInt(m.group(3)) <= 700 && Integer.parseInt(m.group(4)) < 500, m.group());
                String both = "\\[" + m.group(1) + "x" + m.group(2) + "\\+0\\+0, " + m.group(3) + "x" + m.group(4)
                        + "\\+" + m.group(5) + "\\+0\\]";
                server.awaitStderr("monitors config from client \\S+: 2 monitor\\(s\\), enabled " + both, WAIT);
                server.awaitStderr("display:0 from \\S+: 2 heads " + both, WAIT);
                assertTrue(gui.isAlive(), gui::describe);
            }
            Spice.assertRunning(server);
        }
    }

    /**
     * {@code connect --full-screen} on a local X display with two screens (Xvfb's Xinerama: 1024x768 and 800x600,
     * both heads at 0,0 as Xvfb places them): display N fills local screen N, each window as large as its screen,
     * and the guest is asked for those sizes (full screen shows the guest only); the windows stay the same ones while
     * the server's surface follows (a head outside the new surface for a moment does not close its window).
     */
    @Test
    void fullScreenPutsEachDisplayOnItsOwnLocalScreen() {
        Path dir = Peers.workDir(getClass(), "full-screen");
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--monitors", "2");
                Xvfb x = Xvfb.start(dir, "xvfb", "1024x768x24", "-screen", "1", "800x600x24", "+xinerama");
                Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                        Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--full-screen", "--title",
                        "F", uri).env("DISPLAY", x.display).env("XDG_CONFIG_HOME", dir.resolve("config").toString())
                        .start(dir, "connect")) {
            java.awt.Rectangle[] screens = {new java.awt.Rectangle(0, 0, 1024, 768),
                new java.awt.Rectangle(0, 0, 800, 600)};
            String[] windows = new String[2];
            for (int n = 0; n < 2; n++) {
                String window = QemuGuiIT.xdotool(x, dir, "search-" + n, "search", "--sync", "--name",
                        "^F \\(display " + n + "\\)").strip().lines().findFirst().orElseThrow();
                windows[n] = window;
                java.awt.Rectangle frame = null;
                for (long end = System.nanoTime() + WAIT.toNanos(); System.nanoTime() < end
                        && !screens[n].equals(frame); ) {
                    Proc.sleep(250);
                    frame = QemuGuiIT.geometry(x, dir, window);
                }
                assertEquals(screens[n], frame, "display " + n + "'s window does not fill local screen " + n + "\n"
                        + gui.describe());
            }
            // full screen shows the guest only (no menu bar, no status line), so the guest is asked for whole screens
            gui.awaitStderr("asking the agent for \\[1024x768\\+0\\+0, 800x600\\+0\\+0\\]", WAIT);
            server.awaitStderr("display:0 from \\S+: 2 heads \\[1024x768\\+0\\+0, 800x600\\+0\\+0\\]", WAIT);
            Proc.sleep(1000);
            for (int n = 0; n < 2; n++) {
                assertEquals(windows[n], QemuGuiIT.xdotool(x, dir, "search-again-" + n, "search", "--name",
                        "^F \\(display " + n + "\\)").strip(), "display " + n + "'s window was replaced by another");
                assertEquals(screens[n], QemuGuiIT.geometry(x, dir, windows[n]), "display " + n + " after the resize");
            }
            assertTrue(gui.isAlive(), gui::describe);
            Spice.assertRunning(server);
        }
    }
}
