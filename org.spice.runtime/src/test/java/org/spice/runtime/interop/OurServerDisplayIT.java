package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * spice-gtk decodes what our server sends: {@code spicy-screenshot} of {@code ./spice server --source image:X.png}
 * equals X.png pixel for pixel, for a photo-like and a desktop-like 1920x1080 picture; our own screenshot does
 * too; and both clients at the same time on one server session get the same exact picture.
 */
class OurServerDisplayIT {

    static Path photo(Path dir) {
        BufferedImage img = new BufferedImage(1920, 1080, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(11);
        for (int y = 0; y < 1080; y++) {
            for (int x = 0; x < 1920; x++) {
                double u = x / 1920.0;
                double v = y / 1080.0;
                int red = clamp((int) (120 + 90 * Math.sin(5 * u + 2 * v)) + r.nextInt(21) - 10);
                int green = clamp((int) (110 + 80 * Math.cos(3 * v - u)) + r.nextInt(21) - 10);
                int blue = clamp((int) (100 + 100 * Math.sin(7 * u * v)) + r.nextInt(21) - 10);
                img.setRGB(x, y, red << 16 | green << 8 | blue);
            }
        }
        return write(img, dir.resolve("photo.png"));
    }

    static Path desktop(Path dir) {
        BufferedImage img = new BufferedImage(1920, 1080, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(0x204060), 0, 1080, new Color(0x6090c0)));
        g.fillRect(0, 0, 1920, 1080);
        for (int i = 0; i < 6; i++) {
            int x = 80 + i * 290;
            int y = 60 + (i % 3) * 300;
            g.setColor(new Color(0xf2f2f2));
            g.fillRect(x, y, 420, 260);
            g.setColor(new Color(0x2b579a));
            g.fillRect(x, y, 420, 30);
            g.setColor(Color.BLACK);
            g.drawRect(x, y, 419, 259);
            try {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
                g.drawString("Window " + i + ": the quick brown fox jumps over the lazy dog", x + 10, y + 60);
            } catch (RuntimeException | Error noFonts) {
                // the picture is still a desktop without text
            }
        }
        g.dispose();
        return write(img, dir.resolve("desktop.png"));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static Path write(BufferedImage img, Path file) {
        try {
            ImageIO.write(img, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void photoAndDesktopArriveExactlyAtSpiceGtkAndAtOurClientAtOnce() {
        Path dir = Peers.workDir(getClass(), "images");
        for (Path picture : List.of(photo(dir), desktop(dir))) {
            String name = picture.getFileName().toString().replace(".png", "");
            int port = Peers.freePort();
            try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--source",
                    "image:" + picture)) {
                int[] expected = Pictures.read(picture);
                Path ref = dir.resolve(name + "-spicy.ppm");
                Path ours = dir.resolve(name + "-ours.png");
                // both clients at the same time on the one server session
                try (Proc spicy = Proc.of(Peers.bounded("spicy-screenshot", "-h", "127.0.0.1", "-p",
                        Integer.toString(port), "-o", ref.toString())).start(dir, name + "-spicy")) {
                    Proc.Result r = Spice.command(List.of(), "screenshot", "spice://127.0.0.1:" + port,
                            ours.toString()).run(dir, name + "-ours", Duration.ofSeconds(60));
                    assertEquals(0, r.exitCode(), r::describe);
                    assertEquals(0, spicy.awaitExit(Duration.ofSeconds(40)), spicy::describe);
                }
                assertEquals(0, Pictures.differing(expected, Pictures.read(ref)), name + ": spicy-screenshot");
                assertEquals(0, Pictures.differing(expected, Pictures.read(ours)), name + ": our screenshot");
                Spice.assertRunning(server);
            }
        }
    }
}
