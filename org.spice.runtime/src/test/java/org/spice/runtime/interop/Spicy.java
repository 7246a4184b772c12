package org.spice.runtime.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * spice-gtk as the reference client: {@code spicy-screenshot} with its debug log (SPICE_DEBUG, G_MESSAGES_DEBUG),
 * stdout and stderr in one file, DIR/NAME.out.
 */
final class Spicy {
    static final String CHANNEL_UP = "main-1:0: channel up";

    private Spicy() {
    }

    static Proc start(Path dir, String name, Map<String, String> env, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("-o", dir.resolve(name + ".ppm").toString()));
        return Proc.of(Peers.bounded("spicy-screenshot", a.toArray(String[]::new))).dir(dir)
                .unsetEnv("SSL_CERT_FILE").env("SPICE_DEBUG", "1").env("G_MESSAGES_DEBUG", "all").env(env)
                .mergeErr().start(dir, name);
    }

    /**
     * What spice-gtk does when a server refuses its password (QEMU and ours alike): the link reply
     * SPICE_LINK_ERR_PERMISSION_DENIED (7), then SPICE_CHANNEL_ERROR_AUTH (23), exit 1, main never up.
     */
    static void assertGivesUpOnWrongPassword(Path dir, int port) {
        try (Proc spicy = start(dir, "spicy", Map.of(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-w", "wrong")) {
            org.junit.jupiter.api.Assertions.assertEquals(1, spicy.awaitExit(LINK_TIMEOUT), spicy::describe);
            String log = spicy.stdout();
            org.junit.jupiter.api.Assertions.assertTrue(log.contains("main-1:0: link result: reply 7"),
                    spicy::describe);
            org.junit.jupiter.api.Assertions.assertTrue(log.contains("main channel event: 23"), spicy::describe);
            org.junit.jupiter.api.Assertions.assertFalse(log.contains(CHANNEL_UP), spicy::describe);
        }
    }

    /** How long spice-gtk may take to link a main channel on loopback before a test gives up. */
    static final Duration LINK_TIMEOUT = Duration.ofSeconds(8);
}
