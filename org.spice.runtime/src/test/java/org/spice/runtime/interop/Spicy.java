package org.spice.runtime.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * spice-gtk as the reference client: {@code spicy-screenshot} with its debug log (SPICE_DEBUG, G_MESSAGES_DEBUG),
 * stdout and stderr in one file, DIR/NAME.out. Its playback and record channels link but leave their messages
 * unhandled (SPICE_DISABLE_CHANNELS; {@code env} may say otherwise): no test here listens through spicy-screenshot,
 * and spice-gtk 0.42 died at exit (SIGSEGV after writing its picture, opening audio on a machine without a sound
 * card) in two CI runs, ci44 and ci46, in two tests.
 */
final class Spicy {
    static final String CHANNEL_UP = "main-1:0: channel up";

    private Spicy() {
    }

    static Proc start(Path dir, String name, Map<String, String> env, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("-o", dir.resolve(name + ".ppm").toString()));
        return Proc.of(Peers.bounded("spicy-screenshot", a.toArray(String[]::new))).dir(dir)
                .unsetEnv("SSL_CERT_FILE").env("SPICE_DEBUG", "1").env("G_MESSAGES_DEBUG", "all")
                .env("SPICE_DISABLE_CHANNELS", "playback,record").env(env)
                .mergeErr().start(dir, name);
    }

    /**
     * What spice-gtk does when a server refuses its password (QEMU and ours alike): it gives up with exit 1 and
     * writes no picture. (The link error itself, 7 = PERMISSION_DENIED, is the server's side; the servers'
     * tests check it on the wire or in their log, not in one spice-gtk release's debug wording.)
     */
    static void assertGivesUpOnWrongPassword(Path dir, int port) {
        try (Proc spicy = start(dir, "spicy", Map.of(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-w", "wrong")) {
            org.junit.jupiter.api.Assertions.assertEquals(1, spicy.awaitExit(LINK_TIMEOUT), spicy::describe);
            org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(dir.resolve("spicy.ppm")),
                    spicy::describe);
        }
    }

    /** How long spice-gtk may take to link a main channel on loopback before a test gives up. */
    static final Duration LINK_TIMEOUT = Duration.ofSeconds(8);
}
