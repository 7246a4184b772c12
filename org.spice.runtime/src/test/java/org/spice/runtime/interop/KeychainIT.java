package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The password dialog of {@code spice connect} and the platform keychain: a real Secret Service (gnome-keyring on
 * its own D-Bus session bus, unlocked with a test password) reached through libsecret's secret-tool. A password is
 * kept only when the user ticks "Keep it in the keychain", once the server accepted it; the next connection takes
 * it from the keychain without a dialog; a kept password the server refuses is removed and the dialog asks again.
 * The password never shows in our output, our command lines or any file but its own and the keyring's.
 */
class KeychainIT {
    private static final String PASSWORD = "keychain-Pa55";

    @Test
    void aPasswordIsKeptOnlyWhenAskedAndUsedUntilTheServerRefusesIt() throws Exception {
        Path dir = Peers.workDir(getClass(), "keychain");
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
        Path bus = dir.resolve("bus");
        Files.deleteIfExists(bus);
        Map<String, String> session = Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + bus, "HOME", dir.toString(),
                "XDG_RUNTIME_DIR", run.toString(), "XDG_DATA_HOME", dir.resolve("data").toString(),
                "XDG_CONFIG_HOME", dir.resolve("config").toString());
        Path keyringPassword = Peers.write(dir.resolve("keyring-password.txt"), "keyring-test");
        Path pw = Peers.write(dir.resolve("password.txt"), PASSWORD);
        try (Proc dbus = Proc.of(Peers.bounded("dbus-daemon", "--session", "--nofork", "--address=unix:path=" + bus,
                "--print-address=1")).env(session).start(dir, "dbus");
                Xvfb x = Xvfb.start(dir, "1024x768x24")) {
            dbus.awaitStdout("^unix:path=", Duration.ofSeconds(20));
            try (Proc keyring = Proc.of(Peers.bounded("gnome-keyring-daemon", "--foreground", "--unlock",
                    "--components=secrets")).env(session).input(keyringPassword).start(dir, "gnome-keyring")) {
                try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--password-file",
                        pw.toString())) {
                    // 1. asked, typed, "Keep it in the keychain" ticked: kept once the server accepted it
                    try (Proc gui = connect(x, dir, session, uri, "connect-1")) {
                        typeIntoDialog(x, dir, PASSWORD, true);
                        gui.awaitStdout("^connected to " + uri, Duration.ofSeconds(30));
                        gui.awaitStdout("^the keychain keeps the password for " + uri + "$", Duration.ofSeconds(30));
                        assertNoPassword(gui);
                    }
                    Proc.Result kept = lookup(dir, session, uri, "lookup-1");
                    assertEquals(0, kept.exitCode(), kept::describe);
                    assertEquals(PASSWORD, kept.stdout(), "what the keychain keeps for " + uri);
                    // 2. taken from the keychain: no dialog
                    try (Proc gui = connect(x, dir, session, uri, "connect-2")) {
                        gui.awaitStdout("^connected to " + uri, Duration.ofSeconds(30));
                        Proc.Result none = x.run(Peers.bounded("xdotool", "search", "--name", "^SPICE password$"))
                                .run(dir, "xdotool-no-dialog", Duration.ofSeconds(30));
                        assertEquals(1, none.exitCode(), "a password dialog showed although the keychain keeps it\n"
                                + none.describe());
                        assertNoPassword(gui);
                    }
                }
                // 3. the server's password changed: the kept one is refused, removed, and the dialog asks again;
                // typed without ticking the box, it is not kept
                Path other = Peers.write(dir.resolve("password-2.txt"), PASSWORD + "-2");
                try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--password-file",
                        other.toString());
                        Proc gui = connect(x, dir, session, uri, "connect-3")) {
                    gui.awaitStderr("^note: the server refused the password the keychain kept for " + uri,
                            Duration.ofSeconds(30));
                    typeIntoDialog(x, dir, PASSWORD + "-2", false);
                    gui.awaitStdout("^connected to " + uri, Duration.ofSeconds(30));
                    assertFalse(gui.stdout().contains("the keychain keeps"), gui::describe);
                    assertNoPassword(gui);
                    Spice.assertRunning(server);
                }
                Proc.Result gone = lookup(dir, session, uri, "lookup-3");
                assertEquals(1, gone.exitCode(), "the refused password is still kept\n" + gone.describe());
                assertTrue(keyring.isAlive(), keyring::describe);
            }
        }
        // nothing of ours holds it in clear: the GUI's and the server's outputs and command lines, the settings
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().matches("(connect-|spice-server).*")
                            || f.startsWith(dir.resolve("config")))
                    .toList()) {
                String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(PASSWORD), "the password is in " + f);
            }
        }
    }

    private static Proc connect(Xvfb x, Path dir, Map<String, String> session, String uri, String name) {
        List<String> bounded = List.of(Peers.binary("timeout"), "-k", "5",
                Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds()));
        return Spice.command(bounded, "connect", "--title", "keychain-it", uri).env("DISPLAY", x.display)
                .env(session).start(dir, name);
    }

    /** Types into the password dialog; ticks "Keep it in the keychain" (the next control) when {@code keep}. */
    private static void typeIntoDialog(Xvfb x, Path dir, String password, boolean keep) {
        String dialog = QemuGuiIT.xdotool(x, dir, "search-dialog", "search", "--sync", "--onlyvisible", "--name",
                "^SPICE password$").strip().lines().findFirst().orElseThrow();
        Proc.sleep(1500); // mapped is not yet painted and listening, on a busy machine
        // into the password field, under the prompt (Xvfb runs no window manager to give the dialog focus)
        QemuGuiIT.xdotool(x, dir, "focus-field", "mousemove", "--window", dialog, "185", "40", "click", "1");
        Proc.sleep(500);
        QemuGuiIT.xdotool(x, dir, "type", "type", "--delay", "60", password);
        if (keep) {
            QemuGuiIT.xdotool(x, dir, "to-box", "key", "Tab");
            QemuGuiIT.xdotool(x, dir, "tick", "key", "space");
            QemuGuiIT.xdotool(x, dir, "to-field", "key", "shift+Tab");
        }
        x.screenshot(dir, "x-dialog-" + (keep ? "keep" : "once"));
        QemuGuiIT.xdotool(x, dir, "enter", "key", "Return");
    }

    private static Proc.Result lookup(Path dir, Map<String, String> session, String uri, String name) {
        List<String> cmd = new ArrayList<>(Peers.bounded("secret-tool"));
        cmd.addAll(List.of("lookup", "application", "org.spice.client", "server", uri));
        return Proc.of(cmd).env(session).run(dir, name, Duration.ofSeconds(30));
    }

    private static void assertNoPassword(Proc gui) {
        assertTrue(gui.isAlive(), gui::describe);
        assertFalse(gui.describe().contains(PASSWORD), "the password shows in our output or command line\n"
                + gui.describe());
    }
}
