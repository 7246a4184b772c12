package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code spice port} against QEMU's HMP monitor on a spiceport chardev: with {@code info version} on stdin, the
 * port prints the monitor's banner and QEMU's version. A missing QEMU fails the test.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QemuPortIT {
    static final String MONITOR = "org.qemu.monitor.hmp.0";

    @Test
    void infoVersionThroughTheMonitorPort() {
        Path dir = Peers.workDir(getClass(), "hmp");
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on",
                List.of("-chardev", "spiceport,id=mon,name=" + MONITOR, "-mon", "chardev=mon"), port)) {
            Path in = Peers.write(dir.resolve("hmp-in.txt"), "info version\n");
            Proc.Result r = Spice.command(List.of(), "port", "--wait", "3", "spice://127.0.0.1:" + port, MONITOR)
                    .input(in).run(dir, "port", Duration.ofSeconds(90));
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(r.stdout().contains("monitor - type 'help' for more information"), r::describe);
            // The echo of the command line is followed by the answer: the version this QEMU binary reports
            // ("QEMU emulator version X.Y.Z ..."), whatever the release, with a packager's suffix or none.
            String version = qemuVersion(dir);
            String answer = r.stdout().lines().filter(l -> l.matches("\\d+\\.\\d+\\.\\d+.*")).findFirst().orElse("");
            assertTrue(answer.equals(version) || answer.startsWith(version + " ")
                    || answer.matches(java.util.regex.Pattern.quote(version) + "[^0-9.].*"),
                    () -> "no version line of QEMU " + version + "\n" + r.describe());
            assertTrue(r.stderr().contains("port " + MONITOR + " open"), r::describe);
        }
    }

    /** X.Y.Z from {@code qemu-system-x86_64 --version}. */
    static String qemuVersion(Path dir) {
        String out = Peers.runOk(dir, "qemu-version", "qemu-system-x86_64", "--version").stdout();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("QEMU emulator version (\\d+\\.\\d+\\.\\d+)")
                .matcher(out);
        assertTrue(m.find(), "qemu-system-x86_64 --version printed no version:\n" + out);
        return m.group(1);
    }

    @Test
    void anUnknownPortNameFails() {
        Path dir = Peers.workDir(getClass(), "unknown");
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on",
                List.of("-chardev", "spiceport,id=mon,name=" + MONITOR, "-mon", "chardev=mon"), port)) {
            Proc.Result r = Spice.command(List.of(), "port", "spice://127.0.0.1:" + port, "no.such.port")
                    .run(dir, "port", Duration.ofSeconds(90));
            assertEquals(3, r.exitCode(), r::describe);
            assertTrue(r.stderr().contains("no port named no.such.port"), r::describe);
            assertTrue(r.stderr().contains(MONITOR), r::describe);
        }
    }
}
