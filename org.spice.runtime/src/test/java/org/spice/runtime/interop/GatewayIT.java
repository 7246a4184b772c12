package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@code ./spice gateway} in front of QEMU 7.2, which takes one client only (no SPICE_DEBUG_ALLOW_MC): QEMU shows a
 * still SeaBIOS boot splash (nothing blinks, unlike its text screen), and a direct spicy-screenshot of it is taken
 * before the gateway attaches. Through the gateway, remote-viewer under Xvfb, spicy-screenshot and our screenshot
 * all show that picture pixel for pixel at the same time. remote-viewer, connected first, controls the VM: a
 * watcher's Esc ({@code ./spice send-keys}) leaves the splash as it is, remote-viewer's Esc opens SeaBIOS's boot
 * menu, which every viewer then sees.
 */
class GatewayIT {
    private static final int SCREEN_WIDTH = 1600;
    /**
     * SeaBIOS leaves its splash after splash-time (60 s, near QEMU's 65.5 s limit) whatever the keys: the picture
     * must change from remote-viewer's Esc well before, or the change would prove nothing. Each phase starts with a
     * reset of the VM (HMP system_reset), which shows the splash afresh.
     */
    private static final Duration SPLASH_BUDGET = Duration.ofSeconds(55);

    @Test
    void viewersAtOnceSeeTheVmExactlyAndOnlyTheControllersKeysReachIt() throws Exception {
        Path dir = Peers.workDir(getClass(), "viewers");
        Path bmp = dir.resolve("splash.bmp");
        ImageIO.write(QemuDisplayIT.splash(), "bmp", bmp.toFile());
        Path monitor = dir.resolve("mon.sock");
        int vmPort = Peers.freePort();
        int vmTlsPort = Peers.freePort();
        int port = Peers.freePort();
        int tlsPort = Peers.freePort();
        Path certs = Certs.create(dir.resolve("x509"));
        String ca = certs.resolve("ca-cert.pem").toString();
        // The VM wants TLS for its inputs and cursor (spicy-screenshot's direct picture needs main and display only),
        // so the gateway reaches it over TLS too: the controller's keys below reach the VM only so.
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + vmPort + ",tls-port=" + vmTlsPort + ",addr=127.0.0.1"
                + ",disable-ticketing=on,x509-dir=" + certs + ",tls-channel=inputs,tls-channel=cursor"
                // lossless to the gateway whatever QEMU's network test finds (BrowserIT says why)
                + ",jpeg-wan-compression=never",
                List.of("-boot", "menu=on,splash=" + bmp + ",splash-time=60000", "-monitor", "unix:" + monitor
                        + ",server,nowait"), vmPort, vmTlsPort)) {
            int[] direct = stableSpicyScreenshot(dir, vmPort);
            assertEquals("1024x768", Pictures.size(direct), "the direct screenshot is not the splash");
            assertEquals(0, Pictures.differing(direct, Pictures.read(bmp)), "the direct screenshot is the splash");

            String target = "spice://127.0.0.1:" + vmPort + "?tls-port=" + vmTlsPort;
            try (Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "300"), "gateway",
                    "--target", target, "--target-ca-file", ca, "--listen", "127.0.0.1:" + port,
                    "--tls-port", Integer.toString(tlsPort), "--x509-dir", certs.toString(), "--control", "first")
                    .start(dir, "gateway");
                    Xvfb x = Xvfb.start(dir, SCREEN_WIDTH + "x1200x24")) {
                gateway.awaitStdout("^gateway: showing " + java.util.regex.Pattern.quote(target)
                        + " \\(1024x768\\)$", Duration.ofSeconds(60));
                gateway.awaitStdout("^SPICE server listening on spice://127.0.0.1:" + port + "$", Duration.ofSeconds(10));
                String uri = "spice://127.0.0.1:" + port;
                // The splash's 60 s start again, for the viewers (the gateway stays connected through the reset).
                resetUntilTheGatewayShowsTheSplash(monitor, dir, direct, port, "reset-1");
                try (Proc viewer = x.run(Peers.bounded("remote-viewer", uri)).mergeErr().start(dir, "remote-viewer")) {
                    // remote-viewer connects first, so it controls; then two screenshots run beside it at once.
                    Point origin = locate(x, dir, viewer, direct, Duration.ofSeconds(40));
                    CompletableFuture<int[]> spicy = CompletableFuture.supplyAsync(() -> spicyScreenshot(dir, port,
                            "via-spicy"));
                    CompletableFuture<int[]> ours = CompletableFuture.supplyAsync(() -> ourScreenshot(dir, uri,
                            "via-ours"));
                    CompletableFuture<int[]> oursTls = CompletableFuture.supplyAsync(() -> ourScreenshot(dir,
                            "spice+tls://127.0.0.1:" + tlsPort, "via-ours-tls", "--ca-file", ca));
                    assertEquals(0, Pictures.differing(spicy.join(), direct),
                            "spicy-screenshot through the gateway differs from the direct one (see " + dir + ")");
                    assertEquals(0, Pictures.differing(ours.join(), direct),
                            "our screenshot through the gateway differs from the direct one (see " + dir + ")");
                    assertEquals(0, Pictures.differing(oursTls.join(), direct), "our screenshot through the"
                            + " gateway's TLS port differs from the direct one (see " + dir + ")");
                    gateway.awaitStderr("main:0 \\(tls\\) from /127\\.0\\.0\\.1:\\d+ linked", Duration.ofSeconds(5));
                    assertEquals(origin, locate(x, dir, viewer, direct, Duration.ofSeconds(5)),
                            "remote-viewer's picture moved or changed while the others took theirs");

                    // Keys, within a fresh splash: a watcher's Esc does not reach the VM, the controller's does.
                    long reset = resetUntilTheGatewayShowsTheSplash(monitor, dir, direct, port, "reset-2");
                    assertEquals(origin, locate(x, dir, viewer, direct, Duration.ofSeconds(30)),
                            "remote-viewer does not show the splash again after the VM's reset");
                    Proc.Result watcher = Spice.command(List.of(), "send-keys", uri, "ESC")
                            .run(dir, "watcher-send-keys", Duration.ofSeconds(60));
                    assertEquals(0, watcher.exitCode(), watcher::describe);
                    gateway.awaitStderr("gateway: viewer 0x\\p{XDigit}+ watches \\(control first: viewer 0x\\p{XDigit}+"
                            + " controls\\); its input is not sent to the VM", Duration.ofSeconds(10));
                    Proc.sleep(1500);
                    assertTrue(at(Pictures.read(x.screenshot(dir, "x-after-watcher")), direct, origin.x, origin.y),
                            "the watcher's Esc changed the VM's picture (see " + dir + ")");

                    xdotool(x, dir, "focus", "mousemove", Integer.toString(origin.x + 1000),
                            Integer.toString(origin.y + 760), "click", "1");
                    xdotool(x, dir, "esc", "key", "Escape");
                    int[] menu = awaitChange(x, dir, origin, direct, Duration.ofSeconds(20));
                    long seconds = Duration.ofNanos(System.nanoTime() - reset).toSeconds();
                    assertTrue(seconds < SPLASH_BUDGET.toSeconds(), "the picture changed only " + seconds
                            + " s after the VM's reset, when SeaBIOS may have left the splash by itself");
                    assertTrue(Pictures.nonBlack(menu) > 0, "remote-viewer shows a black picture after Esc");
                    int[] oursMenu = ourScreenshot(dir, uri, "after-controller");
                    assertTrue(Pictures.differing(oursMenu, direct) != 0,
                            "our client through the gateway still shows the splash after the controller's Esc");
                    assertTrue(viewer.isAlive(), viewer.describe());
                    assertTrue(qemu.isAlive(), qemu.describe());
                    assertTrue(gateway.isAlive(), gateway.describe());
                }
            }
        }
    }

    /**
     * The gateway in front of our own server, whose 440 Hz tone plays at a quarter of full volume (the volume its
     * clients apply: -15 dBFS rms becomes -27): two viewers listening through the gateway at once both hear the tone
     * at that level, so it is the relayed tone and not the gateway runtime's own demo tone (-15 dBFS).
     */
    @Test
    void everyViewerHearsTheVmsSound() throws Exception {
        Path dir = Peers.workDir(getClass(), "sound");
        Path deploy = java.nio.file.Files.createDirectories(dir.resolve("upstream-deploy"));
        java.nio.file.Files.writeString(deploy.resolve("org.spice.playback.cfg"), "volume = 16384\n");
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        try (Proc vm = Spice.startServer(dir, java.util.Map.of("SPICE_DEPLOY_DIR", deploy.toString()), "--listen",
                "127.0.0.1:" + vmPort);
                Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "240"), "gateway",
                        "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port)
                        .start(dir, "gateway")) {
            gateway.awaitStdout("^SPICE server listening on spice://127.0.0.1:" + port + "$", Duration.ofSeconds(60));
            gateway.awaitStderr("gateway: the VM's sound is played to every viewer", Duration.ofSeconds(20));
            List<CompletableFuture<Proc.Result>> listeners = new java.util.ArrayList<>();
            for (String name : List.of("listen-1", "listen-2")) {
                Path wav = dir.resolve(name + ".wav");
                listeners.add(CompletableFuture.supplyAsync(() -> Spice.command(List.of(), "listen", "--timeout", "60",
                        "--seconds", "8", "--audio-out", wav.toString(), "spice://127.0.0.1:" + port)
                        .run(dir, name, Duration.ofSeconds(90))));
            }
            java.util.regex.Pattern heard = java.util.regex.Pattern.compile(
                    "playback: wrote .*: (\\d+\\.\\d+) s, (\\d+\\.\\d) Hz, (-?\\d+\\.\\d) dBFS rms");
            double longest = 0;
            for (CompletableFuture<Proc.Result> l : listeners) {
                Proc.Result r = l.join();
                assertEquals(0, r.exitCode(), r::describe);
                java.util.regex.Matcher m = heard.matcher(r.stdout());
                assertTrue(m.find(), () -> "no sound written\n" + r.describe());
                double seconds = Double.parseDouble(m.group(1));
                double hz = Double.parseDouble(m.group(2));
                double dbfs = Double.parseDouble(m.group(3));
                // -27 dBFS rms while it plays; the silence before the first sound and in gaps lowers the average.
                assertTrue(dbfs > -32 && dbfs < -25, () -> "not the VM's tone at a quarter volume (-27 dBFS rms),"
                        + " nor the gateway's own tone (-15)\n" + r.describe());
                // A loaded machine makes the server skip frames after stalls, and the gaps count as crossings: the
                // frequency is judged on a second of sound or more.
                if (seconds >= 1) {
                    assertTrue(Math.abs(hz - 440) < 30, () -> "not the 440 Hz tone\n" + r.describe());
                }
                longest = Math.max(longest, seconds);
            }
            assertTrue(longest >= 1, "no listener got a second of sound in 8 s");
            assertTrue(vm.isAlive(), vm.describe());
        }
    }

    /** spicy-screenshot until two in a row agree (the first picture can still be on its way). */
    /**
     * Resets the VM (SeaBIOS shows its splash for 60 s from a reset; the gateway stays connected) until the gateway
     * passes the splash on: the VM itself shows it (HMP screendump), then a spicy-screenshot through the gateway
     * equals it. A client that stays connected through a reset does not always get the whole new picture from QEMU
     * 7.2: remote-viewer kept the top of the screen black after one reset in fifteen, as our gateway's
     * upstream client did (seen while GatewayLoadIT was written), so a test goes on only from a picture that came whole.
     * Returns when the last reset was made (System.nanoTime()): SeaBIOS's 60 s count from there.
     */
    static long resetUntilTheGatewayShowsTheSplash(Path monitor, Path dir, int[] splash, int port, String name) {
        for (int attempt = 1; ; attempt++) {
            Hmp.run(monitor, "system_reset");
            long reset = System.nanoTime();
            Path vm = dir.resolve(name + "-" + attempt + "-vm.ppm");
            for (long end = System.nanoTime() + Duration.ofSeconds(30).toNanos(); ; ) {
                Proc.sleep(500);
                Hmp.run(monitor, "screendump " + vm);
                int[] shown = Files.exists(vm) ? Pictures.read(vm) : null;
                if (shown != null && Pictures.size(shown).equals(Pictures.size(splash))
                        && Pictures.differing(splash, shown) == 0) {
                    break;
                }
                assertTrue(System.nanoTime() < end, "the VM did not show its splash after " + name + " (" + vm + ")");
            }
            Proc.sleep(1000); // the gateway passes the reset's pictures on
            int[] through = GatewayIT.spicyScreenshot(dir, port, name + "-" + attempt + "-gateway");
            if (Pictures.size(through).equals(Pictures.size(splash)) && Pictures.differing(splash, through) == 0) {
                return reset;
            }
            System.out.printf("interop: gateway: after %s (attempt %d) the gateway's picture is not the"
                    + " VM's; resetting again%n", name, attempt);
            assertTrue(attempt < 4, "after " + attempt + " resets the gateway's picture was never the VM's splash ("
                    + dir + ")");
        }
    }

    /**
     * Two direct spicy-screenshots alike of the splash's size: right after QEMU starts, two can be alike of the VGA's
     * 640x480 before SeaBIOS draws (seen once in a fresh-clone run).
     */
    private static int[] stableSpicyScreenshot(Path dir, int port) {
        int[] last = null;
        for (int i = 1; i <= 10; i++) {
            int[] now = spicyScreenshot(dir, port, "direct-" + i);
            if (last != null && Pictures.differing(last, now) == 0 && "1024x768".equals(Pictures.size(now))) {
                return now;
            }
            last = now;
            Proc.sleep(300);
        }
        return fail("ten direct spicy-screenshots in a row, no two alike of 1024x768 (see " + dir + ")");
    }

    static int[] spicyScreenshot(Path dir, int port, String name) {
        Path out = dir.resolve(name + ".ppm");
        Proc.Result r = Proc.of(Peers.bounded("spicy-screenshot", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-o", out.toString())).run(dir, name, Duration.ofSeconds(40));
        assertEquals(0, r.exitCode(), r::describe);
        return Pictures.read(out);
    }

    static int[] ourScreenshot(Path dir, String uri, String name, String... options) {
        Path out = dir.resolve(name + ".png");
        List<String> args = new java.util.ArrayList<>(List.of("screenshot"));
        args.addAll(List.of(options));
        args.addAll(List.of(uri, out.toString()));
        Proc.Result r = Spice.command(List.of(), args.toArray(String[]::new)).run(dir, name, Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r::describe);
        return Pictures.read(out);
    }

    /** Where {@code picture} shows on the X screen, once remote-viewer shows it whole. */
    static Point locate(Xvfb x, Path dir, Proc viewer, int[] picture, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            assertTrue(viewer.isAlive(), viewer.describe());
            int[] screen = Pictures.read(x.screenshot(dir, "x-viewer"));
            Point p = find(screen, picture);
            if (p != null) {
                return p;
            }
            Proc.sleep(500);
        }
        return fail("remote-viewer did not show the VM's picture, pixel for pixel, within " + timeout.toSeconds()
                + " s (see " + dir + ")");
    }

    /** The top-left corner where {@code picture} is on {@code screen} exactly, or null. */
    static Point find(int[] screen, int[] picture) {
        int sw = screen[0];
        int sh = screen[1];
        int pw = picture[0];
        int ph = picture[1];
        for (int oy = 0; oy + ph <= sh; oy++) {
            for (int ox = 0; ox + pw <= sw; ox++) {
                if (screen[2 + oy * sw + ox] == picture[2] && at(screen, picture, ox, oy)) {
                    return new Point(ox, oy);
                }
            }
        }
        return null;
    }

    private static boolean at(int[] screen, int[] picture, int ox, int oy) {
        int sw = screen[0];
        int pw = picture[0];
        for (int y = 0; y < picture[1]; y++) {
            for (int x = 0; x < pw; x++) {
                if (screen[2 + (oy + y) * sw + ox + x] != picture[2 + y * pw + x]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What remote-viewer shows at {@code origin} once it differs from {@code before}. */
    private static int[] awaitChange(Xvfb x, Path dir, Point origin, int[] before, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            int[] screen = Pictures.read(x.screenshot(dir, "x-after"));
            if (!at(screen, before, origin.x, origin.y)) {
                return crop(screen, origin, before[0], before[1]);
            }
            Proc.sleep(300);
        }
        return fail("remote-viewer's Esc did not change the VM's picture within " + timeout.toSeconds() + " s (see "
                + dir + ")");
    }

    private static int[] crop(int[] screen, Point o, int w, int h) {
        int[] out = new int[2 + w * h];
        out[0] = w;
        out[1] = h;
        for (int y = 0; y < h && o.y + y < screen[1]; y++) {
            for (int x = 0; x < w && o.x + x < screen[0]; x++) {
                out[2 + y * w + x] = screen[2 + (o.y + y) * screen[0] + o.x + x];
            }
        }
        return out;
    }

    private static void xdotool(Xvfb x, Path dir, String name, String... args) {
        Proc.Result r = x.run(Peers.bounded("xdotool", args)).run(dir, "xdotool-" + name, Duration.ofSeconds(30));
        assertEquals(0, r.exitCode(), r.describe());
    }
}
