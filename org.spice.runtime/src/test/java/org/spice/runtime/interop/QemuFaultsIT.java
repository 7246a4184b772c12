package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our client commands ({@code listen}, {@code port}, {@code connect} under Xvfb, {@code screenshot}) when QEMU 7.2
 * (spice-server 0.15) is stopped ({@code kill -STOP}) or killed ({@code kill -9}) under them: each ends by itself within a bound, with exit 3 and one clear line, never a hang or a stack trace.
 * A stopped QEMU keeps its sockets open and its kernel still acknowledges bytes, so only the silence tells: QEMU
 * pings an idle main channel every 15 s, and {@code --server-silence 5} (45 s by default) ends the session when
 * nothing came for that long. A killed QEMU's sockets close: the session ends at once.
 */
class QemuFaultsIT {
    private static final String MONITOR = "org.qemu.monitor.hmp.0";
    /** Far above the 5 s silence limit plus a JVM's exit: only a hang exceeds it. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    private static Proc qemu(Path dir, int port) {
        return Qemu.start(dir, "qemu", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on", Qemu.EXTRA_DEVICES,
                port);
    }

    /** The command ended with exit 3 and one error line, {@code message}, and printed no Java stack trace. */
    private static void assertEndedClearly(Proc command, String message) {
        int exit = command.awaitExit(BOUND);
        assertEquals(3, exit, command::describe);
        assertTrue(command.stderr().contains(message), command::describe);
        assertEquals(1, command.stderr().lines().filter(l -> l.startsWith("error: ")).count(), command::describe);
        assertFalse(command.stderr().contains("\tat ") || command.stderr().contains("Exception in thread"),
                command::describe);
    }

    @Test
    void listenEndsWhenQemuIsStopped() {
        Path dir = Peers.workDir(getClass(), "listen-stop");
        int port = Peers.freePort();
        try (Proc qemu = qemu(dir, port);
                Proc listen = Spice.command(List.of(), "listen", "--server-silence", "5", "--audio-out",
                        dir.resolve("listen.wav").toString(), "spice://127.0.0.1:" + port).start(dir, "listen")) {
            listen.awaitStdout("^playback: linked", Duration.ofSeconds(60));
            qemu.signal("STOP");
            try {
                assertEndedClearly(listen, "error: session lost: the server sent nothing for 5 s, not even a ping");
            } finally {
                qemu.signal("CONT");
            }
        }
    }

    @Test
    void listenEndsWhenQemuIsKilled() {
        Path dir = Peers.workDir(getClass(), "listen-kill");
        int port = Peers.freePort();
        try (Proc qemu = qemu(dir, port);
                Proc listen = Spice.command(List.of(), "listen", "--audio-out", dir.resolve("listen.wav").toString(),
                        "spice://127.0.0.1:" + port).start(dir, "listen")) {
            listen.awaitStdout("^playback: linked", Duration.ofSeconds(60));
            qemu.signal("KILL");
            assertEndedClearly(listen, "error: session lost: ");
            assertTrue(listen.stdout().contains("playback: "), listen::describe); // the report still comes
        }
    }

    @Test
    void portEndsWhenQemuIsStopped() {
        Path dir = Peers.workDir(getClass(), "port-stop");
        int port = Peers.freePort();
        try (Proc qemu = qemu(dir, port);
                Proc bridge = Spice.command(List.of(), "port", "--server-silence", "5", "spice://127.0.0.1:" + port,
                        MONITOR).pipedInput().start(dir, "port")) {
            bridge.awaitStderr("port " + MONITOR + " open", Duration.ofSeconds(60));
            bridge.send("info version");
            bridge.awaitStdout("\\d+\\.\\d+\\.\\d+", Duration.ofSeconds(30));
            qemu.signal("STOP");
            try {
                assertEndedClearly(bridge, "error: session lost: the server sent nothing for 5 s");
            } finally {
                qemu.signal("CONT");
            }
        }
    }

    @Test
    void portEndsWhenQemuIsKilled() {
        Path dir = Peers.workDir(getClass(), "port-kill");
        int port = Peers.freePort();
        try (Proc qemu = qemu(dir, port);
                Proc bridge = Spice.command(List.of(), "port", "spice://127.0.0.1:" + port, MONITOR).pipedInput()
                        .start(dir, "port")) {
            bridge.awaitStderr("port " + MONITOR + " open", Duration.ofSeconds(60));
            qemu.signal("KILL");
            assertEndedClearly(bridge, "error: session lost: ");
        }
    }

    @Test
    void connectEndsWhenQemuIsStopped() {
        connectUnderFault("STOP", "error: session lost: the server sent nothing for 5 s, not even a ping");
    }

    @Test
    void connectEndsWhenQemuIsKilled() {
        connectUnderFault("KILL", "error: session lost: ");
    }

    /** {@code spice connect} (its windows under Xvfb) on QEMU, then QEMU gets {@code signal}. */
    private void connectUnderFault(String signal, String message) {
        Path dir = Peers.workDir(getClass(), "connect-" + signal.toLowerCase(java.util.Locale.ROOT));
        int port = Peers.freePort();
        try (Proc qemu = qemu(dir, port);
                Xvfb x = Xvfb.start(dir, "1280x900x24");
                Proc gui = Spice.command(List.of(), "connect", "--server-silence", "5", "spice://127.0.0.1:" + port)
                        .env("DISPLAY", x.display).env("XDG_CONFIG_HOME", dir.resolve("config").toString())
                        .start(dir, "connect")) {
            // the window's status line, logged once display, inputs and cursor linked too
            gui.awaitStderr("status: main display inputs cursor", Duration.ofSeconds(90));
            qemu.signal(signal);
            try {
                assertEndedClearly(gui, message);
            } finally {
                if (signal.equals("STOP")) {
                    qemu.signal("CONT");
                }
            }
        }
    }

    @Test
    void screenshotOfAStoppedQemuEndsAtItsTimeout() {
        Path dir = Peers.workDir(getClass(), "screenshot-stop");
        int port = Peers.freePort();
        try (Proc qemu = qemu(dir, port)) {
            qemu.signal("STOP"); // its kernel still accepts the connection; the link reply never comes
            try (Proc shot = Spice.command(List.of(), "screenshot", "--timeout", "5", "spice://127.0.0.1:" + port,
                        dir.resolve("out.png").toString()).start(dir, "screenshot")) {
                assertEndedClearly(shot, "error: ");
            } finally {
                qemu.signal("CONT");
            }
        }
    }
}
