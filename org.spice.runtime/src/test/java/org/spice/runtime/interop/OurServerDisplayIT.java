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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * spice-gtk decodes what our server sends, for each of our image-compression settings: {@code spicy-screenshot}
 * of {@code ./spice server --source image:X.png --image-compression C} equals X.png pixel for pixel, for a
 * photo-like and a desktop-like 1920x1080 picture; our own screenshot, taken at the same time on the same server
 * session, does too. A tshark capture of each server shows the image types the setting calls for (SpiceImageType:
 * 0 bitmap, 1 QUIC, 101 LZ_RGB, 102 GLZ_RGB) and no malformed frame. With jpeg-compression always the photo
 * goes as JPEG (105), close to the picture at both clients, and the desktop stays exact.
 *
 * <p>Two servers, one a picture, serve the whole class; each setting reconfigures them through the
 * org.spice.display.cfg in their deploy directories (as a user may), and the four clients run at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OurServerDisplayIT {
    static final int BITMAP = 0;
    static final int QUIC = 1;
    static final int LZ_RGB = 101;
    static final int GLZ_RGB = 102;
    static final int JPEG = 105;

    /** The image types each setting sends, for the photo and for the desktop. */
    static final Map<String, List<Set<Integer>>> EXPECTED = Map.of(
            "off", List.of(Set.of(BITMAP), Set.of(BITMAP)),
            "quic", List.of(Set.of(QUIC), Set.of(QUIC)),
            "lz", List.of(Set.of(LZ_RGB), Set.of(LZ_RGB)),
            "glz", List.of(Set.of(GLZ_RGB), Set.of(GLZ_RGB)),
            "auto_lz", List.of(Set.of(QUIC), Set.of(LZ_RGB)),
            "auto_glz", List.of(Set.of(QUIC), Set.of(GLZ_RGB)));

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

    /**
     * One picture's server, for the whole class: configured by an org.spice.display.cfg in its own deploy
     * directory, which each setting rewrites (FileInstall then restarts the display with the new setting).
     */
    private static final class Served {
        final Path picture;
        final String name;
        final Path dir;
        final Path deploy;
        final int port = Peers.freePort();
        Proc server;
        String compression;

        Served(Path root, Path picture) {
            this.picture = picture;
            this.name = picture.getFileName().toString().replace(".png", "");
            this.dir = root.resolve(name);
            this.deploy = dir.resolve("deploy");
        }

        /** {@code setting} is an image-compression, or one and a jpeg-compression: "auto_glz jpeg=always". */
        void writeConfig(String setting) {
            String[] words = setting.split(" jpeg=");
            try {
                Files.createDirectories(deploy);
                Path part = deploy.resolve("org.spice.display.cfg.part");
                Files.writeString(part, "source=image:" + picture + "\nimage.compression=" + words[0]
                        + "\njpeg.compression=" + (words.length > 1 ? words[1] : "never") + "\nstreaming.video=off\n");
                Files.move(part, deploy.resolve("org.spice.display.cfg"), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void start(String setting) {
            writeConfig(setting);
            compression = setting;
            server = Spice.startServer(dir, Map.of("SPICE_DEPLOY_DIR", deploy.toString()), Duration.ofMinutes(15),
                    "--listen", "127.0.0.1:" + port);
        }

        /** Rewrites the configuration and waits until the display offered to new clients has it. */
        void configure(String setting) {
            if (setting.equals(compression)) {
                return;
            }
            long before = offers();
            writeConfig(setting);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (offers() <= before) {
                Spice.assertRunning(server);
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + ": the display was not offered again with " + setting
                            + " within 30 s\n" + server.describe());
                }
                Proc.sleep(100);
            }
            compression = setting;
        }

        private long offers() {
            return server.stderr().lines().filter(l -> l.contains("channel display offered to new clients")).count();
        }
    }

    private List<Served> served;

    @BeforeAll
    void startServers() {
        Path root = Peers.workDir(getClass(), "servers");
        Path pictures = root.resolve("pictures");
        try {
            Files.createDirectories(pictures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        served = List.of(new Served(root, photo(pictures)), new Served(root, desktop(pictures)));
        // both start at once
        List<CompletableFuture<Void>> starting = served.stream()
                .map(s -> CompletableFuture.runAsync(() -> s.start("off"))).toList();
        starting.forEach(CompletableFuture::join);
    }

    @AfterAll
    void stopServers() {
        if (served != null) {
            served.stream().filter(s -> s.server != null).forEach(s -> s.server.close());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "quic", "lz", "glz", "auto_lz", "auto_glz"})
    void eachPictureArrivesExactlyAtSpiceGtkAndAtOurClientAtOnce(String compression) {
        Path root = Peers.workDir(getClass(), compression);
        takeScreenshots(root, compression, (i, s, cap) -> {
            String what = s.name + " with " + compression;
            int[] expected = Pictures.read(s.picture);
            assertEquals(0, Pictures.differing(expected, Pictures.read(spicyFile(root, s))),
                    what + ": spicy-screenshot differs (see " + root + ")");
            assertEquals(0, Pictures.differing(expected, Pictures.read(ourFile(root, s))),
                    what + ": our screenshot differs (see " + root + ")");
            assertEquals(EXPECTED.get(compression).get(i), imageTypes(cap), what + ": image types on the wire");
        });
    }

    /**
     * With jpeg-compression always (and auto_glz), the photo goes as JPEG: spice-gtk and our client both show it
     * close to the picture (JPEG is lossy, and the two decoders round differently), while the desktop stays GLZ
     * and exact.
     */
    @org.junit.jupiter.api.Test
    void withJpegAllowedThePhotoGoesAsJpegAndTheDesktopStaysExact() {
        String setting = "auto_glz jpeg=always";
        Path root = Peers.workDir(getClass(), "auto_glz-jpeg");
        takeScreenshots(root, setting, (i, s, cap) -> {
            int[] expected = Pictures.read(s.picture);
            int[] spicy = Pictures.read(spicyFile(root, s));
            int[] ours = Pictures.read(ourFile(root, s));
            if (i == 0) {
                assertEquals(Set.of(JPEG), imageTypes(cap), "photo: image types on the wire");
                assertTrue(psnr(expected, spicy) > 30, "spicy-screenshot: " + psnr(expected, spicy) + " dB");
                assertTrue(psnr(expected, ours) > 30, "our screenshot: " + psnr(expected, ours) + " dB");
                assertTrue(psnr(spicy, ours) > 35, "spice-gtk and ours: " + psnr(spicy, ours) + " dB");
            } else {
                assertEquals(Set.of(GLZ_RGB), imageTypes(cap), "desktop: image types on the wire");
                assertEquals(0, Pictures.differing(expected, spicy), "desktop: spicy-screenshot differs");
                assertEquals(0, Pictures.differing(expected, ours), "desktop: our screenshot differs");
            }
        });
    }

    interface Check {
        void check(int index, Served served, Capture capture);
    }

    /**
     * Configures both servers, captures their traffic while spicy-screenshot and our screenshot take a picture
     * of each at the same time (four clients at once), then runs {@code check} for each server and makes sure the
     * capture holds no malformed frame.
     */
    private void takeScreenshots(Path root, String setting, Check check) {
        served.forEach(s -> s.configure(setting));
        List<Capture> captures = new ArrayList<>();
        List<Proc> clients = new ArrayList<>();
        try {
            List<CompletableFuture<Capture>> starting = served.stream()
                    .map(s -> CompletableFuture.supplyAsync(() -> Capture.start(root, s.name, s.port))).toList();
            starting.forEach(f -> captures.add(f.join()));
            for (Served s : served) {
                clients.add(Proc.of(Peers.bounded("spicy-screenshot", "-h", "127.0.0.1", "-p",
                        Integer.toString(s.port), "-o", spicyFile(root, s).toString())).start(root, s.name + "-spicy"));
                clients.add(Spice.command(List.of(), "screenshot", "spice://127.0.0.1:" + s.port,
                        ourFile(root, s).toString()).start(root, s.name + "-ours"));
            }
            for (Proc c : clients) {
                assertEquals(0, c.awaitExit(Duration.ofSeconds(120)), c::describe);
            }
            for (int i = 0; i < served.size(); i++) {
                Served s = served.get(i);
                Spice.assertRunning(s.server);
                Capture cap = captures.get(i).stop();
                check.check(i, s, cap);
                assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed && tcp.srcport==" + s.port)),
                        s.name + " with " + setting + ": malformed SPICE frames");
            }
        } finally {
            clients.forEach(Proc::close);
            captures.forEach(Capture::close);
        }
    }

    /** PSNR in dB of two pictures as {@link Pictures#read} gives them. */
    static double psnr(int[] a, int[] b) {
        assertEquals(Pictures.size(a), Pictures.size(b), "picture sizes");
        double se = 0;
        for (int i = 2; i < a.length; i++) {
            for (int shift = 0; shift < 24; shift += 8) {
                int d = ((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff);
                se += d * d;
            }
        }
        double mse = se / (3.0 * (a.length - 2));
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255 * 255 / mse);
    }

    private static Path spicyFile(Path root, Served s) {
        return root.resolve(s.name + "-spicy.ppm");
    }

    private static Path ourFile(Path root, Served s) {
        return root.resolve(s.name + "-ours.png");
    }

    /** The SpiceImageType of every image our server sent in the capture. */
    static Set<Integer> imageTypes(Capture cap) {
        List<String> lines = cap.frames("spice.image_type", "spice.image_type");
        Set<Integer> types = new TreeSet<>();
        for (String line : lines) {
            for (String t : line.split(",")) {
                if (!t.isBlank()) {
                    types.add(Integer.decode(t.trim()));
                }
            }
        }
        return types;
    }
}
