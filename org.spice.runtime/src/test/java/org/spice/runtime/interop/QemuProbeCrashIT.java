package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A probe must leave the VM it looked at running. Against QEMU 7.2 (libspice-server 0.15.1) a {@code spice probe}
 * session (link main, display, cursor, inputs; print; close, main first) makes QEMU's "SPICE Worker" thread
 * dereference NULL in about one session in five, and QEMU dies with SIGSEGV (exit 139; the kernel logs "SPICE
 * Worker[PID]: segfault at 0 ... in libspice-server.so.1.14.2"). Sessions that survive leave the warning "cursor:0
 * ... Failed to create channel client: Client ... got disconnected while connecting channel type 4 id 0": the probe
 * closes the session while the worker is still attaching its cursor channel. spicy-screenshot (which links main and
 * display, not cursor) never crashed it: 40 sessions in a row, and 30 killed with SIGKILL as soon as their display
 * channel was up, left QEMU running. This test probes one VM up to {@value #PROBES} times and fails at the first
 * crash.
 */
class QemuProbeCrashIT {
    static final int PROBES = 10;

    @Test
    void qemuSurvivesRepeatedProbes() {
        Path dir = Peers.workDir(getClass(), "qemu");
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on", List.of(),
                port)) {
            for (int i = 1; i <= PROBES; i++) {
                Spice.Probe p = Spice.probe(dir, "probe-" + i, "spice://127.0.0.1:" + port);
                assertEquals(0, p.exitCode(), p::describe);
                // QEMU crashes, when it does, within milliseconds of the probe's disconnect.
                Proc.sleep(200);
                if (!qemu.isAlive()) {
                    int exit = qemu.awaitExit(Duration.ofSeconds(5));
                    fail("QEMU died after probe " + i + " of " + PROBES + " (exit " + exit
                            + (exit == 139 ? ", SIGSEGV: see dmesg for 'SPICE Worker[...]: segfault ... in"
                                    + " libspice-server.so'" : "") + ")\n" + qemu.describe() + "\nlast probe:\n"
                            + p.describe());
                }
            }
        }
    }
}
