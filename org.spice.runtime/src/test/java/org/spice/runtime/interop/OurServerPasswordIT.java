package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our {@code spice server --password-file}: our probe and spice-gtk with the right and a wrong password. */
class OurServerPasswordIT {
    static final String PASSWORD = "s3cret-Pa55";
    static final String NAME = "Interop Password";

    private static int port;
    private static Proc server;

    @BeforeAll
    static void startServer() {
        Path dir = Peers.workDir(OurServerPasswordIT.class, "server");
        Path pw = Peers.write(dir.resolve("password.txt"), PASSWORD);
        port = Peers.freePort();
        server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--password-file", pw.toString(),
                "--name", NAME);
        assertFalse(server.stderr().contains("no password set"), server::describe);
    }

    @BeforeEach
    void serverRunning() {
        Spice.assertRunning(server);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String uri() {
        return "spice://127.0.0.1:" + port;
    }

    @Test
    void probeWithRightPassword() {
        Path d = Peers.workDir(getClass(), "right");
        Path pw = Peers.write(d.resolve("pw.txt"), PASSWORD + "\n");
        Spice.Probe p = Spice.probe(d, "probe", "--password-file", pw.toString(), uri());
        assertEquals(0, p.exitCode(), p::describe);
        assertEquals(NAME, p.field("name"), p::describe);
        assertTrue(p.channels().containsKey("main:0"), p::describe);
    }

    @Test
    void probeWithRightPasswordFromEnvironment() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "right-env"), "probe",
                Map.of("SPICE_PASSWORD", PASSWORD), uri());
        assertEquals(0, p.exitCode(), p::describe);
        assertTrue(p.channels().containsKey("main:0"), p::describe);
    }

    @Test
    void probeWithWrongPasswordExits2() {
        Path d = Peers.workDir(getClass(), "wrong");
        Path pw = Peers.write(d.resolve("pw.txt"), "not-" + PASSWORD);
        Spice.Probe p = Spice.probe(d, "probe", "--password-file", pw.toString(), uri());
        p.assertAuthenticationFailed();
        assertFalse(p.stdout().contains("channel main"), p::describe);
        server.awaitStderr("link refused for main:0 from /127\\.0\\.0\\.1:\\d+: authentication failed",
                Duration.ofSeconds(5));
    }

    @Test
    void probeWithoutPasswordExits2() {
        Spice.probe(Peers.workDir(getClass(), "none"), "probe", uri()).assertAuthenticationFailed();
    }

    /** As against QEMU (QemuPasswordIT): spice-gtk gives up with exit 1 and no picture. */
    @Test
    void spiceGtkWithWrongPasswordGivesUp() {
        Spicy.assertGivesUpOnWrongPassword(Peers.workDir(getClass(), "spicy-wrong"), port);
    }

    @Test
    void spiceGtkWithRightPasswordBringsMainUp() {
        Path d = Peers.workDir(getClass(), "spicy-right");
        try (Proc spicy = Spicy.start(d, "spicy", Map.of(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-w", PASSWORD)) {
            spicy.awaitStdout(Spicy.CHANNEL_UP, Spicy.LINK_TIMEOUT);
            spicy.awaitStdout("server name: " + NAME + "$", Spicy.LINK_TIMEOUT);
        }
    }
}
