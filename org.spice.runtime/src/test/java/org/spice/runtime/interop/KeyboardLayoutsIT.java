package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./spice connect} and remote-viewer, each in turn on one Xvfb whose keyboard layout is German or French
 * (setxkbmap), get the same keys typed by xdotool: text with capitals and the layout's own letters, AltGr held on
 * its own key (right Alt, X keycode 108) and xdotool's AltGr characters, dead keys followed by a letter, and
 * keypad keys. Our server logs every key-down scancode it receives (log.keys), and the two sequences must be the
 * same: both clients send the physical keys, whatever the layout makes them type.
 */
class KeyboardLayoutsIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Pattern KEY_DOWN = Pattern.compile("inputs: key down ((?:0xe0 )?0x\\p{XDigit}{2}) \\(");

    @ParameterizedTest
    @ValueSource(strings = {"de", "fr"})
    void ourWindowSendsTheScancodesRemoteViewerSends(String layout) throws IOException {
        Path dir = Peers.workDir(getClass(), layout);
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Files.writeString(deploy.resolve("org.spice.inputs.cfg"), "log.keys = true\n");
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        try (Proc server = Spice.startServer(dir, Map.of("SPICE_DEPLOY_DIR", deploy.toString()),
                "--listen", "127.0.0.1:" + port);
                Xvfb x = Xvfb.start(dir, "xvfb", "1280x900x24")) {
            x.setLayout(dir, layout);
            List<String> ours;
            String title = "spice-jvm-keys-" + layout;
            try (Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                    Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--title", title, uri)
                    .env("DISPLAY", x.display).start(dir, "connect")) {
                QemuGuiIT.xdotool(x, dir, "search", "search", "--sync", "--name", "^" + title + QemuGuiIT.GRABBED);
                server.awaitStderr("display:0 from \\S+: streaming", WAIT);
                ours = typeAndCollect(x, dir, server, layout, "ours", -1);
                assertTrue(gui.isAlive(), gui.describe());
            }
            List<String> theirs;
            try (Proc viewer = x.run(Peers.bounded("remote-viewer", uri)).mergeErr().start(dir, "remote-viewer")) {
                QemuGuiIT.xdotool(x, dir, "search-rv", "search", "--sync", "--class", "remote-viewer");
                Proc.sleep(3000); // its display channel links after the window appears
                theirs = typeAndCollect(x, dir, server, layout, "remote-viewer", ours.size());
                assertTrue(viewer.isAlive(), viewer.describe());
            }
            assertEquals(theirs, ours, "the key-down scancodes our server got from our window (" + layout
                    + " layout) and from remote-viewer's");
            // The layout mattered: on both layouts a letter sits elsewhere than on a US keyboard, and the sequence
            // has AltGr (E0 38), a keypad key and Enter on the keypad (E0 1C).
            assertTrue(ours.contains(layout.equals("de") ? "0x15" : "0x10"), "no key of the layout's own letter: "
                    + ours);
            assertTrue(ours.contains("0xe0 0x38"), "no AltGr: " + ours);
            assertTrue(ours.contains("0x4f") && ours.contains("0xe0 0x1c"), "no keypad keys: " + ours);
            Spice.assertRunning(server);
        }
    }

    /**
     * Types the test input into the window under the pointer and returns the key-down scancodes the server logged
     * for it: waits until {@code expected} arrived (when not -1) and no more came for two seconds.
     */
    private static List<String> typeAndCollect(Xvfb x, Path dir, Proc server, String layout, String who,
            int expected) {
        int before = keyDowns(server).size();
        // No window manager: the keyboard follows the pointer, and the click puts it into the window.
        QemuGuiIT.xdotool(x, dir, who + "-click", "mousemove", "300", "600", "sleep", "0.5", "click", "1",
                "sleep", "0.5");
        String text = layout.equals("de") ? "Grüße zy ö#ä+<" : "Azerty qwm é&è(à";
        QemuGuiIT.xdotool(x, dir, who + "-type", "type", "--delay", "100", text + "@");
        String dead = layout.equals("de") ? "dead_acute" : "dead_circumflex";
        // AltGr on its own key: keycode 108 is right Alt (E0 38), which the German and French layouts make AltGr;
        // held around the key of Q (de: @) or 0 (fr: @), then a dead key and a letter, then keypad keys.
        QemuGuiIT.xdotool(x, dir, who + "-keys", "keydown", "108", "key", layout.equals("de") ? "24" : "19",
                "keyup", "108", "key", "--delay", "100", dead, "e", dead, "a", "KP_1", "KP_Add", "KP_Enter");
        long end = System.nanoTime() + WAIT.toNanos();
        List<String> got = keyDowns(server).subList(before, keyDowns(server).size());
        int stableSince = got.size();
        long stableAt = System.nanoTime();
        while (System.nanoTime() < end) {
            Proc.sleep(250);
            List<String> now = keyDowns(server);
            got = now.subList(before, now.size());
            if (got.size() != stableSince) {
                stableSince = got.size();
                stableAt = System.nanoTime();
            } else if ((expected < 0 || got.size() >= expected)
                    && System.nanoTime() - stableAt > Duration.ofSeconds(2).toNanos()) {
                break;
            }
        }
        return new ArrayList<>(got);
    }

    private static List<String> keyDowns(Proc server) {
        try {
            Matcher m = KEY_DOWN.matcher(Files.readString(server.err));
            List<String> out = new ArrayList<>();
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
