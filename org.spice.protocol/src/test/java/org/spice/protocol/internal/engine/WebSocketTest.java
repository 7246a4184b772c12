package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;

/**
 * Browsers on the server's port: pages on plain GET, SPICE in WebSocket binary frames (a whole session through a
 * relay that puts each of our client's channel connections in a WebSocket of its own, as spice-html5 does), and bad
 * HTTP and WebSocket input closing only its own connection with a logged reason while the server keeps serving.
 */
@ExtendWith(LeakCheck.class)
class WebSocketTest {
    private static final Duration LINK_TIMEOUT = Duration.ofSeconds(4);
    @TempDir
    Path web;
    private ServerEngine server;
    private ClientEngine client;
    private LogCapture log;
    private Relay relay;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(web.resolve(WebPages.CLIENT_PAGE), "<html>spice-html5</html>");
        Files.writeString(web.resolve("main.js"), "export const x = 1;\n");
        Files.writeString(web.resolve("secret.txt"), "not served\n");
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "websocket", UUID.randomUUID(), 4, LINK_TIMEOUT, null, web, null)).start();
        client = new ClientEngine(t -> null);
        log = new LogCapture("org.spice.protocol");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            // The server still links a plain SPICE client after whatever the test sent.
            ClientSession s = client.connect(new SpiceUri("127.0.0.1", port(), -1, null), ClientOptions.defaults())
                    .get(10, TimeUnit.SECONDS);
            assertTrue(s.main().sessionId() != 0);
        } finally {
            if (relay != null) {
                relay.close();
            }
            log.close();
            client.close();
            server.close();
        }
    }

    private int port() {
        return server.plainAddress().orElseThrow().getPort();
    }

    private Socket raw() throws IOException {
        Socket s = new Socket("127.0.0.1", port());
        s.setSoTimeout(5000);
        return s;
    }

    /** Sends {@code request} and reads the whole response until the server closes. */
    private String http(String request) throws IOException {
        try (Socket s = raw()) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theLauncherAndSpiceHtml5sModulesAreServed() throws Exception {
        String launcher = http("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(launcher.startsWith("HTTP/1.1 200 OK\r\n"), launcher);
        assertTrue(launcher.contains("content-type: text/html"), launcher);
        assertTrue(launcher.contains("location.replace('spice_auto.html' + location.search)"), launcher);
        String module = http("GET /main.js?v=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(module.startsWith("HTTP/1.1 200 OK\r\n"), module);
        assertTrue(module.contains("content-type: text/javascript"), module);
        assertTrue(module.endsWith("\r\n\r\nexport const x = 1;\n"), module);
        for (String path : List.of("/secret.txt", "/../" + web.getFileName() + "/main.js", "/%2e%2e/etc/passwd",
                "/.hidden", "/nothing.js")) {
            String r = http("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.1 404 Not Found\r\n"), path + ": " + r);
        }
    }

    @Test
    void withoutSpiceHtml5TheServerSaysWhichPackageIsMissing() throws Exception {
        Files.delete(web.resolve(WebPages.CLIENT_PAGE));
        String r = http("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 404 Not Found\r\n"), r);
        assertTrue(r.contains("install the package spice-html5"), r);
    }

    @Test
    void aWholeSessionTravelsInWebSockets() throws Exception {
        relay = new Relay(port());
        ClientSession s = client.connect(new SpiceUri("127.0.0.1", relay.port(), -1, null), ClientOptions.defaults())
                .get(10, TimeUnit.SECONDS);
        assertTrue(s.main().sessionId() != 0);
        assertFalse(s.closed().isDone());
        // main linked in its own WebSocket, and the server counts the client as attached.
        assertEquals(1, relay.upgrades.size());
        assertTrue(relay.upgrades.get(0).toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-protocol: binary"), relay.upgrades.get(0));
        assertEquals(1, server.clients().size());
        assertEquals(List.of("main:0"), server.clients().get(0).channels());
        log.await("WebSocket from /127.0.0.1");
    }

    @Test
    void anOversizedRequestLineIsRefused() throws Exception {
        String r = http("GET /" + "a".repeat(HttpStage.MAX_REQUEST_LINE + 10) + " HTTP/1.1\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 414 "), r);
        log.await("malformed HTTP request: over the limits");
    }

    @Test
    void oversizedHeadersAreRefused() throws Exception {
        StringBuilder b = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 200; i++) {
            b.append("X-Filler-").append(i).append(": ").append("y".repeat(60)).append("\r\n");
        }
        String r = http(b.append("\r\n").toString());
        assertTrue(r.startsWith("HTTP/1.1 431 "), r);
        log.await("malformed HTTP request: over the limits");
    }

    @Test
    void garbageAfterGetIsABadRequest() throws Exception {
        byte[] junk = new byte[300];
        new java.util.Random(3).nextBytes(junk);
        junk[0] = 'G';
        junk[1] = 'E';
        junk[2] = 'T';
        junk[3] = ' ';
        junk[junk.length - 4] = '\r';
        junk[junk.length - 3] = '\n';
        junk[junk.length - 2] = '\r';
        junk[junk.length - 1] = '\n';
        try (Socket s = raw()) {
            s.getOutputStream().write(junk);
            String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(r.startsWith("HTTP/1.1 4"), r);
        }
        log.await("HTTP connection from /127.0.0.1");
    }

    @Test
    void aRequestWithABodyIsRefusedUnread() throws Exception {
        String r = http("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 413 "), r);
        log.await("a request body of 1000000000 bytes");
    }

    @Test
    void aStalledRequestTimesOut() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(-1, s.getInputStream().read());
        }
        log.await("no whole request within " + LINK_TIMEOUT.toMillis() + " ms");
    }

    @Test
    void aFrameThatLiesAboutItsLengthClosesThatWebSocket() throws Exception {
        try (Socket s = raw()) {
            upgrade(s);
            // A masked binary frame announcing 2^62 bytes of payload, and only a few bytes of it.
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {(byte) 0x82, (byte) (0x80 | 127), 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 9, 9});
            out.flush();
            assertClosedWith(s.getInputStream(), 1009);
        }
        // Netty's frame decoder names the limit it refused the frame for.
        assertTrue(log.await("has been exceeded").contains("WebSocket from /127.0.0.1"), log.lines()::toString);
    }

    @Test
    void aTextFrameClosesThatWebSocket() throws Exception {
        try (Socket s = raw()) {
            upgrade(s);
            s.getOutputStream().write(frame(0x1, "REDQ".getBytes(StandardCharsets.US_ASCII)));
            assertClosedWith(s.getInputStream(), 1003);
        }
        log.await("closed: a text frame (SPICE travels in binary frames)");
    }

    @Test
    void anUnmaskedFrameClosesThatWebSocket() throws Exception {
        try (Socket s = raw()) {
            upgrade(s);
            s.getOutputStream().write(new byte[] {(byte) 0x82, 4, 'R', 'E', 'D', 'Q'});
            assertClosedWith(s.getInputStream(), 1002);
        }
        assertTrue(log.await("not masked").contains("WebSocket from /127.0.0.1"), log.lines()::toString);
    }

    /** The server's close frame carries {@code status}, then the connection ends. */
    private static void assertClosedWith(InputStream in, int status) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int op = d.readUnsignedByte() & 0x0f;
        int len = d.readUnsignedByte() & 0x7f;
        assertEquals(0x8, op, "a close frame");
        byte[] body = new byte[len];
        d.readFully(body);
        assertEquals(status, ((body[0] & 0xff) << 8) | (body[1] & 0xff));
        assertEquals(-1, in.read(), "the server must close after its close frame");
    }

    /** The opening handshake spice-html5's browser sends; returns the server's response head. */
    static String upgrade(Socket s) throws IOException {
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(("GET /websockify HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: binary\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("no handshake response: " + head);
            }
            head.write(c);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        assertTrue(h.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), h);
        return h;
    }

    /** A final, masked frame (as a browser sends) with {@code opcode} and {@code payload} under 64 KiB. */
    static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80 | opcode);
        if (payload.length < 126) {
            b.write(0x80 | payload.length);
        } else {
            b.write(0x80 | 126);
            b.write(payload.length >> 8);
            b.write(payload.length);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        b.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            b.write(payload[i] ^ mask[i & 3]);
        }
        return b.toByteArray();
    }

    /**
     * A reverse websockify: each TCP connection our client makes to it becomes a WebSocket to the server, bytes going
     * up in masked binary frames and coming down unwrapped from the server's frames.
     */
    private static final class Relay implements AutoCloseable {
        final List<String> upgrades = new CopyOnWriteArrayList<>();
        private final ServerSocket listener = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final int target;

        Relay(int target) throws IOException {
            this.target = target;
            Thread t = new Thread(this::accept, "ws-relay");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket c = listener.accept();
                    Socket s = new Socket("127.0.0.1", target);
                    sockets.add(c);
                    sockets.add(s);
                    upgrades.add(upgrade(s));
                    pump("up", () -> {
                        byte[] buf = new byte[4096];
                        int n;
                        while ((n = c.getInputStream().read(buf)) > 0) {
                            s.getOutputStream().write(frame(0x2, java.util.Arrays.copyOf(buf, n)));
                        }
                    });
                    pump("down", () -> {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        while (true) {
                            int op = in.readUnsignedByte() & 0x0f;
                            long len = in.readUnsignedByte() & 0x7f;
                            if (len == 126) {
                                len = in.readUnsignedShort();
                            } else if (len == 127) {
                                len = in.readLong();
                            }
                            byte[] payload = new byte[(int) len];
                            in.readFully(payload);
                            if (op == 0x8) {
                                c.close();
                                return;
                            }
                            c.getOutputStream().write(payload);
                        }
                    });
                }
            } catch (IOException e) {
                // the relay was closed
            }
        }

        private interface Io {
            void run() throws IOException;
        }

        private static void pump(String name, Io io) {
            Thread t = new Thread(() -> {
                try {
                    io.run();
                } catch (IOException e) {
                    // one side closed
                }
            }, "ws-relay-" + name);
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
