package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./spice server --video-codecs C} streams the demo's video window in C (through org.spice.video):
 * remote-viewer under Xvfb plays it with GStreamer (its debug log names the decoder element), the capture shows
 * STREAM_CREATE in that codec and no malformed frame, and our own client decodes the same stream, at the same time:
 * the two streams share one encoder (the server logs that they joined), and remote-viewer's picture is taken while
 * it decodes the shared frames. The video window
 * in remote-viewer's X screenshot and in our client's picture is within 30 dB PSNR of the demo frame it shows
 * ({@link DemoVideo}: the demo's frames are a function of their number).
 *
 * <p>Likewise for {@code ./spice server --source screen}: a demo server (streaming off, so its pictures are
 * lossless) plays its video in our GUI on X server A, the screen server captures A, and its stream detector streams
 * the video window's region in C to remote-viewer on X server B and to our own client.
 */
class RemoteViewerVideoIT {
    /** X server A: room for our GUI's window (the 1024 x 768 demo desktop below its menu bar) unscaled. */
    private static final String SCREEN_A = "1280x900x24";
    /** X server B: room for remote-viewer's window showing all of A. */
    private static final String SCREEN_B = "1600x1200x24";

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
                server.awaitStderr("display:0 from \\S+: streaming", Duration.ofSeconds(60));
                Proc.sleep(4_000);
                // Our client streams while remote-viewer does: the two streams share one encoder from our stream's
                // first key frame on, and remote-viewer's picture below is decoded from the shared frames.
                try (Proc mine = Spice.command(List.of(), "screenshot", "--wait-video", "--after", "8000",
                        "spice://127.0.0.1:" + port, dir.resolve("ours.png").toString()).start(dir, "ours")) {
                    server.awaitStderr("display:0 from \\S+: 2 streams share this stream's " + codec + " encoder",
                            Duration.ofSeconds(60));
                    Proc.sleep(4_000);
                    screen = Pictures.read(x.screenshot(dir, "x-viewer"));
                    assertEquals(0, mine.awaitExit(Duration.ofSeconds(90)), mine::describe);
                    assertTrue(mine.stdout().contains("streams: " + codec + " x1"), mine::describe);
                }
                log = viewer.stdout();
            }
            assertTrue(log.contains("Gstreamer's pipeline (" + element + ")"),
                    "remote-viewer did not decode with " + element + " (see " + dir + ")");
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
            assertStreamsOnlyIn(cap, port, wire);
            Spice.assertRunning(server);
        }
    }

    @ParameterizedTest
    @CsvSource({"h264, H264, 3, avdec_h264", "vp8, VP8, 2, vp8dec"})
    void remoteViewerAndOurClientPlayTheVideoOnTheScreenTheServerCaptures(String name, String codec, int wire,
            String element) {
        Path dir = Peers.workDir(getClass(), "screen-" + name);
        int demoPort = Peers.freePort();
        int port = Peers.freePort();
        long started = System.nanoTime();
        try (Proc demo = Spice.startServer(dir, "demo-server", Map.of(), Peers.MAX_PEER_LIFETIME,
                "--listen", "127.0.0.1:" + demoPort, "--streaming-video", "off");
                Xvfb a = Xvfb.start(dir, "xvfb-a", SCREEN_A);
                Xvfb b = Xvfb.start(dir, "xvfb-b", SCREEN_B)) {
            pointerToCorner(a, dir, "a", SCREEN_A);
            pointerToCorner(b, dir, "b", SCREEN_B);
            try (Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                    Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--title", "spice-jvm-demo",
                    "spice://127.0.0.1:" + demoPort).env("DISPLAY", a.display)
                    .env("XDG_CONFIG_HOME", QemuGuiIT.withoutStatusLine(dir)).start(dir, "connect")) {
                QemuGuiIT.xdotool(a, dir, "search", "search", "--sync", "--name", "^spice-jvm-demo");
                int[] shown = null;
                for (int i = 0; i < 60 && (shown == null || DemoVideo.locate(shown) == null); i++) {
                    Proc.sleep(i == 0 ? 0 : 500);
                    shown = Pictures.read(a.screenshot(dir, "x-a-" + i));
                }
                java.awt.Point source = DemoVideo.locate(shown);
                assertTrue(source != null, "no demo video window on X server A (see " + dir + ")");
                // the premise: A shows the demo's frames exactly as the demo draws them
                DemoVideo.Match onA = DemoVideo.bestMatch(Pictures.crop(shown, source.x, source.y, DemoVideo.WIDTH,
                        DemoVideo.HEIGHT), (System.nanoTime() - started) / 40_000_000 + 25);
                assertEquals(Double.POSITIVE_INFINITY, onA.psnr(), "X server A's video window is not a demo frame"
                        + " (see " + dir + ")");

                try (Proc server = Spice.startServer(dir, Map.of("DISPLAY", a.display), "--listen",
                        "127.0.0.1:" + port, "--source", "screen:fps=25", "--video-codecs", name);
                        Capture cap = Capture.start(dir, "capture", port)) {
                    String log;
                    int[] screen;
                    try (Proc viewer = b.run(Peers.bounded("remote-viewer", "spice://127.0.0.1:" + port))
                            .mergeErr().env("SPICE_DEBUG", "1").env("G_MESSAGES_DEBUG", "all")
                            .start(dir, "remote-viewer")) {
                        server.awaitStderr("display:0 from \\S+: streaming", Duration.ofSeconds(60));
                        Proc.sleep(10_000);
                        screen = Pictures.read(b.screenshot(dir, "x-viewer"));
                        log = viewer.stdout();
                    }
                    assertTrue(log.contains("Gstreamer's pipeline (" + element + ")"),
                            "remote-viewer did not decode with " + element + " (see " + dir + ")");
                    // After a few seconds of play, as remote-viewer's picture is: the stream's first frames (the
                    // video window with the title bar's text above it, at the initial bit rate) are rougher.
                    Proc.Result ours = Spice.command(List.of(), "screenshot", "--wait-video", "--after", "5000",
                            "spice://127.0.0.1:" + port, dir.resolve("ours.png").toString())
                            .run(dir, "ours", Duration.ofSeconds(90));
                    assertEquals(0, ours.exitCode(), ours::describe);
                            long lastFrame = (System.nanoTime() - started) / 40_000_000 + 25;
                    assertVideoWindowAlike("remote-viewer's", screen, lastFrame, name, dir);
                    int[] mine = Pictures.read(dir.resolve("ours.png"));
                    assertEquals(Pictures.size(shown), Pictures.size(mine), "our client's picture of screen A");
                    assertEquals(source, DemoVideo.locate(mine), "the video window in our client's picture");
                    assertVideoWindowAlike("our client's", mine, lastFrame, name, dir);
                    assertStreamsOnlyIn(cap, port, wire);
                    Spice.assertRunning(server);
                }
                assertTrue(gui.isAlive(), gui::describe);
                Spice.assertRunning(demo);
            }
        }
    }

    /** Xvfb draws the pointer into the screen: out of the way, in the bottom right corner. */
    private static void pointerToCorner(Xvfb x, Path dir, String name, String geometry) {
        String[] size = geometry.split("x");
        Proc.Result moved = x.run(Peers.bounded("xdotool", "mousemove", Integer.toString(Integer.parseInt(size[0]) - 1),
                Integer.toString(Integer.parseInt(size[1]) - 1))).run(dir, "xdotool-" + name, Duration.ofSeconds(30));
        assertEquals(0, moved.exitCode(), moved::describe);
    }

    /** Fails unless {@code screen} shows the demo's video window within 30 dB of a demo frame. */
    private static void assertVideoWindowAlike(String whose, int[] screen, long lastFrame, String codec, Path dir) {
        java.awt.Point at = DemoVideo.locate(screen);
        assertTrue(at != null, "no demo video window in " + whose + " picture (see " + dir + ")");
        assertAlike(whose, Pictures.crop(screen, at.x, at.y, DemoVideo.WIDTH, DemoVideo.HEIGHT), lastFrame, codec);
    }

    /** Stops the capture; fails unless it holds STREAM_CREATE, only in codec {@code wire}, and no malformed frame. */
    private static void assertStreamsOnlyIn(Capture cap, int port, int wire) {
        cap.stop();
        List<String> created = cap.frames("spice.display_stream_codec_type", "spice.display_stream_codec_type");
        assertTrue(!created.isEmpty() && created.stream().flatMap(l -> Arrays.stream(l.strip().split(",")))
                .allMatch(v -> v.equals(String.valueOf(wire))), "STREAM_CREATE codecs: " + created);
        assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed && tcp.srcport==" + port)),
                "malformed SPICE frames");
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
