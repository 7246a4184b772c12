package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code spice probe} against QEMU without a password: it links the main channel and every channel QEMU lists. */
class QemuChannelsIT {
    private static Path dir;
    private static int plainPort;
    private static int extraPort;
    private static Qemu.Vm plain;
    private static Qemu.Vm extra;

    @BeforeAll
    static void startQemus() {
        dir = Peers.workDir(QemuChannelsIT.class, "qemu");
        plainPort = Peers.freePort();
        extraPort = Peers.freePort();
        plain = new Qemu.Vm(dir, "qemu-plain", "port=" + plainPort + ",addr=127.0.0.1,disable-ticketing=on",
                List.of(), plainPort);
        extra = new Qemu.Vm(dir, "qemu-devices", "port=" + extraPort + ",addr=127.0.0.1,disable-ticketing=on",
                Qemu.EXTRA_DEVICES, extraPort);
    }

    @BeforeEach
    void qemusRunning() {
        plain.ensureRunning();
        extra.ensureRunning();
    }

    @AfterEach
    void qemuSurvived() {
        plain.assertSurvived();
        extra.assertSurvived();
    }

    @AfterAll
    static void stopQemus() {
        if (plain != null) {
            plain.close();
        }
        if (extra != null) {
            extra.close();
        }
    }

    @Test
    void probeListsMainDisplayCursorInputs() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "plain"), "probe",
                "spice://127.0.0.1:" + plainPort);
        assertEquals(0, p.exitCode(), p::describe);
        assertEquals("connected to spice://127.0.0.1:" + plainPort, p.result().lines().get(0), p::describe);
        assertEquals("QEMU", p.field("name").split(" ")[0], p::describe);
        Map<String, Spice.Channel> channels = p.channels();
        assertEquals("main:0", channels.keySet().iterator().next(), "main is linked and printed first\n"
                + p.describe());
        assertEquals(sorted("main:0", "display:0", "cursor:0", "inputs:0"), sorted(channels.keySet()), p::describe);
        channels.values().forEach(c -> assertFalse(c.tls(), () -> c + " is plaintext\n" + p.describe()));
    }

    @Test
    void probeListsEveryExtraDeviceChannel() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "devices"), "probe",
                "spice://127.0.0.1:" + extraPort);
        assertEquals(0, p.exitCode(), p::describe);
        assertEquals(sorted("main:0", "display:0", "cursor:0", "inputs:0", "playback:0", "record:0", "usbredir:0",
                "smartcard:0", "port:0"), sorted(p.channels().keySet()), p::describe);
    }

    private static List<String> sorted(String... names) {
        return sorted(List.of(names));
    }

    private static List<String> sorted(Collection<String> names) {
        return names.stream().sorted().toList();
    }
}
