package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * remote-viewer under Xvfb on {@code ./spice server} (demo source): an X screenshot shows the demo desktop, and a
 * capture of the session shows the video window streamed as MJPEG (stream_create, then stream_data frames
 * carrying JPEG), with no malformed frame.
 */
class RemoteViewerDemoIT {

    @Test
    void remoteViewerShowsTheDemoAndItsVideoIsStreamed() {
        Path dir = Peers.workDir(getClass(), "demo");
        int port = Peers.freePort();
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port);
                Capture cap = Capture.start(dir, "capture", port);
                Xvfb x = Xvfb.start(dir, "1280x900x24")) {
            try (Proc viewer = x.run(Peers.bounded("remote-viewer", "spice://127.0.0.1:" + port)).mergeErr()
                    .start(dir, "remote-viewer")) {
                awaitTitleBars(x, dir, viewer);
                // 26 video frames reach the viewer; read from the running capture, bounded.
                cap.awaitFrames("stream_data frames", l -> l.contains("STREAM_DATA"), 26, Duration.ofSeconds(90),
                        "spice", "_ws.col.Info");
            }
            cap.stop();
            List<String> messages = cap.frames("spice", "_ws.col.Info");
            assertTrue(messages.stream().anyMatch(l -> l.contains("STREAM_CREATE")), "no stream_create: " + messages);
            assertTrue(messages.stream().anyMatch(l -> l.contains("STREAM_DATA") && l.contains("JPEG")),
                    "stream data is not JPEG: " + messages);
            // What our server sends; Wireshark flags spice-gtk's own record MODE message, a dissector quirk.
            assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed && tcp.srcport==" + port)),
                    "malformed SPICE frames");
            Spice.assertRunning(server);
        }
    }

    /**
     * Takes X screenshots until the demo's three title bars (0x2b579a, shown unscaled by remote-viewer) cover more
     * than 20,000 pixels; fails after 90 s with the last count.
     */
    private static void awaitTitleBars(Xvfb x, Path dir, Proc viewer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            Path shot = x.screenshot(dir, "x-screen");
            int[] px = Pictures.read(shot);
            long titleBar = 0;
            for (int i = 2; i < px.length; i++) {
                if (px[i] == 0x2b579a) {
                    titleBar++;
                }
            }
            if (titleBar > 20_000) {
                return;
            }
            if (System.nanoTime() > deadline || !viewer.isAlive()) {
                throw new AssertionError("the demo's window title bars are not on the X screen (" + titleBar
                        + " pixels of 0x2b579a; see " + shot + ")\n" + viewer.describe());
            }
            Proc.sleep(500);
        }
    }
}
