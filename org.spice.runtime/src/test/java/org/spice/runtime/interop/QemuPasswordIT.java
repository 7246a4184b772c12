package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code spice probe} against QEMU with a ticket password (given to QEMU through a secret object, not argv). */
class QemuPasswordIT {
    static final String PASSWORD = "s3cret-Pa55";

    private static Path dir;
    private static int port;
    private static Qemu.Vm qemu;

    @BeforeAll
    static void startQemu() {
        dir = Peers.workDir(QemuPasswordIT.class, "qemu");
        Peers.write(dir.resolve("password.txt"), PASSWORD);
        port = Peers.freePort();
        qemu = new Qemu.Vm(dir, "qemu", "port=" + port + ",addr=127.0.0.1,password-secret=sp",
                List.of("-object", "secret,id=sp,file=" + dir.resolve("password.txt")), port);
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

    private String uri() {
        return "spice://127.0.0.1:" + port;
    }

    @Test
    void rightPasswordFromFile() {
        Path d = Peers.workDir(getClass(), "right-file");
        Path pw = Peers.write(d.resolve("pw.txt"), PASSWORD + "\n");
        Spice.Probe p = Spice.probe(d, "probe", "--password-file", pw.toString(), uri());
        assertEquals(0, p.exitCode(), p::describe);
        assertTrue(p.channels().keySet().containsAll(List.of("main:0", "display:0", "cursor:0", "inputs:0")),
                p::describe);
    }

    @Test
    void rightPasswordFromEnvironment() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "right-env"), "probe",
                Map.of("SPICE_PASSWORD", PASSWORD), uri());
        assertEquals(0, p.exitCode(), p::describe);
        assertTrue(p.channels().containsKey("main:0"), p::describe);
    }

    @Test
    void wrongPasswordExits2() {
        Path d = Peers.workDir(getClass(), "wrong");
        Path pw = Peers.write(d.resolve("pw.txt"), "not-" + PASSWORD);
        long refusedBefore = invalidPasswordWarnings();
        Spice.Probe p = Spice.probe(d, "probe", "--password-file", pw.toString(), uri());
        p.assertAuthenticationFailed();
        assertFalse(p.stdout().contains("channel main"), p::describe);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (invalidPasswordWarnings() == refusedBefore && System.nanoTime() < deadline) {
            Proc.sleep(50);
        }
        assertEquals(refusedBefore + 1, invalidPasswordWarnings(),
                () -> "QEMU logs one refused ticket\n" + qemu.proc().describe());
    }

    @Test
    void noPasswordExits2() {
        Spice.probe(Peers.workDir(getClass(), "none"), "probe", uri()).assertAuthenticationFailed();
    }

    /**
     * The reference for OurServerPasswordIT: what spice-gtk does when QEMU refuses its password: it ends with
     * exit 1 and writes no picture.
     */
    @Test
    void spiceGtkWithWrongPasswordGivesUp() {
        Spicy.assertGivesUpOnWrongPassword(Peers.workDir(getClass(), "spicy-wrong"), port);
    }

    private static long invalidPasswordWarnings() {
        return qemu.proc().stderr().lines().filter(l -> l.contains("Invalid password")).count();
    }
}
