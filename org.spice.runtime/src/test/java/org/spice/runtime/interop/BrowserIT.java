package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.spice.desktop.UsKeyboard;

/**
 * Debian's Chromium, headed under Xvfb, opens the page of {@code ./spice server --source image:X.png} on its
 * {@code --websocket} address (the launcher at
 * {@code /}, then Debian's spice-html5 connecting back over WebSocket, each channel its own): an X screenshot shows the
 * lossless picture pixel for pixel (found by searching the screenshot for it; only the canvas border spice-html5's
 * style sheet draws over the picture's outermost pixels is left out), and keys typed in Chromium reach the server's
 * inputs channel as the scancodes of a US keyboard.
 */
class BrowserIT {
    private static final String SPICE_HTML5 = "/usr/share/spice-html5/spice_auto.html";
    private static final int SCREEN_WIDTH = 1280;
    private static final int SCREEN_HEIGHT = 900;
    private static final String TEXT = "Hi SPICE 42";

    @Test
    void chromiumShowsThePictureAndTypesIntoTheServer() throws IOException {
        Path dir = Peers.workDir(getClass(), "chromium");
        int webPort = Peers.freePort();
        showAndType(dir, List.of("--websocket", "127.0.0.1:" + webPort), "http://127.0.0.1:" + webPort + "/", "");
    }

    /**
     * The same over HTTPS and secure WebSocket: the server's TLS port serves the page (Chromium told to ignore that
     * the certificate's CA is a test one), spice-html5 connects back with wss:// as it does from an https page, and
     * every channel must be secure ({@code --secure-channels default}), so the picture proves each came over TLS.
     */
    @Test
    void chromiumOverHttpsAndSecureWebSocket() throws IOException {
        Path dir = Peers.workDir(getClass(), "chromium-https");
        Path certs = Certs.create(Files.createDirectories(dir.resolve("x509")));
        int tlsPort = Peers.freePort();
        showAndType(dir, List.of("--tls-port", Integer.toString(tlsPort), "--x509-dir", certs.toString(),
                "--secure-channels", "default"), "https://127.0.0.1:" + tlsPort + "/", " \\(tls\\)");
    }

    /**
     * spice-html5 answers the server's PINGs, so our silence check (a PING to a connection quiet for
     * peer.ping.seconds, closed when nothing comes back within peer.silence.seconds; 1 and 2 s here) leaves an idle
     * browser alone: after twelve seconds of nobody touching it every channel is still open, and the capture shows
     * the PINGs the server sent on the WebSocket connections (the server's frames are not masked: the SPICE mini
     * header of a PING, type 4 and 12 bytes, follows the 2-byte WebSocket header).
     */
    @Test
    void chromiumAnswersPingsAndStaysConnectedWhileIdle() throws IOException {
        Path dir = Peers.workDir(getClass(), "chromium-idle");
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        int port = Peers.freePort();
        // the listen address serves the page and SPICE over WebSocket too
        Files.writeString(deploy.resolve("org.spice.server.cfg"), "listen=127.0.0.1:" + port + "\n"
                + "peer.ping.seconds=1\npeer.silence.seconds=2\n");
        Path picture = dir.resolve("picture.png");
        int[] expected = writePicture(picture);
        try (Proc server = Spice.startServer(dir, Map.of("SPICE_DEPLOY_DIR", deploy.toString()), "--source",
                "image:" + picture);
                Capture cap = Capture.start(dir, "idle", port);
                Xvfb x = Xvfb.start(dir, SCREEN_WIDTH + "x" + SCREEN_HEIGHT + "x24");
                Proc browser = chromium(x, dir, "http://127.0.0.1:" + port + "/")) {
            server.awaitStderr("display:0 from /127\\.0\\.0\\.1:\\d+ linked", Duration.ofSeconds(60));
            awaitPicture(x, dir, browser, server, expected);
            Proc.sleep(12_000); // six times ping plus silence, nobody touching the page
            assertTrue(browser.isAlive(), browser.describe());
            Spice.assertRunning(server);
            cap.stop();
            assertFalse(server.stderr().contains("the peer is silent"), server::describe);
            // (the start-up's readiness probe closes a plain connection during the link stage: not a channel)
            assertFalse(Pattern.compile("[a-z]+:\\d+ from \\S+ closed").matcher(server.stderr()).find(),
                    "a channel of the browser closed\n" + server.describe());
            List<String> pings = cap.frames("tcp.srcport == " + port
                    + " && tcp.payload[0:2] == 82:12 && tcp.payload[2:6] == 04:00:0c:00:00:00", "tcp.dstport");
            assertTrue(pings.size() >= 10 && new java.util.HashSet<>(pings).size() >= 2,
                    "PINGs the server sent to the browser's connections: " + pings);
            awaitPicture(x, dir, browser, server, expected);
        }
    }

