package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Linux guest's console drawn by its kernel's DRM driver: qxl (QXL device, draws reach spice-server as QXL
 * commands) and bochs (std VGA, QEMU's display surface). The guest writes a known 1024x768 picture to /dev/fb0 in
 * one write(); {@code ./spice screenshot} equals spicy-screenshot and that picture pixel for pixel. Then the guest
 * redraws a band of the screen about 30 times a second under {@code streaming-video=all}: our screenshot still
 * completes within 10 s (it takes a picture that never goes quiet) and lists the video streams QEMU sent (MJPEG:
 * without a preference from the client, spice-server streams in the first codec of its list, MJPEG).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GuestDisplayIT {
    static final int ROUNDS = 6;

    @ParameterizedTest
    @CsvSource({"qxl, qxldrmfb", "std, bochs-drmdrmfb"})
    void consolePictureAndVideo(String vga, String driver) {
        Path dir = Peers.workDir(getClass(), vga);
        try (Guest g = Guest.test("display").vga(vga).spice("streaming-video=all").boot(dir)) {
            Matcher fb = g.await("display fb0 name=(\\S+) size=(\\S+) .*", Duration.ofSeconds(60));
            assertEquals(driver, fb.group(1), g::describe);
            g.await("display drawn frame.raw", Duration.ofSeconds(60));
            int[] expected = frame(Guest.image().share().resolve("frame.raw"), 1024, 768);
            ourScreenshotEqualsSpiceGtksAndThePicture(g, dir, expected);

            g.send("animate");
            g.await("display animating", Duration.ofSeconds(30));
            // spice-server makes a stream of an area redrawn 20 times with less than 200 ms between the redraws.
            Proc.sleep(3000);
            Path video = dir.resolve("ours-video.png");
            Proc.Result r = Spice.command(List.of(), "screenshot", g.uri(), video.toString())
                    .run(dir, "ours-video", Duration.ofSeconds(60));
            assertEquals(0, r.exitCode(), r::describe);
            // The time from the session's link to the written picture; the JVM's start before it is not the
            // screenshot's doing (and takes long on a loaded machine).
            Matcher took = Pattern.compile("(?m)^wrote .* (\\d+) ms after linking$").matcher(r.stdout());
            assertTrue(took.find(), r::describe);
            System.out.println("interop: screenshot of the animated " + vga + " screen: " + took.group(1)
                    + " ms after linking");
            assertTrue(Long.parseLong(took.group(1)) < 10_000, r::describe);
            Matcher streams = Pattern.compile("(?m)^streams: (MJPEG x\\d+.*)$").matcher(r.stdout());
            assertTrue(streams.find(), () -> "no MJPEG stream listed\n" + r.describe());
            int[] shot = Pictures.read(video);
            assertEquals("1024x768", Pictures.size(shot), r::describe);
            // Outside the animated band (lines 192..255) the picture is still the drawn one.
            assertEquals(0, differingOutside(shot, expected, 192, 256), "pixels changed outside the animated band");
            g.send("stop");
            g.await("display stopped", Duration.ofSeconds(30));
        }
    }

    /**
     * Takes spicy-screenshot and ours in turn until ours equals one of spice-gtk's and the drawn picture (the
     * guest's console may still be settling when the first ones are taken).
     */
    private static void ourScreenshotEqualsSpiceGtksAndThePicture(Guest g, Path dir, int[] expected) {
        List<int[]> theirs = new ArrayList<>();
        StringBuilder tries = new StringBuilder();
        for (int i = 1; i <= ROUNDS; i++) {
            Path ref = dir.resolve("spicy-" + i + ".ppm");
            Proc.Result s = Proc.of(Peers.bounded("spicy-screenshot", "-h", "127.0.0.1", "-p",
                    Integer.toString(g.spicePort), "-o", ref.toString()))
                    .run(dir, "spicy-" + i, Duration.ofSeconds(40));
            assertEquals(0, s.exitCode(), s::describe);
            theirs.add(Pictures.read(ref));
            Path ours = dir.resolve("ours-" + i + ".png");
            Proc.Result r = Spice.command(List.of(), "screenshot", g.uri(), ours.toString())
                    .run(dir, "ours-" + i, Duration.ofSeconds(60));
            assertEquals(0, r.exitCode(), r::describe);
            int[] a = Pictures.read(ours);
            long best = Long.MAX_VALUE;
            for (int[] b : theirs) {
                long diff = Pictures.differing(a, b);
                best = diff < 0 ? best : Math.min(best, diff);
            }
            long vsPicture = Pictures.differing(a, expected);
            tries.append(" ").append(best).append("/").append(vsPicture);
            if (best == 0 && vsPicture == 0) {
                return;
            }
            Proc.sleep(500);
        }
        fail("our screenshot never equalled spice-gtk's and the drawn picture; differing pixels per round"
                + " (vs spice-gtk / vs picture):" + tries + " (see " + dir + ")\n" + g.describe());
    }

    /** The guest's XRGB8888 frame (bytes B, G, R, X) as Pictures' pixels. */
    static int[] frame(Path raw, int w, int h) {
        try {
            byte[] b = Files.readAllBytes(raw);
            assertEquals(w * h * 4, b.length, raw + " size");
            int[] out = new int[2 + w * h];
            out[0] = w;
            out[1] = h;
            for (int i = 0; i < w * h; i++) {
                out[2 + i] = (b[4 * i + 2] & 0xff) << 16 | (b[4 * i + 1] & 0xff) << 8 | (b[4 * i] & 0xff);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pixels that differ outside lines [top, bottom). */
    static long differingOutside(int[] a, int[] b, int top, int bottom) {
        int w = a[0];
        long n = 0;
        for (int i = 2; i < a.length; i++) {
            int y = (i - 2) / w;
            if ((y < top || y >= bottom) && a[i] != b[i]) {
                n++;
            }
        }
        return n;
    }
}
