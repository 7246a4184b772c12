package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The channels {@code ./spice gateway} relays from the controlling viewer only, against a firmware-only QEMU 7.2 (no
 * guest boot). Port: the VM's HMP monitor on a spiceport chardev is offered to viewers under its name; the viewer
 * connected first ({@code --control first}) sends {@code info version} through the gateway and gets QEMU's answer,
 * a watcher's port channel is closed by the gateway with the reason logged and gets no answer. A missing QEMU fails.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GatewayRelayIT {

    @Test
    void theControllerUsesTheVmsMonitorPortAndAWatcherIsRefused() {
        Path dir = Peers.workDir(getClass(), "port");
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + vmPort + ",addr=127.0.0.1,disable-ticketing=on",
                List.of("-chardev", "spiceport,id=mon,name=" + QemuPortIT.MONITOR, "-mon", "chardev=mon"), vmPort);
                Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "150"), "gateway",
                        "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port,
                        "--control", "first").start(dir, "gateway")) {
            gateway.awaitStdout("^SPICE server listening on spice://127.0.0.1:" + port + "$", Duration.ofSeconds(60));
            gateway.awaitStderr("gateway: the VM's port " + QemuPortIT.MONITOR.replace(".", "\\.")
                    + " is offered to viewers", Duration.ofSeconds(30));
            String uri = "spice://127.0.0.1:" + port;
            Path in = Peers.write(dir.resolve("hmp-in.txt"), "info version\n");
            // The controller connects first and stays (--wait) while the watcher tries.
            CompletableFuture<Proc.Result> controller = CompletableFuture.supplyAsync(() -> Spice.command(List.of(),
                    "port", "--wait", "8", uri, QemuPortIT.MONITOR).input(in).run(dir, "controller", Duration.ofSeconds(90)));
            gateway.awaitStderr("gateway: viewer 0x\\p{XDigit}+ uses the VM's port " + QemuPortIT.MONITOR.replace(".",
                    "\\."), Duration.ofSeconds(40));
            Proc.Result watcher = Spice.command(List.of(), "port", "--timeout", "3", "--wait", "1", uri,
                    QemuPortIT.MONITOR).input(in).run(dir, "watcher", Duration.ofSeconds(60));
            gateway.awaitStderr("gateway: refusing viewer 0x\\p{XDigit}+ the port " + QemuPortIT.MONITOR.replace(".",
                    "\\.") + ": viewer 0x\\p{XDigit}+ watches \\(control first: viewer 0x\\p{XDigit}+ controls\\)",
                    Duration.ofSeconds(10));
            assertFalse(watcher.stdout().lines().anyMatch(l -> l.matches("\\d+\\.\\d+\\.\\d+.*")),
                    () -> "the watcher got an answer from the VM's monitor\n" + watcher.describe());

            Proc.Result r = controller.join();
            assertEquals(0, r.exitCode(), r::describe);
            // The answer to info version is QEMU's version: only the VM's monitor writes it.
            String version = QemuPortIT.qemuVersion(dir);
            assertTrue(r.stdout().lines().anyMatch(l -> l.equals(version) || l.startsWith(version + " ")
                    || l.matches(java.util.regex.Pattern.quote(version) + "[^0-9.].*")),
                    () -> "no version line of QEMU " + version + " through the gateway\n" + r.describe());
            assertTrue(qemu.isAlive(), qemu::describe);
            assertTrue(gateway.isAlive(), gateway::describe);
        }
    }
}
