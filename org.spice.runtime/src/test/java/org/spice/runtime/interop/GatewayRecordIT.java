package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.spice.recording.RecordingEvent;
import org.spice.recording.RecordingReader;

/**
 * The gateway's recording and {@code ./spice replay}, and its viewer limit.
 *
 * <p>A GRUB menu (an ISO made with grub-mkrescue) in QEMU 7.2 behind {@code ./spice gateway --record}: Down, Down,
 * Up, Down from QEMU's monitor move the highlight, then QEMU is stopped, which ends the recording. {@code ./spice
 * replay} of that file: spicy-screenshot of the replay after its end equals, pixel for pixel, spicy-screenshot through
 * the gateway at the end of the live session, and the time from the replay's first display update to its last is
 * within 5 % of the recording's (half of it with {@code --speed 2}). {@code ./spice export} of it ends on the live picture: exactly as PNG pictures, within
 * the codec's losses as WebM (VP8) and MP4 (H.264) videos that GStreamer demuxes and decodes. A truncated copy is
 * refused with a clear error.
 */
class GatewayRecordIT {
    private static final Pattern PLAYED = Pattern.compile(
            "^replay: played (\\d+) display updates from \\+(\\d+) ms to \\+(\\d+) ms \\(recorded \\+(\\d+) ms to"
                    + " \\+(\\d+) ms, speed ([0-9.]+)\\)", Pattern.MULTILINE);

