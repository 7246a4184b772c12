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

/** Our {@code spice server} without a password, judged by our probe, by tshark's SPICE dissector and by spice-gtk. */
class OurServerIT {
    static final String NAME = "Interop Test " + Long.toHexString(System.nanoTime() & 0xffffff);

    private static int port;
    private static Proc server;

    @BeforeAll
    static void startServer() {
        port = Peers.freePort();
        server = Spice.startServer(Peers.workDir(OurServerIT.class, "server"), "--listen", "127.0.0.1:" + port,
                "--name", NAME);
        assertEquals("SPICE server listening on spice://127.0.0.1:" + port, server.stdout().lines().findFirst()
                .orElse(""), server::describe);
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

    private static String uri() {
        return "spice://127.0.0.1:" + port;
    }

    @Test
    void probeShowsNameAndMainChannel() {
        Spice.Probe p = Spice.probe(Peers.workDir(getClass(), "probe"), "probe", uri());
        assertEquals(0, p.exitCode(), p::describe);
        assertEquals(NAME, p.field("name"), p::describe);
        assertTrue(String.valueOf(p.field("session id")).matches("0x[0-9a-f]+"), p::describe);
        assertTrue(String.valueOf(p.field("uuid")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
                p::describe);
        Map<String, Spice.Channel> channels = p.channels();
        assertEquals("main:0", channels.keySet().iterator().next(), p::describe);
        assertFalse(channels.get("main:0").tls(), p::describe);
        // Every channel the server announced is listed to the client and links.
        assertEquals(Spice.announcedChannels(server).stream().sorted().toList(),
                channels.keySet().stream().sorted().toList(), p::describe);
        String sessionId = p.field("session id");
        server.awaitStderr("main:0 from /127\\.0\\.0\\.1:\\d+ linked \\(connection " + sessionId + "\\b",
                Duration.ofSeconds(5));
    }

    @Test
    void probeTrafficDecodesAsSpice() {
        Path d = Peers.workDir(getClass(), "capture-probe");
        Spice.Probe p;
        try (Capture cap = Capture.start(d, "probe", port)) {
            p = Spice.probe(d, "probe", uri());
            cap.stop();
            assertEquals(0, p.exitCode(), p::describe);
            List<String> frames = cap.frames("spice", "frame.number", "_ws.col.Info");
            assertTrue(frames.stream().anyMatch(f -> f.endsWith("|Client link message")), frames::toString);
            assertTrue(frames.stream().anyMatch(f -> f.endsWith("|Server link message")), frames::toString);
            assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed")),
                    "malformed SPICE frames");
            // The probe links every channel the server offers: one link reply each, all SPICE_LINK_ERR_OK.
            assertEquals(java.util.Collections.nCopies(Spice.announcedChannels(server).size(), "0"),
                    cap.frames("spice.error_code", "spice.error_code"), "one OK link reply per offered channel");
        }
    }

    @Test
    void spiceGtkMainChannelDecodesAsSpice() {
        Path d = Peers.workDir(getClass(), "capture-spicy");
        try (Capture cap = Capture.start(d, "spicy", port);
                Proc spicy = Spicy.start(d, "spicy", Map.of(), "-h", "127.0.0.1", "-p", Integer.toString(port))) {
            spicy.awaitStdout("server name: ", Spicy.LINK_TIMEOUT);
            cap.stop();
            // What our server sends; Wireshark also flags spice-gtk's own record MODE message, whose layout it
            // misreads (it decodes the same layout from a server fine).
            assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed && tcp.srcport==" + port)),
                    "malformed SPICE frames");
            // spice-gtk sends its ticket in a segment of its own, so Wireshark follows the main channel messages.
            List<String> names = cap.frames("spice.main_name", "spice.main_name");
            assertEquals(List.of(NAME), names, "SPICE_MSG_MAIN_NAME as Wireshark decodes it");
            List<String> results = cap.frames("spice.ticket_server", "spice.ticket_server");
            assertFalse(results.isEmpty(), "no link result decoded");
            assertEquals(java.util.Collections.nCopies(results.size(), "0"), results, "every link result OK");
            List<String> info = cap.frames("spice", "_ws.col.Info");
            assertEquals("Client link message", info.get(0), info::toString);
            assertTrue(info.stream().anyMatch(i -> i.startsWith("Server link message")), info::toString);
            assertTrue(info.stream().anyMatch(i -> i.contains("Server INIT")), info::toString);
            assertTrue(info.stream().anyMatch(i -> i.contains("Client ATTACH_CHANNELS")), info::toString);
            assertTrue(info.stream().anyMatch(i -> i.contains("Server CHANNELS_LIST")), info::toString);
        }
    }

    @Test
    void spiceGtkBringsMainUpAndShowsName() {
        Path d = Peers.workDir(getClass(), "spicy");
        try (Proc spicy = Spicy.start(d, "spicy", Map.of(), "-h", "127.0.0.1", "-p", Integer.toString(port))) {
            spicy.awaitStdout(Spicy.CHANNEL_UP, Spicy.LINK_TIMEOUT);
            spicy.awaitStdout("server name: " + java.util.regex.Pattern.quote(NAME) + "$", Spicy.LINK_TIMEOUT);
            // With the display channel offered, spicy-screenshot then writes its picture and ends.
            assertEquals(0, spicy.awaitExit(Duration.ofSeconds(30)), spicy::describe);
            assertTrue(Pictures.read(d.resolve("spicy.ppm")).length > 0, spicy::describe);
        }
    }
}
