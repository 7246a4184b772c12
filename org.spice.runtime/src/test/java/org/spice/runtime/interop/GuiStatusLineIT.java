package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./spice connect} on {@code ./spice server --video-codecs h264} (demo source, whose video window streams)
 * under Xvfb: the window's status line names the channels linked, the round trip timed at the main channel's link
 * and the codec of the video streaming now (the GUI logs the line each time it changes); with {@code --kiosk} there
 * is no status line.
 */
class GuiStatusLineIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    /** The line once the H.264 stream plays (the channels link in any order, the line lists them sorted). */
    private static final String STATUS = "status: main display inputs cursor[^|]* \\| latency \\d+(?:\\.\\d)? ms"
            + " \\| video: H264$";

    @Test
    void theStatusLineNamesTheChannelsTheRoundTripAndTheVideoCodec() throws IOException {
        Path dir = Peers.workDir(getClass(), "status");
        int port = Peers.freePort();
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--video-codecs", "h264");
                Xvfb x = Xvfb.start(dir, "xvfb", "1280x900x24")) {
            try (Proc gui = connect(dir, x, port, "connect")) {
                server.awaitStderr("display:0 from \\S+: streaming", WAIT);
                gui.awaitStderr(STATUS, WAIT);
                assertTrue(gui.isAlive(), gui.describe());
            }
            try (Proc kiosk = connect(dir, x, port, "connect-kiosk", "--kiosk")) {
                server.awaitStderr("display:0 from \\S+: streaming(?s:.*)display:0 from \\S+: streaming", WAIT);
                // the windowed client above logged its first status line within a second of linking
                Proc.sleep(4000);
                String logs = Files.readString(kiosk.err);
                assertFalse(logs.matches("(?s).*status: .*"), "a status line in kiosk mode:\n" + logs);
                assertTrue(kiosk.isAlive(), kiosk.describe());
            }
        }
    }

    private static Proc connect(Path dir, Xvfb x, int port, String name, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("connect", "--title", "spice-jvm-" + name,
                "--preferred-video-codec", "h264"));
        args.addAll(List.of(options));
        args.add("spice://127.0.0.1:" + port);
        Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), args.toArray(String[]::new))
                .env("DISPLAY", x.display)
                .env("XDG_CONFIG_HOME", Files.createDirectories(dir.resolve("config")).toString()).start(dir, name);
        QemuGuiIT.xdotool(x, dir, name + "-search", "search", "--sync", "--name", "^spice-jvm-" + name);
        return gui;
    }
}
