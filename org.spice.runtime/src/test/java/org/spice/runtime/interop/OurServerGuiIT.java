package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * {@code ./spice connect} under Xvfb on {@code ./spice server}, which is its own agent: resizing the window asks
 * for that resolution (monitors config) and the desktop follows; text copied on the client's X display becomes the
 * server's clipboard while the window has focus, and text copied on the server's own X display (a second Xvfb,
 * whose clipboard the server shares) can be pasted on the client's.
 */
class OurServerGuiIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String TITLE = "spice-jvm-gui-agent";

    @Test
    void theWindowsSizeAndClipboardReachTheServersAgent() {
        Path dir = Peers.workDir(getClass(), "agent");
        int port = Peers.freePort();
        try (Xvfb serverX = Xvfb.start(dir, "xvfb-server", "640x480x24");
                Proc server = Spice.startServer(dir, java.util.Map.of("DISPLAY", serverX.display), "--listen",
                        "127.0.0.1:" + port);
                Xvfb x = Xvfb.start(dir, "xvfb-client", "1280x900x24");
                Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                        Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--title", TITLE,
                        "spice://127.0.0.1:" + port).env("DISPLAY", x.display).start(dir, "connect")) {
            String window = QemuGuiIT.xdotool(x, dir, "search", "search", "--sync", "--name",
                    "^" + TITLE + QemuGuiIT.GRABBED)
                    .strip().lines().findFirst().orElseThrow();
            server.awaitStderr("display:0 from \\S+: streaming", WAIT);

            QemuGuiIT.xdotool(x, dir, "windowsize", "windowsize", window, "900", "700");
            Matcher asked = gui.awaitStderr("asking the agent for \\[(\\d+)x(\\d+)\\+0\\+0\\]", WAIT);
            String w = asked.group(1);
            String h = asked.group(2);
            assertNotEquals("1024x768", w + "x" + h, "the window asked for the size it had");
            server.awaitStderr("monitors config from client \\S+: 1 monitor\\(s\\)", WAIT);
            server.awaitStderr("display:0 from \\S+: primary surface now " + w + "x" + h, WAIT);

            String text = "copied on the client's display";
            Path f = Peers.write(dir.resolve("clip.txt"), text);
            try (Proc xclip = x.run(List.of(Peers.binary("xclip"), "-quiet", "-selection", "clipboard", "-i",
                    f.toString())).start(dir, "xclip")) {
                // Focus moves to the window with the pointer (no window manager): it then offers the clipboard.
                QemuGuiIT.xdotool(x, dir, "focus", "mousemove", "--window", window, "100", "100", "click", "1");
                server.awaitStderr("clipboard from client: " + text.getBytes(StandardCharsets.UTF_8).length
                        + " bytes", WAIT);
            }

            // The other way: text copied on the server's own display can be pasted on the client's.
            String back = "copied on the server's display";
            Path g = Peers.write(dir.resolve("clip-back.txt"), back);
            try (Proc xclip = serverX.run(List.of(Peers.binary("xclip"), "-quiet", "-selection", "clipboard", "-i",
                    g.toString())).start(dir, "xclip-server")) {
                long end = System.nanoTime() + WAIT.toNanos();
                String pasted = "";
                while (!pasted.equals(back) && System.nanoTime() < end) {
                    Proc.sleep(500);
                    Proc.Result r = x.run(List.of(Peers.binary("xclip"), "-o", "-selection", "clipboard"))
                            .run(dir, "xclip-paste", Duration.ofSeconds(15));
                    pasted = r.exitCode() == 0 ? r.stdout() : "";
                }
                assertEquals(back, pasted, "what pasting on the client's display gives");
            }
            Spice.assertRunning(server);
        }
    }
}