    /**
     * Our server with {@code serverArgs} shows a picture; Chromium opens {@code url}: the display channel links as
     * the server logs it with {@code linkedAs} after its name, the picture shows exactly and keys typed there reach
     * the server as a US keyboard's scancodes.
     */
    private static void showAndType(Path dir, List<String> serverArgs, String url, String linkedAs)
            throws IOException {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Files.writeString(deploy.resolve("org.spice.inputs.cfg"), "log.keys = true\n");
        Path picture = dir.resolve("picture.png");
        int[] expected = writePicture(picture);
        int port = Peers.freePort();
        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:" + port, "--source", "image:" + picture));
        args.addAll(serverArgs);
        try (Proc server = Spice.startServer(dir, Map.of("SPICE_DEPLOY_DIR", deploy.toString()),
                args.toArray(String[]::new));
                Xvfb x = Xvfb.start(dir, SCREEN_WIDTH + "x" + SCREEN_HEIGHT + "x24");
                Proc browser = chromium(x, dir, url, "--ignore-certificate-errors")) {
            server.awaitStderr("WebSocket from /127\\.0\\.0\\.1:\\d+ on ", Duration.ofSeconds(60));
            server.awaitStderr("display:0" + linkedAs + " from /127\\.0\\.0\\.1:\\d+ linked", Duration.ofSeconds(30));
            Point at = awaitPicture(x, dir, browser, server, expected);

            // Without a window manager the keyboard follows the pointer: a click on the canvas gives it the keys.
            xdotool(x, dir, "click", "mousemove", Integer.toString(at.x + 10), Integer.toString(at.y + 10),
                    "sleep", "0.5", "click", "1");
            xdotool(x, dir, "type", "type", "--delay", "150", TEXT);
            long keys = TEXT.length() + TEXT.chars().filter(Character::isUpperCase).count();
            server.awaitStderr("(?s)(inputs: key down .*){" + keys + "}", Duration.ofSeconds(30));
            assertEquals(expectedScancodes(), loggedScancodes(Files.readString(server.err)),
                    "key-down scancodes the server logged");
            Spice.assertRunning(server);
            assertTrue(browser.isAlive(), browser.describe());
        }
    }

