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

/** Our {@code spice server --tls-port --x509-dir --secure-channels default}: every channel must use TLS. */
class OurServerTlsIT {
    static final String NAME = "Interop TLS";

    private static Path certs;
    private static int port;
    private static int tlsPort;
    private static Proc server;

    @BeforeAll
    static void startServer() {
        certs = Certs.create(Peers.workDir(OurServerTlsIT.class, "x509"));
        port = Peers.freePort();
        tlsPort = Peers.freePort();
        server = Spice.startServer(Peers.workDir(OurServerTlsIT.class, "server"), "--listen", "127.0.0.1:" + port,
                "--tls-port", Integer.toString(tlsPort), "--x509-dir", certs.toString(),
                "--secure-channels", "default", "--name", NAME);
        assertTrue(server.stdout().contains("SPICE server listening on spice+tls://127.0.0.1:" + tlsPort + "\n"),
                server::describe);
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

    private static String caFile() {
        return certs.resolve("ca-cert.pem").toString();
    }

    @Test
    void probeOverTlsWithCaFile() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "tls"), "probe", "--ca-file", caFile(),
                "--host-subject", "CN=localhost", "spice+tls://127.0.0.1:" + tlsPort);
        assertEquals(0, p.exitCode(), p::describe);
        assertEquals(NAME, p.field("name"), p::describe);
        assertTrue(p.channels().get("main:0").tls(), p::describe);
        p.channels().values().forEach(c -> assertTrue(c.tls(), () -> c.name() + " over TLS\n" + p.describe()));
        server.awaitStderr("main:0 \\(tls\\) from /127\\.0\\.0\\.1:\\d+ linked", Duration.ofSeconds(5));
    }

    @Test
    void plaintextProbeIsRefusedWithNeedSecured() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "plain"), "probe", "spice://127.0.0.1:" + port);
        assertEquals(3, p.exitCode(), p::describe);
        assertTrue(p.stderr().contains("error: the server requires TLS for the main channel (NEED_SECURED)"),
                p::describe);
        assertFalse(p.stdout().contains("channel main"), p::describe);
        server.awaitStderr("link refused for main:0 from /127\\.0\\.0\\.1:\\d+: main requires TLS -> NEED_SECURED",
                Duration.ofSeconds(5));
    }

    @Test
    void probeWithTlsPortParameterMovesToTls() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "tls-port"), "probe", "--ca-file", caFile(),
                "spice://127.0.0.1:" + port + "?tls-port=" + tlsPort);
        assertEquals(0, p.exitCode(), p::describe);
        assertTrue(p.channels().get("main:0").tls(), p::describe);
    }

    @Test
    void probeOverTlsWithoutCaFileFails() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "no-ca"), "probe", "spice+tls://127.0.0.1:" + tlsPort);
        assertEquals(3, p.exitCode(), p::describe);
        assertTrue(p.stderr().contains("error: TLS with 127.0.0.1:" + tlsPort), p::describe);
        assertTrue(p.stderr().contains("certification path"), p::describe);
    }

    @Test
    void spiceGtkSwitchesToTlsAndBringsMainUp() {
        Path d = Peers.workDir(getClass(), "spicy");
        try (Proc spicy = Spicy.start(d, "spicy", Map.of("SSL_CERT_FILE", caFile()), "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-s", Integer.toString(tlsPort))) {
            spicy.awaitStdout(Spicy.CHANNEL_UP, Spicy.LINK_TIMEOUT);
            String log = spicy.stdout();
            // It tries the plaintext port first, gets NEED_SECURED and reconnects with TLS, verifying our certificate.
            assertTrue(log.contains("main-1:0: switching to tls"), spicy::describe);
            assertTrue(log.contains("main-1:0: Using TLS, port " + tlsPort), spicy::describe);
            spicy.awaitStdout("server name: " + NAME + "$", Spicy.LINK_TIMEOUT);
        }
    }
}
