package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Our client reaching QEMU through Debian's tinyproxy with HTTP CONNECT ({@code SPICE_PROXY}), with basic
 * authentication; the proxy allows CONNECT to QEMU's port only, so any other port is a refusal.
 */
class QemuProxyIT {
    private static Path dir;
    private static int port;
    private static int proxyPort;
    private static Qemu.Vm qemu;
    private static Proc tinyproxy;

    @BeforeAll
    static void start() {
        dir = Peers.workDir(QemuProxyIT.class, "peers");
        port = Peers.freePort();
        qemu = new Qemu.Vm(dir, "qemu", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on", List.of(), port);
        proxyPort = Peers.freePort();
        Path conf = Peers.write(dir.resolve("tinyproxy.conf"), String.join("\n",
                "User nobody", "Group nogroup", "Port " + proxyPort, "Listen 127.0.0.1", "Timeout 60",
                "MaxClients 20", "LogLevel Connect", "ConnectPort " + port, "BasicAuth alice s3cret", ""));
        tinyproxy = Proc.of(Peers.bounded("tinyproxy", "-d", "-c", conf.toString())).dir(dir).mergeErr()
                .start(dir, "tinyproxy");
        Peers.awaitListening(proxyPort, tinyproxy, Duration.ofSeconds(10));
    }

    @BeforeEach
    void qemuRunning() {
        qemu.ensureRunning();
    }

    @AfterAll
    static void stop() {
        if (tinyproxy != null) {
            tinyproxy.close();
        }
        if (qemu != null) {
            qemu.close();
        }
    }

    private static Spice.Probe probe(String name, String proxy, int target) {
        return Spice.probe(Peers.workDir(QemuProxyIT.class, name), "probe", Map.of("SPICE_PROXY", proxy),
                "--timeout", "5", "spice://127.0.0.1:" + target);
    }

    @Test
    void everyChannelGoesThroughTheProxy() {
        long before = connects();
        Spice.Probe p = probe("through", "http://alice:s3cret@127.0.0.1:" + proxyPort, port);
        assertEquals(0, p.exitCode(), p::describe);
        assertTrue(p.channels().keySet().containsAll(List.of("main:0", "display:0", "cursor:0", "inputs:0")),
                p::describe);
        // One tunnel per channel: main plus the channels the probe linked.
        long tunnels = connects() - before;
        assertEquals(p.channels().size(), tunnels, () -> p.describe() + "\n" + tinyproxy.describe());
    }

    @Test
    void missingCredentialsSayTheProxyWantsThem() {
        Spice.Probe p = probe("no-auth", "http://127.0.0.1:" + proxyPort, port);
        assertEquals(3, p.exitCode(), p::describe);
        assertTrue(p.stderr().contains("requires authentication"), p::describe);
    }

    @Test
    void aPortTheProxyDeniesIsAClearRefusal() {
        Spice.Probe p = probe("denied", "http://alice:s3cret@127.0.0.1:" + proxyPort, port + 1);
        assertEquals(3, p.exitCode(), p::describe);
        assertTrue(p.stderr().contains("refused to connect to 127.0.0.1:" + (port + 1)), p::describe);
        assertTrue(p.stderr().contains("403"), p::describe);
    }

    @Test
    void aProxyThatIsNotAnHttpUriIsAUsageError() {
        Spice.Probe p = probe("bad-uri", "socks5://127.0.0.1:" + proxyPort, port);
        assertEquals(64, p.exitCode(), p::describe);
        assertTrue(p.stderr().contains("http:// or https://"), p::describe);
    }

    /** tinyproxy logs each CONNECT it establishes. */
    private static long connects() {
        return tinyproxy.stdout().lines().filter(l -> l.contains("CONNECT") && l.contains("127.0.0.1:" + port))
                .count();
    }
}
