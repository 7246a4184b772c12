package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code spice probe} against QEMU with a TLS port where the main channel must be secured (tls-channel=main). */
class QemuTlsIT {
    private static Path certs;
    private static int port;
    private static int tlsPort;
    private static Qemu.Vm qemu;

    @BeforeAll
    static void startQemu() {
        certs = Certs.create(Peers.workDir(QemuTlsIT.class, "x509"));
        port = Peers.freePort();
        tlsPort = Peers.freePort();
        qemu = new Qemu.Vm(Peers.workDir(QemuTlsIT.class, "qemu"), "qemu", "port=" + port + ",tls-port=" + tlsPort
                + ",addr=127.0.0.1,disable-ticketing=on,x509-dir=" + certs + ",tls-channel=main", List.of(),
                port, tlsPort);
    }

    @BeforeEach
    void qemuRunning() {
        qemu.ensureRunning();
    }

    @AfterEach
    void qemuSurvived() {
        qemu.assertSurvived();
    }

    @AfterAll
    static void stopQemu() {
        if (qemu != null) {
            qemu.close();
        }
    }

    private static String caFile() {
        return certs.resolve("ca-cert.pem").toString();
    }

    @Test
    void tlsUriLinksEveryChannelOverTls() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "tls"), "probe", "--ca-file", caFile(),
                "spice+tls://127.0.0.1:" + tlsPort);
        assertEquals(0, p.exitCode(), p::describe);
        Map<String, Spice.Channel> channels = p.channels();
        assertTrue(channels.keySet().containsAll(List.of("main:0", "display:0", "cursor:0", "inputs:0")),
                p::describe);
        channels.values().forEach(c -> assertTrue(c.tls(), () -> c.name() + " over TLS\n" + p.describe()));
        assertTrue(p.stdout().lines().anyMatch(l -> l.startsWith("channel main:0 tls common-caps")), p::describe);
    }

    @Test
    void tlsUriWithExpectedHostSubject() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "subject"), "probe", "--ca-file", caFile(),
                "--host-subject", "CN=localhost", "spice+tls://127.0.0.1:" + tlsPort);
        assertEquals(0, p.exitCode(), p::describe);
        assertTrue(p.channels().get("main:0").tls(), p::describe);
    }

    @Test
    void plaintextMainIsRefusedWithNeedSecured() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "plain"), "probe", "spice://127.0.0.1:" + port);
        assertEquals(3, p.exitCode(), p::describe);
        assertTrue(p.stderr().contains("NEED_SECURED"), p::describe);
        assertTrue(p.stderr().contains("requires TLS"), p::describe);
        assertFalse(p.stdout().contains("channel main"), p::describe);
    }

    @Test
    void tlsPortParameterMovesOnlyMainToTls() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "tls-port"), "probe", "--ca-file", caFile(),
                "spice://127.0.0.1:" + port + "?tls-port=" + tlsPort);
        assertEquals(0, p.exitCode(), p::describe);
        Map<String, Spice.Channel> channels = p.channels();
        assertTrue(channels.get("main:0").tls(), p::describe);
        // tls-channel=main: QEMU lets the other channels link in plaintext, and the probe prefers that.
        assertFalse(channels.get("display:0").tls(), p::describe);
    }

    @Test
    void tlsWithoutCaFileFailsVerification() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "no-ca"), "probe", "spice+tls://127.0.0.1:" + tlsPort);
        assertEquals(3, p.exitCode(), p::describe);
        assertTrue(p.stderr().contains("error: TLS with 127.0.0.1:" + tlsPort), p::describe);
        assertTrue(p.stderr().contains("certification path"), p::describe);
    }

    @Test
    void tlsWithWrongHostSubjectFails() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "wrong-subject"), "probe", "--ca-file", caFile(),
                "--host-subject", "CN=somebody-else", "spice+tls://127.0.0.1:" + tlsPort);
        assertEquals(3, p.exitCode(), p::describe);
        assertTrue(p.stderr().contains("CN=somebody-else"), p::describe);
    }
}
