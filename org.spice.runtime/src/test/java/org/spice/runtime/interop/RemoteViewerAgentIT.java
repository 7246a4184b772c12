package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * remote-viewer under Xvfb on {@code ./spice server}, our server being its own agent.
 *
 * <p>Clipboard: our server runs with its own X display, a second Xvfb, whose clipboard is the one it shares. Text
 * put on the viewer's X clipboard with {@code xclip} arrives there ({@code xclip -o} on the server's display, and
 * the server logs its size), and text put on the server's X clipboard can be pasted on the viewer's side.
 *
 * <p>Monitors config: the remote-viewer window resized with {@code xdotool} sends a monitors config, our server
 * resizes the demo desktop to it, and spicy-screenshot then gets a picture of that size.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RemoteViewerAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static List<String> xclip(String... args) {
        List<String> c = new ArrayList<>(List.of(Peers.binary("xclip"), "-selection", "clipboard"));
        c.addAll(List.of(args));
        return c;
    }

    /** {@code xclip -o} on {@code x}: what pasting there gives now ("" when nothing). */
    private static String paste(Xvfb x, Path dir, String name) {
        Proc.Result r = x.run(xclip("-o")).run(dir, name, Duration.ofSeconds(15));
        return r.exitCode() == 0 ? r.stdout() : "";
    }

    /** Copies {@code text} on {@code x}: xclip stays in the foreground (-quiet) serving it until the test ends it. */
    private static Proc copy(Xvfb x, Path dir, String name, String text) {
        Path f = Peers.write(dir.resolve(name + ".txt"), text);
        return x.run(xclip("-quiet", "-i", f.toString())).start(dir, name);
    }

    @Test
    void clipboardTextCrossesBothWays() {
        Path dir = Peers.workDir(getClass(), "clipboard");
        int port = Peers.freePort();
        try (Xvfb viewerX = Xvfb.start(dir, "xvfb-viewer", "1280x900x24");
                Xvfb serverX = Xvfb.start(dir, "xvfb-server", "1024x768x24");
                Proc server = Spice.startServer(dir, Map.of("DISPLAY", serverX.display), "--listen",
                        "127.0.0.1:" + port)) {
            server.awaitStderr("server clipboard: the host's \\(DISPLAY=" + serverX.display + "\\)", WAIT);
            try (Proc viewer = viewerX.run(Peers.bounded("remote-viewer", "spice://127.0.0.1:" + port)).mergeErr()
                    .start(dir, "remote-viewer")) {
                server.awaitStderr("agent started by client", WAIT);

                // viewer -> server. remote-viewer grabs only once it knows the agent's capabilities, which follow
                // agent_start at once; a copy made before that is retried with new text.
                String fromViewer = null;
                for (int attempt = 1; attempt <= 4 && fromViewer == null; attempt++) {
                    String text = "copied on the viewer's side, attempt " + attempt + " \u00e9" + "!".repeat(attempt);
                    Proc copier = copy(viewerX, dir, "xclip-in-viewer-" + attempt, text);
                    try {
                        server.awaitStderr("clipboard from client: " + text.getBytes(java.nio.charset.StandardCharsets
                                .UTF_8).length + " bytes", Duration.ofSeconds(8));
                        fromViewer = text;
                    } catch (AssertionError notYet) {
                        copier.close();
                    }
                }
                if (fromViewer == null) {
                    fail("the viewer's clipboard never reached our server\n" + server.describe() + "\n"
                            + viewer.describe());
                }
                String onServer = "";
                for (int i = 0; i < 20 && !onServer.equals(fromViewer); i++) {
                    onServer = paste(serverX, dir, "xclip-out-server-" + i);
                    if (!onServer.equals(fromViewer)) {
                        Proc.sleep(500);
                    }
                }
                assertEquals(fromViewer, onServer, "the server's X clipboard does not hold the viewer's text");

                // server -> viewer: our server sees its X clipboard change and grabs remote-viewer's
                String fromServer = "copied on the server's side \u00fc";
                try (Proc copier = copy(serverX, dir, "xclip-in-server", fromServer)) {
                    String pasted = "";
                    for (int i = 0; i < 40 && !pasted.equals(fromServer); i++) {
                        Proc.sleep(500);
                        pasted = paste(viewerX, dir, "xclip-out-viewer-" + i);
                    }
                    assertEquals(fromServer, pasted, "pasting on the viewer's side");
                }
                assertTrue(viewer.isAlive(), viewer::describe);
                Spice.assertRunning(server);
                // the clipboard's content never goes to the log at INFO
                assertTrue(!server.stderr().contains(fromViewer) && !server.stderr().contains(fromServer),
                        "clipboard content in the server's log");
            }
        }
    }

    @Test
    void resizingTheViewerResizesTheDesktop() {
        Path dir = Peers.workDir(getClass(), "monitors");
        int port = Peers.freePort();
        try (Xvfb x = Xvfb.start(dir, "1280x900x24");
                Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port)) {
            try (Proc viewer = x.run(Peers.bounded("remote-viewer", "spice://127.0.0.1:" + port)).mergeErr()
                    .start(dir, "remote-viewer")) {
                server.awaitStderr("agent started by client", WAIT);
                Proc.Result search = x.run(List.of(Peers.binary("xdotool"), "search", "--sync", "--onlyvisible",
                        "--class", "remote-viewer")).run(dir, "xdotool-search", WAIT);
                assertEquals(0, search.exitCode(), search::describe);
                String window = search.stdout().lines().findFirst().orElseThrow();
                // the initial layout settles first: remote-viewer sizes its window to the first picture (the demo
                // streams its video once that picture is out), which would undo a resize made before it
                server.awaitStderr("display:0 from \\S+: streaming", WAIT);
                Proc.sleep(1500);
                Proc.Result size = x.run(List.of(Peers.binary("xdotool"), "windowsize", window, "900", "700"))
                        .run(dir, "xdotool-windowsize", WAIT);
                assertEquals(0, size.exitCode(), size::describe);

                Matcher m = server.awaitStderr("monitors config from client \\S+: 1 monitor\\(s\\), enabled "
                        + "\\[(\\d+)x(\\d+)\\+0\\+0\\]$", WAIT);
                int w = Integer.parseInt(m.group(1));
                int h = Integer.parseInt(m.group(2));
                assertNotEquals(List.of(1024, 768), List.of(w, h), "the monitors config is the old size");
                assertTrue(w <= 900 && h <= 700 && w > 700 && h > 500, w + "x" + h + " is not the resized window's"
                        + " display area");
                server.awaitStderr("display source resized to \\[" + w + "x" + h + "\\+0\\+0\\]", WAIT);
                // the demo redraws on its own thread; the display channel's new surface says it is done
                server.awaitStderr("display:0 from \\S+: primary surface now " + w + "x" + h, WAIT);

                Path shot = dir.resolve("spicy.ppm");
                try (Proc spicy = Spicy.start(dir, "spicy", Map.of(), "-h", "127.0.0.1", "-p",
                        Integer.toString(port))) {
                    assertEquals(0, spicy.awaitExit(Duration.ofSeconds(40)), spicy::describe);
                }
                int[] px = Pictures.read(shot);
                assertEquals(w + "x" + h, Pictures.size(px), "spicy-screenshot's picture");
                assertTrue(viewer.isAlive(), viewer::describe);
                Spice.assertRunning(server);
            }
        }
    }
}
