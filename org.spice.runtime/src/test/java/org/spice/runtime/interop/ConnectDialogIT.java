package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./spice connect} without a URI under Xvfb: the connection dialog answers a malformed address with a
 * message (no exception trace anywhere) and asks again, connects to the typed address and remembers it in the
 * user's GUI settings; {@code --kiosk} shows the window without its menu bar.
 */
class ConnectDialogIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String DIALOG = "^Connect to a SPICE server$";

    @Test
    void theDialogRefusesAMalformedAddressConnectsToATypedOneAndRemembersIt() throws IOException {
        Path dir = Peers.workDir(getClass(), "dialog");
        int port = Peers.freePort();
        Path config = dir.resolve("config");
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port);
                Xvfb x = Xvfb.start(dir, "xvfb", "1280x900x24");
                Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                        Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect").env("DISPLAY", x.display)
                        .env("XDG_CONFIG_HOME", config.toString()).start(dir, "connect")) {
            QemuGuiIT.xdotool(x, dir, "dialog", "search", "--sync", "--name", DIALOG);
            // No window manager: the keyboard goes where the pointer is; the dialogs are centred on the screen.
            QemuGuiIT.xdotool(x, dir, "bad", "mousemove", "640", "450", "sleep", "1", "type", "--delay", "50",
                    "spice://127.0.0.1:99999x");
            QemuGuiIT.xdotool(x, dir, "bad-enter", "key", "Return", "sleep", "2");
            x.screenshot(dir, "x-message");
            // the message is a second window of that title; Return closes it and the dialog asks again
            QemuGuiIT.xdotool(x, dir, "ok", "key", "Return", "sleep", "2");
            QemuGuiIT.xdotool(x, dir, "good", "key", "ctrl+a", "type", "--delay", "50",
                    "spice://127.0.0.1:" + port);
            QemuGuiIT.xdotool(x, dir, "good-enter", "key", "Return");
            server.awaitStderr("display:0 from \\S+: streaming", WAIT);
            String settings = Files.readString(config.resolve("spice-jvm/gui.properties"));
            assertTrue(settings.contains("recent.0=spice\\://127.0.0.1\\:" + port), settings);
            assertFalse(settings.contains("99999x"), settings);
            assertTrue(gui.isAlive(), gui.describe());
            String logs = Files.readString(gui.err) + Files.readString(gui.out);
            assertFalse(logs.contains("Exception") || logs.contains("\tat "), logs);
        }
    }

    @Test
    void kioskModeHasNoMenus() throws IOException {
        Path dir = Peers.workDir(getClass(), "kiosk");
        int port = Peers.freePort();
        int[] menuBar = topLeft(dir, port, "with-menus");
        int[] kiosk = topLeft(dir, port, "kiosk", "--kiosk");
        assertNotEquals(menuBar[0], kiosk[0], "the kiosk window's top-left pixel is the menu bar's colour");
    }

    /** Runs the client with {@code options} and returns the top-left pixel of the X screen once it shows. */
    private static int[] topLeft(Path base, int port, String name, String... options) throws IOException {
        Path dir = Files.createDirectories(base.resolve(name));
        List<String> args = new java.util.ArrayList<>(List.of("connect", "--title", "spice-jvm-" + name));
        args.addAll(List.of(options));
        args.add("spice://127.0.0.1:" + port);
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port);
                Xvfb x = Xvfb.start(dir, "xvfb", "1280x900x24");
                Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                        Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), args.toArray(String[]::new))
                        .env("DISPLAY", x.display).start(dir, "connect")) {
            QemuGuiIT.xdotool(x, dir, "search", "search", "--sync", "--name", "^spice-jvm-" + name);
            server.awaitStderr("display:0 from \\S+: streaming", WAIT);
            Proc.sleep(3000);
            int[] px = Pictures.read(x.screenshot(dir, "x-" + name));
            assertTrue(gui.isAlive(), gui.describe());
            return new int[] {px[2 + 2 * 1280 + 2] & 0xffffff}; // after the width and height slots
        }
    }
}
