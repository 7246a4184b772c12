package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Video streams from QEMU 7.2 (spice-server with GStreamer, streaming-video=all) in H.264, VP8 and VP9: the VM boots
 * a floppy made here from vga-animation.S, which animates the whole VGA screen; our client prefers one codec
 * (PREFERRED_VIDEO_CODEC_TYPE), QEMU streams the moving screen in it (tshark sees STREAM_CREATE with that codec and
 * no malformed frame) and our client decodes it with the org.spice.video bundle ({@code screenshot} prints it).
 *
 * <p>The animation starts 8 s after boot, once the client has linked: QEMU 7.2's spice-server crashes (SIGSEGV in
 * its worker thread) when a client's codec preference arrives while it already streams to that client.
 */
class QemuVideoIT {
    /** Assembles the boot sector and writes it to a 1.44 MB floppy image. */
    static Path floppy(Path dir) {
        Path src = Peers.root().resolve("org.spice.runtime/src/test/resources/interop/vga-animation.S");
        Peers.runOk(dir, "as", "as", "--32", "-o", "anim.o", src.toString());
        Peers.runOk(dir, "ld", "ld", "-m", "elf_i386", "-Ttext", "0x7c00", "-o", "anim.elf", "anim.o");
        Peers.runOk(dir, "objcopy", "objcopy", "-O", "binary", "-j", ".text", "anim.elf", "anim.bin");
        Path img = dir.resolve("floppy.img");
        try {
            byte[] boot = Files.readAllBytes(dir.resolve("anim.bin"));
            assertEquals(512, boot.length, "the boot sector must be 512 bytes");
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.setLength(1474560);
                f.write(boot);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return img;
    }

    @ParameterizedTest
    @CsvSource({"h264, H264, 3", "vp8, VP8, 2", "vp9, VP9, 4"})
    void ourClientDecodesTheCodecItPrefers(String name, String codec, int wire) {
        Path dir = Peers.workDir(getClass(), name);
        Path img = floppy(dir);
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "qxl",
                "port=" + port + ",addr=127.0.0.1,disable-ticketing=on,streaming-video=all",
                List.of("-drive", "if=floppy,format=raw,file=" + img, "-boot", "order=a,menu=off,splash-time=0"), port);
                Capture cap = Capture.start(dir, "wire", port)) {
            Proc.Result r = Spice.command(List.of(), "screenshot", "--wait-video", "--preferred-video-codec",
                    name + ",mjpeg", "spice://127.0.0.1:" + port, dir.resolve("screen.png").toString())
                    .run(dir, "ours", Duration.ofSeconds(90));
            cap.stop();
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(r.stdout().contains("streams: " + codec + " x"), () -> "no " + codec + " stream decoded\n"
                    + r.describe());
            assertTrue(qemu.isAlive(), qemu::describe);
            List<String> created = cap.frames("spice.display_stream_codec_type", "spice.display_stream_codec_type");
            assertTrue(created.stream().flatMap(l -> java.util.Arrays.stream(l.strip().split(",")))
                    .anyMatch(v -> v.equals(String.valueOf(wire))),
                    () -> "no STREAM_CREATE in " + codec + " on the wire: " + created);
            assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed && tcp.srcport==" + port)),
                    "malformed SPICE frames");
        }
    }

    /** A picture of the X screen and when it was first seen. */
    private record Seen(int[] pixels, long nanos) {
    }

    /**
     * Our client and spice-gtk (remote-viewer under Xvfb) watch the animation at once (QEMU lets several clients in
     * with SPICE_DEBUG_ALLOW_MC=1), ours preferring CODEC; spice-gtk states no preference (remote-viewer has no
     * option for one) and QEMU 7.2 has no video-codecs setting, so it gets spice-server's first, MJPEG: with
     * "mjpeg" both decode the same codec. QEMU's VGA screen comes as 20 strips, each its own stream. When the
     * animation stops, each holds the last video frame
     * as it decoded it for about a second (spice-server's stream timeout), then the server redraws the region
     * losslessly: the two held frames agree within 40 dB PSNR, and both clients' redrawn pictures equal
     * spicy-screenshot's, connected afterwards, exactly. remote-viewer's screen is read from Xvfb's framebuffer
     * file every 20 ms, as {@code import} is too slow for the one-second window.
     */
    @ParameterizedTest
    @CsvSource({"mjpeg", "h264"})
    void ourClientAndSpiceGtkAgreeOnTheFrameTheGuestHolds(String codec) throws IOException {
        Path dir = Peers.workDir(getClass(), "still-" + codec);
        Held held = watchTheHeldFrame(codec, dir);
        // spice-gtk drops a frame it would show late (its debug log: "rendering too late by ... dropping"), and on a
        // busy machine it may end some strips' streams early; then it holds an older picture until the redraw, far
        // from the last frame, while ours is close to it. That is spice-gtk's timing, not a difference between the
        // decoders: such a run is watched once more. So is one where ours is far from the last frame and spice-gtk's
        // close to it (seen once in a fresh-clone run, mjpeg: ours 25.2 dB, spice-gtk 45.4 dB from the lossless
        // picture): our screenshot takes the picture when every strip's stream has ended, which a stall of the
        // guest under load brings before the animation's end; the agreement is then asserted on the second watch.
        boolean gtkBehind = Files.readString(dir.resolve("remote-viewer.out")).contains("dropping")
                || held.gtkVsLossless() < 40 && held.oursVsLossless() >= 40;
        boolean oursBehind = held.oursVsLossless() < 40 && held.gtkVsLossless() >= 40;
        if (held.agree() < 40 && (gtkBehind || oursBehind)) {
            System.out.printf("interop: %s: %s held an older picture (%.1f dB apart); watching once more%n", codec,
                    held.oursVsLossless() < held.gtkVsLossless() ? "our client" : "spice-gtk", held.agree());
            dir = Peers.workDir(getClass(), "still-" + codec + "-again");
            held = watchTheHeldFrame(codec, dir);
        }
        assertTrue(held.agree() >= 40, String.format("our still frame and spice-gtk's differ: %.1f dB (see %s)",
                held.agree(), dir));
    }

    /** PSNRs of the two held frames: with each other, and each with the lossless picture after the redraw. */
    private record Held(double agree, double oursVsLossless, double gtkVsLossless) {
    }

    /** One run of the test above in {@code dir}: everything checked but the agreement of the two held frames. */
    private static Held watchTheHeldFrame(String codec, Path dir) {
        Path img = floppy(dir);
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        Path still = dir.resolve("ours-still.png");
        Path redrawn = dir.resolve("ours-redrawn.png");
        Deque<Seen> seen = new ArrayDeque<>();
        try (Xvfb x = Xvfb.startWithFramebuffer(dir, "800x600x24");
                Proc qemu = Qemu.start(dir, "qemu", "qxl",
                        "port=" + port + ",addr=127.0.0.1,disable-ticketing=on,streaming-video=all",
                        List.of("-drive", "if=floppy,format=raw,file=" + img, "-boot",
                                "order=a,menu=off,splash-time=0"), Map.of("SPICE_DEBUG_ALLOW_MC", "1"), port)) {
            // Xvfb draws the pointer into its framebuffer: out of the way, in the bottom right corner.
            Proc.Result moved = x.run(Peers.bounded("xdotool", "mousemove", "799", "599"))
                    .run(dir, "xdotool", Duration.ofSeconds(30));
            assertEquals(0, moved.exitCode(), moved::describe);
            try (Proc viewer = x.run(Peers.bounded("remote-viewer", uri)).mergeErr().env("SPICE_DEBUG", "1")
                    .env("G_MESSAGES_DEBUG", "all").start(dir, "remote-viewer");
                    Proc ours = Spice.command(List.of(), "screenshot", "--timeout", "20", "--wait-video-still",
                            "--redrawn", redrawn.toString(), "--preferred-video-codec", codec, uri,
                            still.toString()).start(dir, "ours")) {
                while (ours.isAlive()) {
                    look(x, seen);
                }
                long more = System.nanoTime() + Duration.ofMillis(500).toNanos();
                while (System.nanoTime() < more) {
                    look(x, seen);
                }
                assertEquals(0, ours.awaitExit(Duration.ofSeconds(5)), ours::describe);
                assertTrue(ours.stdout().contains("(redrawn)"), ours::describe);
                assertTrue(viewer.isAlive(), viewer::describe);
            }
            Proc.Result ref = Proc.of(Peers.bounded("spicy-screenshot", "-h", "127.0.0.1", "-p",
                    Integer.toString(port), "-o", dir.resolve("spicy.ppm").toString())).dir(dir)
                    .run(dir, "spicy", Duration.ofSeconds(40));
            assertEquals(0, ref.exitCode(), ref::describe);
            assertTrue(qemu.isAlive(), qemu::describe);
        }
        int[] lossless = Pictures.read(dir.resolve("spicy.ppm"));
        int[] oursStill = Pictures.read(still);
        assertTrue(Pictures.nonBlack(lossless) > lossless.length / 2, "spicy-screenshot shows no animation frame");
        assertEquals(0, Pictures.differing(lossless, Pictures.read(redrawn)),
                "our client's picture after the redraw differs from spicy-screenshot's");
        int w = lossless[0];
        int h = lossless[1];
        java.awt.Point at = GatewayIT.find(seen.getLast().pixels(), lossless);
        assertTrue(at != null, "remote-viewer does not show spicy-screenshot's picture after the redraw (see " + dir
                + ")");
        // Back from the redraw (which may come in parts, one a stream): the last picture remote-viewer showed for
        // 300 ms or more, before it, is the held video frame.
        Seen[] order = seen.toArray(Seen[]::new);
        int i = order.length - 1;
        while (i >= 0 && Pictures.differing(Pictures.crop(order[i].pixels(), at.x, at.y, w, h), lossless) == 0) {
            i--;
        }
        while (i >= 0 && order[i + 1].nanos() - order[i].nanos() < 300_000_000L) {
            i--;
        }
        assertTrue(i >= 0, "remote-viewer showed no picture for 300 ms before the redraw (see " + dir + ")");
        int[] gtkStill = Pictures.crop(order[i].pixels(), at.x, at.y, w, h);
        long heldMs = (order[i + 1].nanos() - order[i].nanos()) / 1_000_000;
        assertTrue(Pictures.differing(gtkStill, lossless) > 0, "remote-viewer's held picture is the redrawn one");
        assertTrue(Pictures.differing(oursStill, lossless) > 0, "our still picture is already the redrawn one");
        Held held = new Held(Pictures.psnr(gtkStill, oursStill), Pictures.psnr(lossless, oursStill),
                Pictures.psnr(lossless, gtkStill));
        System.out.printf("interop: %s still frame: ours vs spice-gtk %.1f dB, ours vs lossless %.1f dB,"
                + " spice-gtk vs lossless %.1f dB; spice-gtk held it %d ms%n", codec, held.agree(),
                held.oursVsLossless(), held.gtkVsLossless(), heldMs);
        return held;
    }

    /** Reads the X screen and keeps it when it changed, with the last 12 changes. */
    private static void look(Xvfb x, Deque<Seen> seen) {
        int[] now = x.pixels();
        if (seen.isEmpty() || !Arrays.equals(seen.getLast().pixels(), now)) {
            seen.addLast(new Seen(now, System.nanoTime()));
            if (seen.size() > 12) {
                seen.removeFirst();
            }
        }
        Proc.sleep(20);
    }
}
