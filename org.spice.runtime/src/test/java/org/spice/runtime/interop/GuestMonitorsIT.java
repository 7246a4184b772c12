package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Point;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two displays of QEMU 7.2: two QXL devices ({@code -vga qxl -device qxl}) make display channels 0 and 1, and the
 * Linux guest's qxl DRM driver a framebuffer of each; the guest writes a known picture to fb0 and the same picture
 * with its halves swapped to fb1. {@code ./spice screenshot --monitor N} takes remote-viewer's display N:
 *
 * <ul>
 *   <li>display 0 equals spicy-screenshot's picture (spicy-screenshot takes display channel 0 only: it has no option
 *       for another) and the picture fb0 got;</li>
 *   <li>display 1 equals the picture fb1 got, and remote-viewer under Xvfb shows it pixel for pixel in a window of
 *       its own (its second window), as it shows display 0 in its first;</li>
 *   <li>display 2 does not exist: a clear error;</li>
 *   <li>our GUI ({@code ./spice connect}) opens one window per display showing each picture pixel for pixel;</li>
 *   <li>{@code ./spice gateway} in front of the same VM (it then is QEMU's one client) shows both displays as the
 *       two heads of its picture: {@code ./spice screenshot --monitor N} through it equals fbN's picture, and
 *       remote-viewer through it shows each in a window of its own.</li>
 * </ul>
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class GuestMonitorsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ROUNDS = 6;

    @Test
    void eachDisplayOfTwoQxlDevices() {
        Path dir = Peers.workDir(getClass(), "two-qxl");
        try (Guest g = Guest.test("monitors").vga("qxl").qemu("-device", "qxl").boot(dir)) {
            g.await("monitors fb1 name=qxldrmfb size=1024,768 .*", WAIT);
            g.await("monitors drawn", WAIT);
            int[] fb0 = GuestDisplayIT.frame(Guest.image().share().resolve("frame.raw"), 1024, 768);
            int[] fb1 = halvesSwapped(fb0);
            assertNotEquals(0, Pictures.differing(fb0, fb1), "the two pictures must differ");

            int[] ours0 = ourDisplay0EqualsSpiceGtksAndThePicture(g, dir, fb0);
            int[] ours1 = ourScreenshotEquals(g, dir, 1, fb1);
            Proc.Result none = Spice.command(List.of(), "screenshot", "--monitor", "2", g.uri(),
                    dir.resolve("ours-2.png").toString()).run(dir, "ours-monitor-2", WAIT);
            assertEquals(3, none.exitCode(), none::describe);
            assertTrue(none.stderr().contains("error: no display 2: the server offers display channel(s) [0, 1]"),
                    none::describe);

            try (Xvfb x = Xvfb.start(dir, "2200x900x24")) {
                // remote-viewer first (spice-server takes one client: our GUI, connecting later, replaces it)
                try (Proc viewer = x.run(Peers.bounded("remote-viewer", "--debug", g.uri())).mergeErr()
                        .start(dir, "remote-viewer")) {
                    viewer.awaitStdout("Insert display 1 ", WAIT);
                    List<String> windows = windowsApart(x, dir, List.of("--class", "remote-viewer"), 2);
                    Point p0 = GatewayIT.locate(x, dir, viewer, ours0, WAIT);
                    Point p1 = GatewayIT.locate(x, dir, viewer, ours1, WAIT);
                    assertNotEquals(p0.x / 1100, p1.x / 1100, "both pictures in one window: " + windows);
                }
                try (Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                        Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--title", "T", g.uri())
                        .env("DISPLAY", x.display).start(dir, "connect")) {
                    QemuGuiIT.xdotool(x, dir, "search-1", "search", "--sync", "--name", "^T \\(display 1\\)");
                    windowsApart(x, dir, List.of("--name", "^T \\(display [01]\\)"), 2);
                    Point p0 = GatewayIT.locate(x, dir, gui, ours0, WAIT);
                    Point p1 = GatewayIT.locate(x, dir, gui, ours1, WAIT);
                    assertNotEquals(p0.x / 1100, p1.x / 1100, "our GUI shows both pictures in one window");
                }
            }
            throughTheGateway(g, dir, fb0, fb1);
            g.send("stop");
            g.await("monitors stopped", WAIT);
        }
    }

    /**
     * The gateway in front of the VM links both display channels and shows them side by side as two heads: our
     * screenshot of each monitor through it equals the picture the guest wrote to that framebuffer, and remote-viewer
     * through it opens a window for each.
     */
    private static void throughTheGateway(Guest g, Path dir, int[] fb0, int[] fb1) {
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        try (Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "200"), "gateway",
                "--target", g.uri(), "--listen", "127.0.0.1:" + port).start(dir, "gateway")) {
            gateway.awaitStdout("^SPICE server listening on " + uri + "$", WAIT);
            gateway.awaitStderr("gateway: showing 2 head\\(s\\) in one 2048x768 picture: \\[display:0 1024x768\\+0\\+0,"
                    + " display:1 1024x768\\+1024\\+0\\]", WAIT);
            ourScreenshotEquals(uri, dir, 0, fb0, "gateway-0", "display 0: head 0 of display channel 0, 1024x768+0+0"
                    + " of its 2048x768 surface", g);
            ourScreenshotEquals(uri, dir, 1, fb1, "gateway-1", "display 1: head 1 of display channel 0,"
                    + " 1024x768+1024+0 of its 2048x768 surface", g);
            try (Xvfb x = Xvfb.start(dir, "2200x900x24");
                    Proc viewer = x.run(Peers.bounded("remote-viewer", "--debug", uri)).mergeErr()
                            .start(dir, "remote-viewer-gateway")) {
                viewer.awaitStdout("Insert display 1 ", WAIT);
                List<String> windows = windowsApart(x, dir, List.of("--class", "remote-viewer"), 2);
                Point p0 = GatewayIT.locate(x, dir, viewer, fb0, WAIT);
                Point p1 = GatewayIT.locate(x, dir, viewer, fb1, WAIT);
                assertNotEquals(p0.x / 1100, p1.x / 1100, "both pictures in one window through the gateway: "
                        + windows);
            }
            assertTrue(gateway.isAlive(), gateway.describe());
        }
    }

    /**
     * Finds {@code count} visible windows matching {@code search} (xdotool search options) and puts them side by
     * side, 1100 pixels apart (Xvfb runs no window manager: they all open at 0,0, one over the other).
     */
    static List<String> windowsApart(Xvfb x, Path dir, List<String> search, int count) {
        long end = System.nanoTime() + WAIT.toNanos();
        List<String> windows = List.of();
        while (windows.size() < count && System.nanoTime() < end) {
            List<String> args = new java.util.ArrayList<>(List.of("search", "--onlyvisible"));
            args.addAll(search);
            Proc.Result r = x.run(Peers.bounded("xdotool", args.toArray(String[]::new)))
                    .run(dir, "xdotool-search-windows", Duration.ofSeconds(30));
            windows = r.stdout().lines().filter(l -> !l.isBlank()).toList();
            if (windows.size() < count) {
                Proc.sleep(500);
            }
        }
        assertEquals(count, windows.size(), "windows matching " + search + ": " + windows);
        for (int i = 0; i < windows.size(); i++) {
            QemuGuiIT.xdotool(x, dir, "move-" + i, "windowmove", windows.get(i), Integer.toString(i * 1100), "0");
        }
        Proc.sleep(1000); // moved windows are drawn again
        return windows;
    }

    /** Rounds of spicy-screenshot and ours (display 0) until ours equals one of spice-gtk's and the picture. */
    private static int[] ourDisplay0EqualsSpiceGtksAndThePicture(Guest g, Path dir, int[] expected) {
        StringBuilder tries = new StringBuilder();
        for (int i = 1; i <= ROUNDS; i++) {
            int[] theirs = GatewayIT.spicyScreenshot(dir, g.spicePort, "spicy-" + i);
            int[] ours = ours(g.uri(), dir, 0, "ours-0-" + i, null);
            long vsSpiceGtk = Pictures.differing(ours, theirs);
            long vsPicture = Pictures.differing(ours, expected);
            tries.append(' ').append(vsSpiceGtk).append('/').append(vsPicture);
            if (vsSpiceGtk == 0 && vsPicture == 0) {
                return ours;
            }
            Proc.sleep(500);
        }
        return fail("our display 0 never equalled spicy-screenshot's and fb0's picture; differing pixels per round"
                + " (vs spice-gtk / vs picture):" + tries + " (see " + dir + ")\n" + g.describe());
    }

    private static int[] ourScreenshotEquals(Guest g, Path dir, int monitor, int[] expected) {
        return ourScreenshotEquals(g.uri(), dir, monitor, expected, "ours-" + monitor, monitor == 0 ? null
                : "display " + monitor + ": head 0 of display channel " + monitor + ", 1024x768+0+0 of its 1024x768"
                        + " surface", g);
    }

    /** Rounds of our screenshot of {@code monitor} at {@code uri} until it equals {@code expected}. */
    private static int[] ourScreenshotEquals(String uri, Path dir, int monitor, int[] expected, String name,
            String head, Guest g) {
        StringBuilder tries = new StringBuilder();
        for (int i = 1; i <= ROUNDS; i++) {
            int[] ours = ours(uri, dir, monitor, name + "-" + i, head);
            long diff = Pictures.differing(ours, expected);
            tries.append(' ').append(diff);
            if (diff == 0) {
                return ours;
            }
            Proc.sleep(500);
        }
        return fail("our display " + monitor + " at " + uri + " never equalled its picture; differing pixels per"
                + " round:" + tries
                + " (see " + dir + ")\n" + g.describe());
    }

    /** Our screenshot of {@code monitor}; {@code head}, when not null, is the line that says which head it took. */
    private static int[] ours(String uri, Path dir, int monitor, String name, String head) {
        Path out = dir.resolve(name + ".png");
        Proc.Result r = Spice.command(List.of(), "screenshot", "--monitor", Integer.toString(monitor), uri,
                out.toString()).run(dir, name, WAIT);
        assertEquals(0, r.exitCode(), r::describe);
        if (head != null) {
            assertTrue(r.stdout().contains(head), r::describe);
        }
        return Pictures.read(out);
    }

    /** The picture with its lower half first, as the guest writes it to fb1. */
    static int[] halvesSwapped(int[] p) {
        int w = p[0];
        int h = p[1];
        int[] out = p.clone();
        int half = h / 2 * w;
        System.arraycopy(p, 2 + half, out, 2, half);
        System.arraycopy(p, 2, out, 2 + half, half);
        return out;
    }
}
