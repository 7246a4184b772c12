package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./spice server --source screen} shows this host's screen: under Xvfb, with a known picture on the root
 * window, spicy-screenshot equals the picture pixel for pixel; after the root picture changes, the next screenshot
 * shows the new one. The full runtime reads the screen through X11 shared memory (org.spice.desktop.x11), the
 * minimal one, without that bundle, with AWT's Robot: both are checked. Without a display the server refuses to
 * start, as a usage error (exit 64).
 */
class ScreenSourceIT {
    static final int W = 1024;
    static final int H = 768;

    /** A desktop-like picture: flat areas, sharp edges, gradients and noise, different for each seed. */
    static Path picture(Path dir, String name, int seed) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(r.nextInt(0x1000000)));
        g.fillRect(0, 0, W, H);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(r.nextInt(0x1000000)));
            g.fillRect(r.nextInt(W - 100), r.nextInt(H - 100), 40 + r.nextInt(300), 30 + r.nextInt(200));
        }
        g.dispose();
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < W; x++) {
                img.setRGB(x, H - 128 + y, (x * 255 / W) << 16 | (y * 2) << 8 | r.nextInt(256));
            }
        }
        Path file = dir.resolve(name + ".png");
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Puts {@code picture} on the root window of {@code x}: ImageMagick's display sets it as the background (and
     * exits 1 even when it did, so its exit code says nothing); an X screenshot then shows whether it is there.
     */
    static void setRoot(Xvfb x, Path dir, Path picture) {
        String name = picture.getFileName().toString().replace(".png", "");
        Proc.Result r = x.run(List.of(Peers.binary("display"), "-window", "root", picture.toString()))
                .dir(dir).run(dir, "root-" + name, Duration.ofSeconds(30));
        // what the X server itself shows now is the picture: the test's premise
        assertEquals(0L, Pictures.differing(Pictures.read(picture), Pictures.read(x.screenshot(dir, "x-" + name))),
                () -> "Xvfb root window after\n" + r.describe());
    }

    /** spicy-screenshot until it shows {@code expected} or {@code limit} passes; the differing pixels of the last. */
    static long screenshotUntil(Path dir, int port, String name, int[] expected, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        long differing;
        int attempt = 0;
        do {
            Path shot = dir.resolve(name + "-" + attempt++ + ".ppm");
            Proc.Result r = Proc.of(Peers.bounded("spicy-screenshot", "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-o", shot.toString())).run(dir, name + "-spicy", Duration.ofSeconds(40));
            assertEquals(0, r.exitCode(), r::describe);
            differing = Pictures.differing(expected, Pictures.read(shot));
            if (differing == 0) {
                return 0;
            }
            Proc.sleep(500);
        } while (System.nanoTime() < deadline);
        return differing;
    }

    @ParameterizedTest
    @CsvSource({"spice, X11 shared memory (MIT-SHM)", "spice-minimal, AWT's Robot"})
    void spicyScreenshotShowsTheRootWindowAndFollowsItsChanges(String runtime, String readThrough) {
        Path dir = Peers.workDir(getClass(), runtime);
        Path first = picture(dir, "first", 1);
        Path second = picture(dir, "second", 2);
        try (Xvfb x = Xvfb.start(dir, W + "x" + H + "x24")) {
            int port = Peers.freePort();
            // The server first: Xvfb resets (the root window turns black again) when its last client leaves, and
            // the server stays connected while the pictures are put on the root window and checked.
            try (Proc server = Spice.startServer(dir, Map.of("DISPLAY", x.display, "SPICE_RUNTIME", runtime),
                    "--listen", "127.0.0.1:" + port, "--source", "screen:fps=5")) {
                setRoot(x, dir, first);
                // The next capture (5 a second) has the picture; a new connection gets it.
                assertEquals(0L, screenshotUntil(dir, port, "first", Pictures.read(first), Duration.ofSeconds(10)),
                        "spicy-screenshot of the screen source");
                setRoot(x, dir, second);
                assertEquals(0L, screenshotUntil(dir, port, "second", Pictures.read(second), Duration.ofSeconds(10)),
                        "spicy-screenshot after the root picture changed");
                Spice.assertRunning(server);
                // the way the pictures were read: the last way the source logged (the first frame, read before the
                // service is bound, is always Robot's)
                List<String> ways = server.stderr().lines().filter(l -> l.contains("screen source: capturing "))
                        .toList();
                assertTrue(!ways.isEmpty() && ways.get(ways.size() - 1).endsWith(" through " + readThrough),
                        () -> "the screen read through " + readThrough + "\n" + server.describe());
                assertTrue(!server.stderr().contains("cannot read the screen through")
                        && !server.stderr().contains("reading the screen through"), server::describe);
            }
        }
    }

    @Test
    void withoutADisplayTheServerRefusesToStartAsAUsageError() {
        Path dir = Peers.workDir(getClass(), "no-display");
        Proc.Result r = Spice.command(List.of(), "server", "--listen", "127.0.0.1:" + Peers.freePort(), "--source",
                "screen").unsetEnv("DISPLAY").run(dir, "no-display", Duration.ofSeconds(60));
        assertEquals(64, r.exitCode(), r::describe);
        assertTrue(r.describe().contains("--source screen: no display (DISPLAY is not set)"), r::describe);
    }
}
