package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * remote-viewer under Xvfb on {@code ./spice server}, our server being its own agent.
 *
 * <p>Clipboard: our server runs with its own X display, a second Xvfb, whose clipboard is the one it shares. Text
 * put on the viewer's X clipboard with {@code xclip} arrives there ({@code xclip -o} on the server's display, and
 * the server logs its size), and text put on the server's X clipboard can be pasted on the viewer's side.
 *
 * <p>The same through {@code ./spice gateway} (our server as the VM): only the controlling viewer's copies reach it.
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

    /** Text copied on an X display, and the xclip still serving it (close it to drop the copy). */
    private record Copied(String text, Proc copier) implements AutoCloseable {
        @Override
        public void close() {
            copier.close();
        }
    }

    /**
     * Copies {@code text(attempt)} on {@code x} until {@code log} shows the line {@code logged(text)} says, at most 4
     * attempts. remote-viewer grabs only once it knows the agent's capabilities, which follow agent_start at once; a
     * copy made before that is retried with new text.
     */
    private static Copied copyUntilLogged(Xvfb x, Path dir, String name, Proc log, IntFunction<String> text,
            Function<String, String> logged) {
        for (int attempt = 1; attempt <= 4; attempt++) {
            String t = text.apply(attempt);
            Proc copier = copy(x, dir, name + "-" + attempt, t);
            try {
                log.awaitStderr(logged.apply(t), Duration.ofSeconds(8));
                return new Copied(t, copier);
            } catch (AssertionError notYet) {
                copier.close();
            }
        }
        return fail("the copy on " + name + " never showed in the log\n" + log.describe());
    }

    private static String clipboardFromClient(String text) {
        return "clipboard from client: " + text.getBytes(StandardCharsets.UTF_8).length + " bytes";
    }

    /** {@code xclip -o} on {@code x} until it gives {@code expected} (10 s at most); what it gave last. */
    private static String pasteUntil(Xvfb x, Path dir, String name, String expected) {
        String pasted = "";
        for (int i = 0; i < 20 && !pasted.equals(expected); i++) {
            pasted = paste(x, dir, name + "-" + i);
            if (!pasted.equals(expected)) {
                Proc.sleep(500);
            }
        }
        return pasted;
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

                // viewer -> server
                String fromViewer;
                try (Copied c = copyUntilLogged(viewerX, dir, "xclip-in-viewer", server,
                        a -> "copied on the viewer's side, attempt " + a + " \u00e9" + "!".repeat(a),
                        RemoteViewerAgentIT::clipboardFromClient)) {
                    fromViewer = c.text();
                    assertEquals(fromViewer, pasteUntil(serverX, dir, "xclip-out-server", fromViewer),
                            "the server's X clipboard does not hold the viewer's text");
                }

                // server -> viewer: our server sees its X clipboard change and grabs remote-viewer's
                String fromServer = "copied on the server's side \u00fc";
                try (Proc copier = copy(serverX, dir, "xclip-in-server", fromServer)) {
                    assertEquals(fromServer, pasteUntil(viewerX, dir, "xclip-out-viewer", fromServer),
                            "pasting on the viewer's side");
                }
                assertTrue(viewer.isAlive(), viewer::describe);
                Spice.assertRunning(server);
                // the clipboard's content never goes to the log at INFO
                assertTrue(!server.stderr().contains(fromViewer) && !server.stderr().contains(fromServer),
                        "clipboard content in the server's log");
            }
        }
    }

    /**
     * The same through {@code ./spice gateway --control first} in front of our server (the VM): the controlling
     * remote-viewer's copy reaches the VM's X clipboard, what is copied there reaches both remote-viewers, and the
     * watching remote-viewer's copy reaches neither the VM nor the other viewer (the gateway logs why).
     */
    @Test
    void clipboardCrossesTheGatewayFromItsControllerOnly() {
        Path dir = Peers.workDir(getClass(), "gateway-clipboard");
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        try (Xvfb viewerX = Xvfb.start(dir, "xvfb-viewer", "1280x900x24");
                Xvfb watcherX = Xvfb.start(dir, "xvfb-watcher", "1280x900x24");
                Xvfb serverX = Xvfb.start(dir, "xvfb-vm", "1024x768x24");
                Proc vm = Spice.startServer(dir, "vm", Map.of("DISPLAY", serverX.display), Duration.ofSeconds(240),
                        "--listen", "127.0.0.1:" + vmPort);
                Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "240"), "gateway",
                        "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port,
                        "--control", "first").start(dir, "gateway")) {
            vm.awaitStderr("server clipboard: the host's \\(DISPLAY=" + serverX.display + "\\)", WAIT);
            gateway.awaitStdout("^SPICE server listening on " + Pattern.quote(uri) + "$", Duration.ofSeconds(60));
            gateway.awaitStderr("gateway: the clipboard is shared with the VM's agent", WAIT);
            try (Proc viewer = viewerX.run(Peers.bounded("remote-viewer", uri)).mergeErr()
                    .start(dir, "remote-viewer")) {
                awaitCount(gateway, "agent started by client", 1);
                try (Proc watcher = watcherX.run(Peers.bounded("remote-viewer", uri)).mergeErr()
                        .start(dir, "remote-viewer-watcher")) {
                    awaitCount(gateway, "agent started by client", 2);

                    // controller -> VM
                    String fromViewer;
                    try (Copied c = copyUntilLogged(viewerX, dir, "xclip-in-viewer", vm,
                            a -> "the controller's copy, attempt " + a + " \u00e9" + "!".repeat(a),
                            RemoteViewerAgentIT::clipboardFromClient)) {
                        fromViewer = c.text();
                        assertEquals(fromViewer, pasteUntil(serverX, dir, "xclip-out-vm", fromViewer),
                                "the VM's X clipboard does not hold the controller's text");
                    }

                    // VM -> every viewer
                    String fromVm = "copied in the VM \u00fc";
                    try (Proc copier = copy(serverX, dir, "xclip-in-vm", fromVm)) {
                        assertEquals(fromVm, pasteUntil(viewerX, dir, "xclip-out-viewer", fromVm), "the controller");
                        assertEquals(fromVm, pasteUntil(watcherX, dir, "xclip-out-watcher", fromVm), "the watcher");
                    }

                    // watcher -> nowhere
                    try (Copied c = copyUntilLogged(watcherX, dir, "xclip-in-watcher", gateway,
                            a -> "the watcher's copy" + "?".repeat(40 + a),
                            t -> "gateway: viewer 0x\\p{XDigit}+ copied text/plain;charset=utf-8 of "
                                    + t.getBytes(StandardCharsets.UTF_8).length
                                    + " bytes but does not control the VM; not shared")) {
                        Proc.sleep(2000);
                        assertTrue(!vm.stderr().contains(clipboardFromClient(c.text())), "the watcher's copy reached"
                                + " the VM\n" + vm.stderr());
                        assertNotEquals(c.text(), paste(serverX, dir, "xclip-out-vm-after-watcher"));
                        assertNotEquals(c.text(), paste(viewerX, dir, "xclip-out-viewer-after-watcher"));
                    }
                    assertTrue(viewer.isAlive(), viewer::describe);
                    assertTrue(watcher.isAlive(), watcher::describe);
                    Spice.assertRunning(vm);
                    assertTrue(!gateway.stderr().contains(fromViewer) && !gateway.stderr().contains(fromVm),
                            "clipboard content in the gateway's log");
                }
            }
        }
    }

    /** Waits until {@code p}'s stderr holds {@code text} at least {@code count} times. */
    private static void awaitCount(Proc p, String text, int count) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (p.stderr().split(Pattern.quote(text), -1).length - 1 < count) {
            if (System.nanoTime() > end) {
                fail("'" + text + "' not " + count + " times in " + WAIT + "\n" + p.describe());
            }
            Proc.sleep(200);
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
