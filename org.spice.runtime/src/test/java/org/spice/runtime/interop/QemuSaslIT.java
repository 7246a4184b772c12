package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our client against QEMU with {@code -spice sasl=on} and a cyrus sasldb. Without TLS spice-server settles on
 * DIGEST-MD5 with an encryption layer (qop auth-conf), so the probe's links and the screenshot's pictures all travel
 * through our SASL security layer.
 */
class QemuSaslIT {
    static final String USER = "alice";
    static final String PASSWORD = "sasl-Pa55word";

    private static Path dir;
    private static int port;
    private static Qemu.Vm qemu;

    @BeforeAll
    static void startQemu() {
        dir = Peers.workDir(QemuSaslIT.class, "qemu");
        saslConfig(dir, "digest-md5");
        port = Peers.freePort();
        qemu = new Qemu.Vm(dir, "qemu", "port=" + port + ",addr=127.0.0.1,sasl=on", List.of(),
                Map.of("SASL_CONF_PATH", dir.toString()), port);
    }

    /**
     * QEMU's SASL configuration in {@code dir} (its application name is "qemu": cyrus reads qemu.conf from
     * SASL_CONF_PATH) offering {@code mechanisms}, with a sasldb holding {@link #USER}; returns the password file.
     */
    static Path saslConfig(Path dir, String mechanisms) {
        Path db = dir.resolve("passwd.db");
        Peers.write(dir.resolve("qemu.conf"), "mech_list: " + mechanisms + "\nsasldb_path: " + db + "\n");
        Path pw = Peers.write(dir.resolve("password.txt"), PASSWORD + "\n");
        Proc.Result made = Proc.of(Peers.binary("saslpasswd2"), "-p", "-a", "qemu", "-f", db.toString(), "-c", USER)
                .input(pw).dir(dir).run(dir, "saslpasswd2", Duration.ofSeconds(30));
        assertEquals(0, made.exitCode(), made::describe);
        return pw;
    }

    @BeforeEach
    void qemuRunning() {
        qemu.ensureRunning();
    }

    @AfterAll
    static void stopQemu() {
        if (qemu != null) {
            qemu.close();
        }
    }

    private String uri() {
        return "spice://127.0.0.1:" + port;
    }

    @Test
    void userAndPasswordLinkEveryChannel() {
        Path d = Peers.workDir(getClass(), "right");
        Path pw = Peers.write(d.resolve("pw.txt"), PASSWORD + "\n");
        Spice.Probe p = Spice.probe(d, "probe", "--user", USER, "--password-file", pw.toString(), uri());
        assertEquals(0, p.exitCode(), p::describe);
        assertTrue(p.channels().keySet().containsAll(List.of("main:0", "display:0", "cursor:0", "inputs:0")),
                p::describe);
        assertTrue(p.stdout().contains("name: QEMU"), p::describe);
    }

    @Test
    void userFromEnvironmentAndPicturesThroughTheSecurityLayer() {
        Path d = Peers.workDir(getClass(), "screenshot");
        Path shot = d.resolve("shot.png");
        Proc.Result r = Spice.command(List.of(), "screenshot", uri(), shot.toString())
                .env(Map.of("SPICE_USER", USER, "SPICE_PASSWORD", PASSWORD)).run(d, "screenshot", Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r::describe);
        int[] picture = Pictures.read(shot);
        assertEquals("720x400", Pictures.size(picture), r::describe);
        // SeaBIOS's white text on black: thousands of lit pixels, none of which survive a broken layer.
        assertTrue(Pictures.nonBlack(picture) > 1000, () -> Pictures.nonBlack(picture) + " lit pixels\n"
                + r.describe());
    }

    @Test
    void wrongPasswordExits2() {
        Path d = Peers.workDir(getClass(), "wrong");
        Path pw = Peers.write(d.resolve("pw.txt"), "not-" + PASSWORD);
        long before = failedSteps();
        Spice.Probe p = Spice.probe(d, "probe", "--user", USER, "--password-file", pw.toString(), uri());
        p.assertAuthenticationFailed();
        assertFalse(p.stdout().contains("channel main"), p::describe);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (failedSteps() == before && System.nanoTime() < deadline) {
            Proc.sleep(50);
        }
        assertEquals(before + 1, failedSteps(), () -> "QEMU logs one refused SASL step\n" + qemu.proc().describe());
    }

    @Test
    void unknownUserExits2() {
        Path d = Peers.workDir(getClass(), "unknown");
        Path pw = Peers.write(d.resolve("pw.txt"), PASSWORD);
        Spice.probe(d, "probe", "--user", "mallory", "--password-file", pw.toString(), uri())
                .assertAuthenticationFailed();
    }

    @Test
    void withoutUserSaysSaslIsRequired() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "no-user"), "probe",
                Map.of("SPICE_PASSWORD", PASSWORD), uri());
        p.assertAuthenticationFailed();
        assertTrue(p.stderr().contains("requires SASL"), p::describe);
    }

    /**
     * SCRAM-SHA-256 (cyrus's scram plugin; the JDK has none, so it is ours over ongres-scram): QEMU offering only it,
     * on its TLS port, since SCRAM has no security layer. The probe links every channel with the right password and
     * exits 2 with the wrong one.
     */
    @Test
    void scramSha256OverTls() {
        Path d = Peers.workDir(getClass(), "scram");
        Path certs = Certs.create(Peers.workDir(getClass(), "scram-x509"));
        Path pw = saslConfig(d, "scram-sha-256");
        int plain = Peers.freePort();
        int tlsPort = Peers.freePort();
        try (Qemu.Vm scram = new Qemu.Vm(d, "qemu", "port=" + plain + ",tls-port=" + tlsPort
                + ",addr=127.0.0.1,sasl=on,x509-dir=" + certs, List.of(), Map.of("SASL_CONF_PATH", d.toString()),
                plain, tlsPort)) {
            String uri = "spice+tls://127.0.0.1:" + tlsPort;
            String ca = certs.resolve("ca-cert.pem").toString();
            Spice.Probe p = Spice.probe(d, "probe", "--ca-file", ca, "--user", USER, "--password-file", pw.toString(),
                    uri);
            assertEquals(0, p.exitCode(), p::describe);
            assertTrue(p.channels().keySet().containsAll(List.of("main:0", "display:0", "cursor:0", "inputs:0")),
                    p::describe);
            Path wrong = Peers.write(d.resolve("wrong.txt"), "not-" + PASSWORD);
            Spice.probe(d, "probe-wrong", "--ca-file", ca, "--user", USER, "--password-file", wrong.toString(), uri)
                    .assertAuthenticationFailed();
            // without TLS spice-server offers no mechanism, as SCRAM has no encryption layer; the message says why
            Spice.Probe clear = Spice.probe(d, "probe-plain", "--user", USER, "--password-file", pw.toString(),
                    "spice://127.0.0.1:" + plain);
            clear.assertAuthenticationFailed();
            assertTrue(clear.stderr().contains("offers no SASL mechanism on this connection (spice-server offers"
                    + " none without TLS"), clear::describe);
        }
    }

    private static long failedSteps() {
        return qemu.proc().stderr().lines().filter(l -> l.contains("sasl step failed")).count();
    }
}
