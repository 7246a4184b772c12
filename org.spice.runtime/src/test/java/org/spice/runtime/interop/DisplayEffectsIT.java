package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's DISPLAY_CONFIG, both roles: remote-viewer with {@code --spice-disable-effects=wallpaper} asks our
 * server's agent for no wallpaper and the demo desktop drops its gradient for a plain background (seen by our
 * screenshot, since every client sees the one desktop); our {@code connect --disable-effects font-smooth} asks for
 * the wallpaper back (only font smoothing off), and the gradient returns. Our screenshots send no DISPLAY_CONFIG
 * (nothing to turn off), so they do not change the desktop they look at.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DisplayEffectsIT {
    /** The demo's background without wallpaper (DemoSource.PLAIN_BACKGROUND): the gradient's top colour. */
    private static final int PLAIN = 0x1f4e79;

    /** The demo desktop's background near its bottom left corner, above the task bar, in a screenshot. */
    private static int background(Path dir, int port, String name) {
        Path shot = dir.resolve(name + ".png");
        Proc.Result r = Spice.command(List.of(), "screenshot", "spice://127.0.0.1:" + port, shot.toString())
                .run(dir, name, Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r::describe);
        int[] px = Pictures.read(shot);
        int w = px[0];
        int h = px[1];
        return px[2 + (h - 60) * w + 10];
    }

    @Test
    void remoteViewerTurnsTheWallpaperOffAndOurClientOn() throws Exception {
        Path dir = Peers.workDir(getClass(), "effects");
        int port = Peers.freePort();
        List<String> bounded = List.of(Peers.binary("timeout"), "-k", "5",
                Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds()));
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port);
                Xvfb x = Xvfb.start(dir, "1280x900x24")) {
            try (Proc viewer = x.run(Peers.bounded("remote-viewer", "--spice-disable-effects=wallpaper",
                    "spice://127.0.0.1:" + port)).mergeErr().start(dir, "remote-viewer")) {
                server.awaitStderr("asks for display effects off: \\[WALLPAPER\\]; the display source follows",
                        Duration.ofSeconds(40));
                assertEquals(PLAIN, background(dir, port, "no-wallpaper"), "the wallpaper is still there");
                assertTrue(viewer.isAlive(), viewer::describe);
            }
            int before = server.stderr().length();
            try (Proc gui = Spice.command(bounded, "connect", "--disable-effects", "font-smooth",
                    "spice://127.0.0.1:" + port).env("DISPLAY", x.display).start(dir, "connect")) {
                gui.awaitStdout("^connected to ", Duration.ofSeconds(40));
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!server.stderr().substring(before).contains(
                        "asks for display effects off: [FONT_SMOOTHING]; the display source follows")) {
                    assertTrue(System.nanoTime() < end, "our client sent no display config\n" + server.describe());
                    Thread.sleep(100);
                }
                assertNotEquals(PLAIN, background(dir, port, "wallpaper-again"), "the wallpaper did not come back");
            }
            Spice.assertRunning(server);
        }
    }
}