    /**
     * The gateway in front of QEMU 7.2 (one client only) with {@code --websocket}: Chromium opens the gateway's page
     * on that extra address and shows SeaBIOS's boot splash (the picture QEMU shows, as GatewayIT's direct
     * spicy-screenshot finds) exactly, and Esc typed in Chromium reaches the guest: SeaBIOS opens its boot menu (its
 * 720x400 text screen), so the picture leaves the splash and the gateway gives the browser the new surface.
     */
    @Test
    void chromiumThroughTheGatewayShowsTheVmAndItsKeysReachIt() throws Exception {
        Path dir = Peers.workDir(getClass(), "gateway");
        Path bmp = dir.resolve("splash.bmp");
        ImageIO.write(QemuDisplayIT.splash(), "bmp", bmp.toFile());
        int[] splash = Pictures.read(bmp);
        Path monitor = dir.resolve("mon.sock");
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        int webPort = Peers.freePort();
        // jpeg-wan-compression=never: QEMU's default (auto) sends photo-like images as JPEG to a client its network
        // test finds slow, which the gateway's was once on a loaded machine (its picture then differed by 1 to 4 in
        // the splash's photo-like half)
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + vmPort + ",addr=127.0.0.1,disable-ticketing=on"
                + ",jpeg-wan-compression=never", List.of("-boot", "menu=on,splash=" + bmp + ",splash-time=60000",
                        "-monitor", "unix:" + monitor + ",server,nowait"), vmPort);
                Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "300"), "gateway",
                        "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port, "--websocket",
                        "127.0.0.1:" + webPort).start(dir, "gateway")) {
            gateway.awaitStdout("^gateway: showing spice://127.0.0.1:" + vmPort + " \\(1024x768\\)$",
                    Duration.ofSeconds(60));
            gateway.awaitStdout("^browsers: http://127.0.0.1:" + webPort + "/$", Duration.ofSeconds(10));
            // SeaBIOS's 60 s on the splash start again now, for the browser.
            long reset = GatewayIT.resetUntilTheGatewayShowsTheSplash(monitor, dir, splash, port, "reset");
            try (Xvfb x = Xvfb.start(dir, "1600x1200x24");
                    Proc browser = chromium(x, dir, "http://127.0.0.1:" + webPort + "/", "--window-position=0,0",
                            "--window-size=1600,1200")) {
                Point at = awaitPicture(x, dir, browser, gateway, splash);
                xdotool(x, dir, "click", "mousemove", Integer.toString(at.x + 500), Integer.toString(at.y + 700),
                        "sleep", "0.5", "click", "1");
                xdotool(x, dir, "esc", "key", "Escape");
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (find(Pictures.read(x.screenshot(dir, "x-after-esc")), splash) != null) {
                    assertTrue(System.nanoTime() < end, "Esc typed in Chromium did not change the VM's picture"
                            + " (see " + dir + ")");
                    Proc.sleep(500);
                }
                // SeaBIOS's boot menu is a 720x400 text screen: the only viewer, the browser, got the new surface.
                gateway.awaitStderr("display:0 from /127\\.0\\.0\\.1:\\d+: primary surface now 720x400 \\(was"
                        + " 1024x768\\)", Duration.ofSeconds(10));
                long seconds = Duration.ofNanos(System.nanoTime() - reset).toSeconds();
                assertTrue(seconds < 55, "the picture changed only " + seconds + " s after the VM's reset, when"
                        + " SeaBIOS may have left the splash by itself");
                assertTrue(qemu.isAlive(), qemu.describe());
                assertTrue(gateway.isAlive(), gateway.describe());
                assertTrue(browser.isAlive(), browser.describe());
            }
        }
    }

    /**
     * A lossless test picture with a gradient (photo-like, so the server's auto_glz picks QUIC for it), flat blocks
     * and one-pixel lines; returns its pixels as {@link Pictures#read} does.
     */
    private static int[] writePicture(Path file) throws IOException {
        int w = 320;
        int h = 200;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x + y) & 0xff);
                if (x >= 20 && x < 120 && y >= 20 && y < 80) {
                    rgb = 0xffff00;
                }
                if (x % 37 == 0 || y % 29 == 0) {
                    rgb = 0x102030;
                }
                img.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return Pictures.read(file);
    }

    /** Waits until the X screen holds the picture exactly; returns where its top-left pixel is. */
    private static Point awaitPicture(Xvfb x, Path dir, Proc browser, Proc server, int[] expected) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            assertTrue(browser.isAlive(), browser.describe());
            Spice.assertRunning(server);
            Point at = find(Pictures.read(x.screenshot(dir, "x-screen")), expected);
            if (at != null) {
                return at;
            }
            Proc.sleep(1000);
        }
        return fail("the X screen never showed the picture exactly within 60 s (see " + dir + "/x-screen.png)");
    }

    /**
     * Where {@code picture} appears pixel for pixel in {@code screen} (both as {@link Pictures#read} gives them), but
     * for what spice-html5's style sheet draws over the canvas: a 1-pixel black border inside the canvas's box
     * (box-sizing: border-box) and its rounded corners (radius 3 px).
     */
    static Point find(int[] screen, int[] picture) {
        int sw = screen[0];
        int sh = screen[1];
        int pw = picture[0];
        int ph = picture[1];
        int anchor = picture[2 + CORNER * pw + 1];
        for (int y = 0; y + ph <= sh; y++) {
            for (int x = 0; x + pw <= sw; x++) {
                if (screen[2 + (y + CORNER) * sw + x + 1] == anchor && matches(screen, sw, x, y, picture)) {
                    return new Point(x, y);
                }
            }
        }
        return null;
    }

    /** The rounded corners of spice-html5's canvas border cover this many pixels each way at each corner. */
    private static final int CORNER = 4;

    private static boolean matches(int[] screen, int sw, int x0, int y0, int[] picture) {
        int pw = picture[0];
        int ph = picture[1];
        for (int y = 1; y < ph - 1; y++) {
            for (int x = 1; x < pw - 1; x++) {
                boolean corner = (x < CORNER || x >= pw - CORNER) && (y < CORNER || y >= ph - CORNER);
                if (!corner && screen[2 + (y0 + y) * sw + x0 + x] != picture[2 + y * pw + x]) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> expectedScancodes() {
        List<String> expected = new ArrayList<>();
        for (char c : TEXT.toCharArray()) {
            UsKeyboard.Stroke k = UsKeyboard.stroke(c);
            if (k.shift()) {
                expected.add(String.format("0x%02x", UsKeyboard.LEFT_SHIFT));
            }
            expected.add(String.format("0x%02x", k.code()));
        }
        return expected;
    }

    private static List<String> loggedScancodes(String log) {
        Matcher m = Pattern.compile("inputs: key down (0x\\p{XDigit}{2}) \\(").matcher(log);
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            seen.add(m.group(1));
        }
        return seen;
    }

    /**
     * Debian's Chromium in kiosk mode on {@code x} opening {@code url}, with a profile of its own in {@code dir} and
     * {@code options} added; fails when Chromium or spice-html5 (which the page loads) is not installed.
     */
    private static Proc chromium(Xvfb x, Path dir, String url, String... options) {
        if (!Files.isRegularFile(Path.of(SPICE_HTML5))) {
            fail(SPICE_HTML5 + " is missing: install Debian's spice-html5 (scripts/install-peers.sh)");
        }
        List<String> args = new ArrayList<>(List.of(Path.of(Peers.binary("chromium")).getFileName().toString(),
                "--no-sandbox", "--kiosk", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("chromium-profile")));
        args.addAll(List.of(options));
        args.add(url);
        return x.run(Peers.bounded(args.get(0), args.subList(1, args.size()).toArray(String[]::new))).mergeErr()
                .start(dir, "chromium");
    }

    private static void xdotool(Xvfb x, Path dir, String name, String... args) {
        Proc.Result r = x.run(Peers.bounded("xdotool", args)).run(dir, "xdotool-" + name, Duration.ofSeconds(30));
        assertEquals(0, r.exitCode(), r.describe());
    }
}
