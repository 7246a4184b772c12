package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./spice server --video-codecs C} streams the demo's video window in C (through org.spice.video):
 * remote-viewer under Xvfb plays it with GStreamer (its debug log names the decoder element), the capture shows
 * STREAM_CREATE in that codec and no malformed frame, and our own client decodes the same stream. The video window
 * in remote-viewer's X screenshot and in our client's picture is within 30 dB PSNR of the demo frame it shows
 * ({@link DemoVideo}: the demo's frames are a function of their number).
 */
class RemoteViewerVideoIT {
    @ParameterizedTest
    @CsvSource({"h264, H264, 3, avdec_h264", "vp8, VP8, 2, vp8dec"})
    void remoteViewerAndOurClientPlayTheCodecTheServerStreams(String name, String codec, int wire, String element) {
        Path dir = Peers.workDir(getClass(), name);
        int port = Peers.freePort();
        long started = System.nanoTime();
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--video-codecs", name);
                Capture cap = Capture.start(dir, "capture", port);
                Xvfb x = Xvfb.start(dir, "1280x900x24")) {
            String log;
            // Xvfb draws the pointer into the screen: out of the way, in the bottom right corner.
            Proc.Result moved = x.run(Peers.bounded("xdotool", "mousemove", "1279", "899"))
                    .run(dir, "xdotool", Duration.ofSeconds(30));
            assertEquals(0, moved.exitCode(), moved::describe);
            int[] screen;
            try (Proc viewer = x.run(Peers.bounded("remote-viewer", "spice://127.0.0.1:" + port)).mergeErr()
                    .env("SPICE_DEBUG", "1").env("G_MESSAGES_DEBUG", "all").start(dir, "remote-viewer")) {
                Proc.sleep(10_000);
                screen = Pictures.read(x.screenshot(dir, "x-viewer"));
                log = viewer.stdout();
            }
            assertTrue(log.contains("Gstreamer's pipeline (" + element + ")"),
                    "remote-viewer did not decode with " + element + " (see " + dir + ")");
            Proc.Result ours = Spice.command(List.of(), "screenshot", "--wait-video", "spice://127.0.0.1:" + port,
                    dir.resolve("ours.png").toString()).run(dir, "ours", Duration.ofSeconds(90));
            assertEquals(0, ours.exitCode(), ours::describe);
            assertTrue(ours.stdout().contains("streams: " + codec + " x1"), ours::describe);
            long lastFrame = (System.nanoTime() - started) / 40_000_000 + 25;
            java.awt.Point at = DemoVideo.locate(screen);
            assertTrue(at != null, "no demo video window in remote-viewer's X screenshot (see " + dir + ")");
            assertAlike("remote-viewer's", Pictures.crop(screen, at.x, at.y, DemoVideo.WIDTH, DemoVideo.HEIGHT),
                    lastFrame, name);
            int[] mine = Pictures.read(dir.resolve("ours.png"));
            assertEquals(new java.awt.Point(DemoVideo.X, DemoVideo.Y), DemoVideo.locate(mine),
                    "the video window in our client's picture");
            assertAlike("our client's", Pictures.crop(mine, DemoVideo.X, DemoVideo.Y, DemoVideo.WIDTH,
                    DemoVideo.HEIGHT), lastFrame, name);
            cap.stop();
            List<String> created = cap.frames("spice.display_stream_codec_type", "spice.display_stream_codec_type");
            assertTrue(!created.isEmpty() && created.stream().flatMap(l -> Arrays.stream(l.strip().split(",")))
                    .allMatch(v -> v.equals(String.valueOf(wire))), "STREAM_CREATE codecs: " + created);
            assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed && tcp.srcport==" + port)),
                    "malformed SPICE frames");
            Spice.assertRunning(server);
        }
    }

    /** Fails unless {@code video} is within 30 dB PSNR of one of the demo's frames 0..lastFrame. */
    private static void assertAlike(String whose, int[] video, long lastFrame, String codec) {
        DemoVideo.Match m = DemoVideo.bestMatch(video, lastFrame);
        System.out.printf("interop: %s %s video window: %.1f dB from demo frame %d%n", whose, codec, m.psnr(),
                m.frame());
        assertTrue(m.psnr() >= 30, String.format("%s video window is %.1f dB from the nearest demo frame (%d)",
                whose, m.psnr(), m.frame()));
    }
}
