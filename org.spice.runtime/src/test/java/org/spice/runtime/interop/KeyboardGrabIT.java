package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;

/**
 * {@code ./spice connect} under Xvfb on {@code ./spice server} (log.keys): the window grabs the X keyboard while the
 * pointer is over it (its title then says how to release it, which it only does once X granted the grab), the
 * release hotkey gives it back, a click grabs it again, leaving the window releases it; keys reach the server
 * while grabbed; the Send key menu still sends Ctrl+Alt+Del; and {@code --hotkeys release-cursor=...} replaces
 * Ctrl+Alt, its last key never reaching the guest.
 */
class KeyboardGrabIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Pattern KEY_DOWN = Pattern.compile("inputs: key down ((?:0xe0 )?0x\\p{XDigit}{2}) \\(");

    @Test
    void theKeyboardIsGrabbedOverTheWindowAndReleasedByTheHotkey() throws IOException {
        Path dir = Peers.workDir(getClass(), "default");
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Files.writeString(deploy.resolve("org.spice.inputs.cfg"), "log.keys = true\n");
        int port = Peers.freePort();
        String title = "spice-jvm-grab";
        try (Proc server = Spice.startServer(dir, Map.of("SPICE_DEPLOY_DIR", deploy.toString()),
                "--listen", "127.0.0.1:" + port);
                Xvfb x = Xvfb.start(dir, "xvfb", "1280x900x24");
                Proc gui = connect(x, dir, title, port)) {
            String window = window(x, dir, title);
            server.awaitStderr("display:0 from \\S+: streaming", WAIT);
            String grabbed = title + " (Press Ctrl+Alt to release keyboard)";

            QemuGuiIT.xdotool(x, dir, "click", "mousemove", "300", "600", "sleep", "0.5", "click", "1");
            awaitTitle(x, dir, window, grabbed);
            int before = keyDowns(server).size();
            QemuGuiIT.xdotool(x, dir, "key-a", "key", "a");
            QemuGuiIT.xdotool(x, dir, "release", "key", "ctrl+alt");
            awaitTitle(x, dir, window, title);
            // Ctrl and Alt reach the guest too, as from remote-viewer
            awaitKeys(server, before, List.of("0x1e", "0x1d", "0x38"));

            QemuGuiIT.xdotool(x, dir, "click-again", "click", "1");
            awaitTitle(x, dir, window, grabbed);
            QemuGuiIT.xdotool(x, dir, "leave", "mousemove", "1200", "850");
            awaitTitle(x, dir, window, title);
            QemuGuiIT.xdotool(x, dir, "enter", "mousemove", "300", "600");
            awaitTitle(x, dir, window, grabbed);

            // Send key → Ctrl+Alt+Del (the menu's first item)
            before = keyDowns(server).size();
            QemuGuiIT.xdotool(x, dir, "menu", "mousemove", "85", "10", "click", "1", "sleep", "1", "mousemove", "97",
                    "31", "click", "1");
            awaitKeys(server, before, List.of("0x1d", "0x38", "0xe0 0x53"));
            assertTrue(gui.isAlive(), gui.describe());
        }
    }

    @Test
    void configuredReleaseKeysReplaceCtrlAlt() throws IOException {
        Path dir = Peers.workDir(getClass(), "hotkeys");
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Files.writeString(deploy.resolve("org.spice.inputs.cfg"), "log.keys = true\n");
        int port = Peers.freePort();
        String title = "spice-jvm-hotkeys";
        try (Proc server = Spice.startServer(dir, Map.of("SPICE_DEPLOY_DIR", deploy.toString()),
                "--listen", "127.0.0.1:" + port);
                Xvfb x = Xvfb.start(dir, "xvfb", "1280x900x24");
                Proc gui = connect(x, dir, title, port, "--hotkeys", "release-cursor=ctrl+shift+f12")) {
            String window = window(x, dir, title);
            server.awaitStderr("display:0 from \\S+: streaming", WAIT);
            String grabbed = title + " (Press Ctrl+Shift+F12 to release keyboard)";
            QemuGuiIT.xdotool(x, dir, "click", "mousemove", "300", "600", "sleep", "0.5", "click", "1");
            awaitTitle(x, dir, window, grabbed);
            QemuGuiIT.xdotool(x, dir, "ctrl-alt", "key", "ctrl+alt", "sleep", "1");
            assertEquals(grabbed, name(x, dir, window), "Ctrl+Alt released the keyboard");
            int before = keyDowns(server).size();
            QemuGuiIT.xdotool(x, dir, "release", "key", "ctrl+shift+F12");
            awaitTitle(x, dir, window, title);
            awaitKeys(server, before, List.of("0x1d", "0x2a"));
            Proc.sleep(1000);
            assertFalse(keyDowns(server).subList(before, keyDowns(server).size()).contains("0x58"),
                    "F12 of the release hotkey reached the server: " + keyDowns(server));
            assertTrue(gui.isAlive(), gui.describe());
        }
    }

    private static Proc connect(Xvfb x, Path dir, String title, int port, String... options) {
        List<String> args = new ArrayList<>(List.of("connect", "--title", title));
        args.addAll(List.of(options));
        args.add("spice://127.0.0.1:" + port);
        return Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), args.toArray(String[]::new))
                .env("DISPLAY", x.display).start(dir, "connect");
    }

    private static String window(Xvfb x, Path dir, String title) {
        return QemuGuiIT.xdotool(x, dir, "search", "search", "--sync", "--name", "^" + title).strip().lines()
                .findFirst().orElseThrow();
    }

    private static String name(Xvfb x, Path dir, String window) {
        return QemuGuiIT.xdotool(x, dir, "name", "getwindowname", window).strip();
    }

    private static void awaitTitle(Xvfb x, Path dir, String window, String expected) {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String now = name(x, dir, window);
        while (!now.equals(expected) && System.nanoTime() < end) {
            Proc.sleep(200);
            now = name(x, dir, window);
        }
        assertEquals(expected, now, "the window's title");
    }

    private static void awaitKeys(Proc server, int before, List<String> expected) {
        long end = System.nanoTime() + WAIT.toNanos();
        List<String> got = List.of();
        while (System.nanoTime() < end) {
            List<String> all = keyDowns(server);
            got = all.subList(before, all.size());
            if (got.size() >= expected.size()) {
                break;
            }
            Proc.sleep(200);
        }
        assertEquals(expected, got, "key downs at the server");
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