    @Test
    void aReplayOfAGrubSessionEndsOnTheLivePictureWithItsTiming() throws Exception {
        Path dir = Peers.workDir(getClass(), "grub");
        Path iso = grubIso(dir);
        Path monitor = dir.resolve("mon.sock");
        Path records = dir.resolve("recordings");
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        int[] live;
        try (Proc qemu = Proc.of(Peers.bounded("qemu-system-x86_64", "-machine", "accel=tcg", "-m", "128", "-vga",
                "qxl", "-display", "none", "-nodefaults", "-no-user-config", "-cdrom", iso.toString(), "-boot",
                "order=d", "-monitor", "unix:" + monitor + ",server,nowait", "-spice", "port=" + vmPort
                        + ",addr=127.0.0.1,disable-ticketing=on")).dir(dir).start(dir, "qemu");
                Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "300"), "gateway",
                        "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port, "--record",
                        records.toString()).start(dir, "gateway")) {
            Peers.awaitListening(vmPort, qemu, Duration.ofSeconds(30));
            gateway.awaitStdout("^SPICE server listening on spice://127.0.0.1:" + port + "$", Duration.ofSeconds(90));
            gateway.awaitStderr("gateway: recording the VM's session to ", Duration.ofSeconds(30));
            int[] menu = stable(dir, port, "menu", null);
            assertEquals("720x400", Pictures.size(menu), "GRUB's text menu is 720x400");
            for (String key : List.of("down", "down", "up", "down")) {
                Hmp.run(monitor, "sendkey " + key);
                Proc.sleep(1500);
            }
            live = stable(dir, port, "live", menu);
            assertNotEquals(0, Pictures.differing(live, menu), "the keys did not move GRUB's highlight (see " + dir
                    + ")");
            qemu.terminate(Duration.ofSeconds(5));
            gateway.awaitStderr("gateway: recording .* ended \\(\\d+ bytes\\)", Duration.ofSeconds(30));
            assertTrue(gateway.isAlive(), gateway.describe());
        }
        Path recording;
        try (Stream<Path> s = Files.list(records)) {
            List<Path> files = s.toList();
            assertEquals(1, files.size(), "one session, one recording: " + files);
            recording = files.get(0);
        }
        long[] span = updates(recording);
        assertTrue(span[2] >= 4, "the recording holds the first picture and the three moves at least: " + span[2]);
        assertTrue(span[1] - span[0] >= 4000, "the recording's updates span the keys' 4.5 s: " + (span[1] - span[0]));

        int replayPort = Peers.freePort();
        try (Proc replay = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "200"), "replay",
                recording.toString(), "--listen", "127.0.0.1:" + replayPort).start(dir, "replay")) {
            Matcher m = replay.awaitStdout(PLAYED.pattern(), Duration.ofSeconds(120));
            long first = Long.parseLong(m.group(2));
            long last = Long.parseLong(m.group(3));
            assertEquals(span[0], Long.parseLong(m.group(4)), replay::describe);
            assertEquals(span[1], Long.parseLong(m.group(5)), replay::describe);
            double recorded = span[1] - span[0];
            double replayed = last - first;
            assertTrue(Math.abs(replayed - recorded) <= 0.05 * recorded, "the replay's updates span " + replayed
                    + " ms, the recording's " + recorded + " ms: more than 5 % apart");
            int[] end = stable(dir, replayPort, "replay-end", null);
            assertEquals(0, Pictures.differing(end, live), "spicy-screenshot of the replay's end differs from the"
                    + " live session's end (see " + dir + ")");
            assertTrue(replay.isAlive(), replay.describe());
        }

        // Twice as fast: the same updates in half the time, within 5 %.
        int fastPort = Peers.freePort();
        try (Proc fast = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "200"), "replay", "--speed", "2",
                recording.toString(), "--listen", "127.0.0.1:" + fastPort).start(dir, "replay-fast")) {
            Matcher m = fast.awaitStdout(PLAYED.pattern(), Duration.ofSeconds(120));
            double replayed = Long.parseLong(m.group(3)) - Long.parseLong(m.group(2));
            double expected = (span[1] - span[0]) / 2.0;
            assertTrue(Math.abs(replayed - expected) <= 0.05 * expected, "at --speed 2 the updates span " + replayed
                    + " ms, not half the recording's " + (span[1] - span[0]) + " ms");
        }

        // Export: PNG pictures, the last one the live picture exactly; a VP8 WebM and an H.264 MP4 video that
        // GStreamer's demuxers and decoders read, their last frame the live picture within the codec's losses.
        Path pngs = dir.resolve("export-png");
        Proc.Result png = Spice.command(List.of(), "export", recording.toString(), pngs.toString())
                .run(dir, "export-png", Duration.ofSeconds(120));
        assertEquals(0, png.exitCode(), png::describe);
        List<Path> frames;
        try (Stream<Path> s = Files.list(pngs)) {
            frames = s.sorted().toList();
        }
        assertTrue(frames.size() >= 4, "pictures: " + frames);
        assertEquals(0, Pictures.differing(Pictures.read(frames.get(frames.size() - 1)), live),
                "the export's last picture differs from the live session's end (see " + pngs + ")");
        for (String[] video : List.of(new String[] {"export.webm", "matroskademux", "vp8dec"},
                new String[] {"export.mp4", "qtdemux", "h264parse", "avdec_h264"})) {
            Path file = dir.resolve(video[0]);
            Proc.Result export = Spice.command(List.of(), "export", recording.toString(), file.toString())
                    .run(dir, "export-" + video[0], Duration.ofSeconds(120));
            assertEquals(0, export.exitCode(), export::describe);
            Path decoded = Files.createDirectories(dir.resolve(video[0] + "-decoded"));
            List<String> pipeline = new ArrayList<>(List.of("-q", "filesrc", "location=" + file));
            for (int i = 1; i < video.length; i++) {
                pipeline.addAll(List.of("!", video[i]));
            }
            pipeline.addAll(List.of("!", "videoconvert", "!", "pngenc", "!", "multifilesink",
                    "location=" + decoded.resolve("f-%05d.png")));
            Peers.runOk(dir, "gst-" + video[0], "gst-launch-1.0", pipeline.toArray(String[]::new));
            List<Path> videoFrames;
            try (Stream<Path> s = Files.list(decoded)) {
                videoFrames = s.sorted().toList();
            }
            assertTrue(videoFrames.size() >= frames.size(), video[0] + ": decoded frames: " + videoFrames.size()
                    + " for " + frames.size() + " pictures");
            int[] lastFrame = Pictures.read(videoFrames.get(videoFrames.size() - 1));
            assertEquals("720x400", Pictures.size(lastFrame));
            double error = meanError(lastFrame, live);
            assertTrue(error < 8, video[0] + ": the last frame is " + error + " levels a channel off the live"
                    + " picture on average (see " + decoded + ")");
        }

        // A truncated recording: a clear error naming the offset, exit 65, nothing served.
        Path cut = dir.resolve("cut.spicerec");
        byte[] whole = Files.readAllBytes(recording);
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 12));
        Proc.Result r = Spice.command(List.of(), "replay", cut.toString(), "--listen", "127.0.0.1:"
                + Peers.freePort()).run(dir, "replay-cut", Duration.ofSeconds(90));
        assertEquals(65, r.exitCode(), r::describe);
        assertTrue(r.stderr().matches("(?s).*error: .*cut\\.spicerec: at byte \\d+: truncated.*"), r::describe);
    }

    /**
     * {@code --max-viewers 2} with a still picture (our server showing an image, behind the gateway): remote-viewer
     * and a {@code listen} client are the two viewers; spicy-screenshot and our probe, a third viewer, are refused
     * and the gateway logs why, while remote-viewer keeps showing the picture and the listener its sound; once the
     * listener is gone, spicy-screenshot gets the picture.
     */
    @Test
    void theViewerBeyondTheLimitIsRefusedWhileTheOthersKeepWorking() throws Exception {
        Path dir = Peers.workDir(getClass(), "limit");
        Path png = dir.resolve("picture.png");
        ImageIO.write(QemuDisplayIT.splash(), "png", png.toFile());
        int[] picture = Pictures.read(png);
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        try (Proc vm = Spice.startServer(dir, java.util.Map.of(), Duration.ofMinutes(8), "--listen", "127.0.0.1:"
                + vmPort, "--source", "image:" + png);
                Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "480"), "gateway",
                        "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port,
                        "--max-viewers", "2").start(dir, "gateway");
                Xvfb x = Xvfb.start(dir, "1600x1200x24")) {
            gateway.awaitStdout("^SPICE server listening on " + uri + "$", Duration.ofSeconds(90));
            try (Proc viewer = x.run(Peers.bounded("remote-viewer", uri)).mergeErr().start(dir, "remote-viewer")) {
                java.awt.Point origin = GatewayIT.locate(x, dir, viewer, picture, Duration.ofSeconds(60));
                Path wav = dir.resolve("listen.wav");
                // Long enough for the refused viewers' own start on a loaded machine (a JVM can take a minute).
                CompletableFuture<Proc.Result> listener = CompletableFuture.supplyAsync(() -> Spice.command(List.of(),
                        "listen", "--seconds", "90", "--audio-out", wav.toString(), uri)
                        .run(dir, "listen", Duration.ofSeconds(300)));
                awaitCount(gateway, "main:0 from \\S+ linked", 2, Duration.ofSeconds(60));

                // Two third viewers at once: spice-gtk's and ours (whose JVM can take a minute to start here).
                CompletableFuture<Proc.Result> ours = CompletableFuture.supplyAsync(() -> Spice.command(List.of(),
                        "probe", uri).run(dir, "probe-third", Duration.ofSeconds(150)));
                Proc.Result spicy = Proc.of(Peers.bounded("spicy-screenshot", "-h", "127.0.0.1", "-p",
                        Integer.toString(port), "-o", dir.resolve("third.ppm").toString()))
                        .run(dir, "spicy-third", Duration.ofSeconds(40));
                assertNotEquals(0, spicy.exitCode(), () -> "a third viewer got in\n" + spicy.describe());
                gateway.awaitStderr("link refused for main:0 from \\S+: already 2 clients attached or linking"
                        + " \\(max.clients\\)", Duration.ofSeconds(10));
                Proc.Result probe = ours.join();
                assertEquals(3, probe.exitCode(), probe::describe);
                assertTrue(probe.stderr().contains("refused"), probe::describe);

                assertEquals(origin, GatewayIT.locate(x, dir, viewer, picture, Duration.ofSeconds(10)),
                        "remote-viewer lost the picture while the third viewer was refused");
                Proc.Result heard = listener.join();
                assertEquals(0, heard.exitCode(), heard::describe);
                assertTrue(heard.stdout().matches("(?s).*playback: wrote .*: \\d+\\.\\d+ s.*"), heard::describe);
                assertTrue(viewer.isAlive(), viewer.describe());
                assertTrue(vm.isAlive(), vm.describe());
            }
            // Both places are free again.
            assertEquals(0, Pictures.differing(GatewayIT.spicyScreenshot(dir, port, "after"), picture),
                    "spicy-screenshot through the gateway after the others left (see " + dir + ")");
        }
    }

    /** The mean absolute difference of two pictures' channels, 0..255. */
    private static double meanError(int[] a, int[] b) {
        assertEquals(Pictures.size(a), Pictures.size(b));
        long sum = 0;
        for (int i = 2; i < a.length; i++) {
            for (int shift = 0; shift < 24; shift += 8) {
                sum += Math.abs((a[i] >> shift & 0xFF) - (b[i] >> shift & 0xFF));
            }
        }
        return sum / (3.0 * (a.length - 2));
    }

    /** Waits until {@code regex} has matched {@code count} lines of the process's stderr. */
    private static void awaitCount(Proc p, String regex, int count, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Matcher m = pattern.matcher(p.stderr());
            int n = 0;
            while (m.find()) {
                n++;
            }
            if (n >= count) {
                return;
            }
            Proc.sleep(200);
        }
        fail("fewer than " + count + " lines matching " + regex + " within " + timeout.toSeconds() + " s\n"
                + p.describe());
    }

    /** A GRUB rescue ISO whose menu waits for keys: four entries, text console, no timeout. */
    static Path grubIso(Path dir) throws IOException {
        Path tree = dir.resolve("iso");
        Files.createDirectories(tree.resolve("boot/grub"));
        Files.writeString(tree.resolve("boot/grub/grub.cfg"), """
                set timeout=-1
                set default=0
                terminal_output console
                menuentry "first entry" { halt }
                menuentry "second entry" { halt }
                menuentry "third entry" { halt }
                menuentry "fourth entry" { halt }
                """);
        Path iso = dir.resolve("grub.iso");
        Peers.runOk(dir, "grub-mkrescue", "grub-mkrescue", "-o", iso.toString(), tree.toString());
        return iso;
    }

    /**
     * spicy-screenshot until two in a row 700 ms apart agree (and differ from {@code not}, when given): GRUB draws
     * its menu in steps.
     */
    private static int[] stable(Path dir, int port, String name, int[] not) {
        int[] last = null;
        for (int i = 1; i <= 20; i++) {
            int[] now = GatewayIT.spicyScreenshot(dir, port, name + "-" + i);
            if (last != null && Pictures.differing(last, now) == 0 && Pictures.nonBlack(now) > 0
                    && (not == null || Pictures.differing(now, not) != 0)) {
                return now;
            }
            last = now;
            Proc.sleep(700);
        }
        return fail("twenty spicy-screenshots of " + name + ", no two in a row alike (see " + dir + ")");
    }

    /** The recording's first and last display update in ms, and how many there are. */
    private static long[] updates(Path file) throws IOException {
        long first = -1;
        long last = -1;
        long n = 0;
        try (InputStream in = Files.newInputStream(file); RecordingReader r = new RecordingReader(in, Files.size(file))) {
            RecordingEvent e;
            while ((e = r.next()) != null) {
                if (e instanceof RecordingEvent.Surface || e instanceof RecordingEvent.Region) {
                    first = first < 0 ? e.millis() : first;
                    last = e.millis();
                    n++;
                }
            }
            assertTrue(r.ended(), "the recording was not ended when the VM's session ended");
        }
        return new long[] {first, last, n};
    }
}
