package org.spice.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code bench screenshot} reads and prints besides the timings: spicy-screenshot's PPM, the comparison, p90. */
class BenchScreenshotCommandTest {
    private static final int W = 5;
    private static final int H = 3;

    private static int rgb(int x, int y) {
        return (x * 50) << 16 | (y * 80) << 8 | (x + y) * 20;
    }

    /** A P6 picture as spice-gtk writes it, with a comment line in its header. */
    private static byte[] ppm(int w, int h, int bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("P6\n# spicy-screenshot\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < bytes / 3; i++) {
            int p = rgb(i % w, i / w);
            out.write(p >> 16);
            out.write(p >> 8 & 0xff);
            out.write(p & 0xff);
        }
        return out.toByteArray();
    }

    private static BufferedImage ours() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.setRGB(x, y, rgb(x, y));
            }
        }
        return img;
    }

    @Test
    void aPpmOfTheSamePixelsIsEqualAndOnePixelOffIsCounted(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("a.ppm"), ppm(W, H, 3 * W * H));
        BufferedImage theirs = BenchScreenshotCommand.readPpm(f);
        assertEquals("equal (5x3)", BenchScreenshotCommand.compare(ours(), theirs));
        BufferedImage off = ours();
        off.setRGB(4, 2, 0x123456);
        assertEquals("differ in 1 of 15 pixels", BenchScreenshotCommand.compare(off, theirs));
        assertEquals("differ (ours 5x3, spicy-screenshot's 4x3)", BenchScreenshotCommand.compare(ours(),
                BenchScreenshotCommand.readPpm(Files.write(dir.resolve("b.ppm"), ppm(4, H, 3 * 4 * H)))));
    }

    @Test
    void aTruncatedOrHugeOrForeignPictureIsNone(@TempDir Path dir) throws Exception {
        assertNull(BenchScreenshotCommand.readPpm(Files.write(dir.resolve("short.ppm"), ppm(W, H, 3 * W * H - 3))));
        // a header claiming more pixels than the file holds is refused before anything is allocated
        assertNull(BenchScreenshotCommand.readPpm(Files.write(dir.resolve("huge.ppm"), ppm(100_000, 100_000, 30))));
        assertNull(BenchScreenshotCommand.readPpm(Files.write(dir.resolve("p3.ppm"),
                "P3\n1 1\n255\n0 0 0\n".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("differ (spicy-screenshot's is unreadable)", BenchScreenshotCommand.compare(ours(), null));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] v = {50, 10, 40, 30, 20, 100, 90, 80, 70, 60};
        assertEquals(50, BenchScreenshotCommand.percentile(v, 50));
        assertEquals(90, BenchScreenshotCommand.percentile(v, 90));
        assertEquals(7, BenchScreenshotCommand.percentile(new long[] {7}, 90));
    }
}
