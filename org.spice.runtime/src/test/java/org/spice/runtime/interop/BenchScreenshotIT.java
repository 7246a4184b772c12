package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@code ./spice bench screenshot} against our server showing a 1024x768 picture: it takes the screenshot in its
 * runtime and with spicy-screenshot, prints the median and p90 of both and their ratio, finds the two clients'
 * pictures equal, and the picture it kept equals the server's pixel for pixel. A one-shot {@code ./spice screenshot}
 * (the client runtime spice-client.jar, with the script's kept framework storage and class-data archive) takes the
 * same picture twice running.
 */
class BenchScreenshotIT {
    private static final Pattern FIGURES = Pattern.compile(
            "^(ours \\(warm, in this runtime\\)|spicy-screenshot): median (\\d+) ms, p90 (\\d+) ms over 3 rounds$");

    @Test
    void benchScreenshotTimesBothClientsAndTheirPicturesAreTheServers() throws Exception {
        Path dir = Peers.workDir(BenchScreenshotIT.class, "bench");
        Path picture = dir.resolve("screen.png");
        ImageIO.write(crop(ImageIO.read(OurServerDisplayIT.desktop(dir).toFile())), "png", picture.toFile());
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--source", "image:" + picture)) {
            Path ours = dir.resolve("ours.png");
            Proc.Result bench = Spice.command(List.of(), "bench", "screenshot", "--rounds", "3", "--out",
                    ours.toString(), "--spicy-screenshot", Peers.binary("spicy-screenshot"), uri).run(dir, "bench", Duration.ofSeconds(180));
            assertEquals(0, bench.exitCode(), bench::describe);
            int figures = 0;
            for (String line : bench.lines()) {
                Matcher m = FIGURES.matcher(line);
                if (m.matches()) {
                    figures++;
                    assertTrue(Long.parseLong(m.group(2)) > 0 && Long.parseLong(m.group(3)) >= Long.parseLong(
                            m.group(2)), line);
                }
            }
            assertEquals(2, figures, bench::describe);
            assertTrue(bench.lines().stream().anyMatch(l -> l.matches(
                    "^ratio ours/spicy-screenshot: median \\d+\\.\\d\\dx, p90 \\d+\\.\\d\\dx$")), bench::describe);
            assertTrue(bench.lines().contains("pictures: equal (1024x768)"), bench::describe);
            assertEquals(0, Pictures.differing(Pictures.read(picture), Pictures.read(ours)), "our picture");

            for (int run = 0; run < 2; run++) {
                Path cold = dir.resolve("cold" + run + ".png");
                Proc.Result shot = Spice.command(List.of(), "screenshot", uri, cold.toString())
                        .run(dir, "screenshot-" + run, Duration.ofSeconds(120));
                assertEquals(0, shot.exitCode(), shot::describe);
                assertEquals(0, Pictures.differing(Pictures.read(picture), Pictures.read(cold)), "cold picture "
                        + run);
            }
            assertTrue(Files.isDirectory(Peers.root().resolve("org.spice.runtime/target/spice-client-storage")),
                    "the one-shot runs ran the client runtime and kept their framework storage beside its jar");
        }
    }

    /** The top-left 1024x768 of a picture. */
    private static BufferedImage crop(BufferedImage img) {
        BufferedImage out = new BufferedImage(1024, 768, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, 1024, 768, img.getRGB(0, 0, 1024, 768, null, 0, 1024), 0, 1024);
        return out;
    }
}
