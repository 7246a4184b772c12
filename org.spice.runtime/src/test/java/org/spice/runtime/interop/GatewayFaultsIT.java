package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Faults around {@code ./spice gateway} in front of QEMU: a viewer that stops reading (remote-viewer under SIGSTOP),
 * connections that send garbage, and the VM killed and started again with another picture. The gateway closes the
 * garbage connections, logs "reconnecting", shows viewers the VM's last picture dimmed under a band while it is
 * away, and then shows the new VM to the viewers that work (spicy-screenshot and
 * ours, pixel for pixel), and the stopped viewer, once it runs again, catches up with the new picture.
 */
class GatewayFaultsIT {
    private static final int SCREEN_WIDTH = 1600;

    @Test
    void stoppedAndGarbageViewersHoldNobodyUpAndTheVmComesBackAfterARestart() throws Exception {
        Path dir = Peers.workDir(getClass(), "faults");
        BufferedImage a = QemuDisplayIT.splash();
        BufferedImage b = negative(a);
        Path bmpA = dir.resolve("splash-a.bmp");
        Path bmpB = dir.resolve("splash-b.bmp");
        ImageIO.write(a, "bmp", bmpA.toFile());
        ImageIO.write(b, "bmp", bmpB.toFile());
        int[] pictureA = Pictures.read(bmpA);
        int[] pictureB = Pictures.read(bmpB);
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        String spice = "port=" + vmPort + ",addr=127.0.0.1,disable-ticketing=on";
        Proc qemu = Qemu.start(dir, "qemu-a", spice, List.of("-boot", "menu=on,splash=" + bmpA + ",splash-time=60000"),
                vmPort);
        try (Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "300"), "gateway",
                "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port,
                // the stopped viewer must outlast its stop (the VM's restart included): on a loaded machine longer
                // than the 30 to 45 s after which the gateway drops a silent viewer by default
                "--viewer-silence", "300")
                .start(dir, "gateway");
                Xvfb x = Xvfb.start(dir, SCREEN_WIDTH + "x1200x24")) {
            gateway.awaitStdout("^gateway: showing spice://127.0.0.1:" + vmPort + " \\(1024x768\\)$",
                    Duration.ofSeconds(60));
            gateway.awaitStdout("^SPICE server listening on spice://127.0.0.1:" + port + "$", Duration.ofSeconds(10));
            String uri = "spice://127.0.0.1:" + port;
            try (Proc viewer = x.run(Peers.bounded("remote-viewer", uri)).mergeErr().start(dir, "remote-viewer")) {
                Point origin = GatewayIT.locate(x, dir, viewer, pictureA, Duration.ofSeconds(40));
                viewer.signal("STOP");
                try {
                    assertClosedByGateway(port, random(4096), "random bytes");
                    assertClosedByGateway(port, hugeLink(), "a link header announcing 2 GiB");
                    gateway.awaitStderr("link refused +from /127.0.0.1:\\d+: wrong magic 0x\\p{XDigit}+ -> INVALID_MAGIC",
                            Duration.ofSeconds(5));
                    gateway.awaitStderr("link refused +from /127.0.0.1:\\d+: link message size 2147483647 outside"
                            + " 18..4096 -> INVALID_DATA", Duration.ofSeconds(5));

                    qemu.close();
                    gateway.awaitStderr("gateway: the VM's session at spice://127.0.0.1:" + vmPort
                            + " ended; reconnecting in 1 s", Duration.ofSeconds(20));
                    // Meanwhile viewers see the VM's last picture dimmed, under a band that says it is away.
                    int[] away = GatewayIT.ourScreenshot(dir, uri, "via-ours-away");
                    assertEquals(pictureA[0] + "x" + pictureA[1], away[0] + "x" + away[1], "the away picture's size");
                    int dimmed = 0;
                    for (int i = 2; i < away.length; i++) { // after width and height
                        if (away[i] == (pictureA[i] >>> 1 & 0x7f7f7f)) {
                            dimmed++;
                        }
                    }
                    int pixels = away.length - 2;
                    assertTrue(dimmed >= pixels - away[0] * 40 && dimmed < pixels, "while the VM is away " + dimmed
                            + " of " + pixels + " pixels are its last picture dimmed, the rest a band (see " + dir
                            + ")");
                    qemu = Qemu.start(dir, "qemu-b", spice, List.of("-boot", "menu=on,splash=" + bmpB
                            + ",splash-time=60000"), vmPort);
                    gateway.awaitStderr("gateway: connected to the VM at spice://127.0.0.1:" + vmPort
                            + " \\(\\d+ channels offered\\)(?s).*gateway: connected to the VM", Duration.ofSeconds(40));
                    awaitOurs(dir, uri, pictureB, Duration.ofSeconds(40));
                    int[] spicy = GatewayIT.spicyScreenshot(dir, port, "via-spicy");
                    assertEquals(0, Pictures.differing(spicy, pictureB),
                            "spicy-screenshot through the gateway does not show the restarted VM (see " + dir + ")");
                } finally {
                    viewer.signal("CONT");
                }
                // The viewer that was stopped catches up with the picture of the VM that came back.
                assertEquals(origin, GatewayIT.locate(x, dir, viewer, pictureB, Duration.ofSeconds(40)),
                        "remote-viewer moved its picture");
                assertTrue(viewer.isAlive(), viewer.describe());
                assertTrue(gateway.isAlive(), gateway.describe());
            }
        } finally {
            qemu.close();
        }
    }

    private static BufferedImage negative(BufferedImage a) {
        BufferedImage b = new BufferedImage(a.getWidth(), a.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                b.setRGB(x, y, ~a.getRGB(x, y) & 0xffffff);
            }
        }
        return b;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(18).nextBytes(b);
        return b;
    }

    /** A SPICE link header (magic REDQ, version 2.2) whose size claims 2 GiB of link message. */
    private static byte[] hugeLink() {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).put("REDQ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(2).putInt(2).putInt(0x7fffffff).array();
    }

    /** Sends {@code bytes} to the gateway and expects it to close the connection within 20 s. */
    private static void assertClosedByGateway(int port, byte[] bytes, String what) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            try {
                s.getOutputStream().write(bytes);
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                while (in.read(buf) >= 0) {
                    // whatever the gateway answers before it closes
                }
            } catch (SocketTimeoutException e) {
                fail("the gateway kept a connection that sent " + what + " open for 20 s");
            } catch (SocketException closedWhileWriting) {
                // reset by the gateway: closed
            }
        }
    }

    /** Our screenshots through the gateway until one equals {@code expected}. */
    private static void awaitOurs(Path dir, String uri, int[] expected, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        long last = -2;
        for (int i = 1; System.nanoTime() < end; i++) {
            last = Pictures.differing(GatewayIT.ourScreenshot(dir, uri, "via-ours-" + i), expected);
            if (last == 0) {
                return;
            }
            Proc.sleep(500);
        }
        fail("our screenshot through the gateway did not show the restarted VM within " + timeout.toSeconds()
                + " s; the last one differed in " + last + " pixels (see " + dir + ")");
    }
}
