package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.TunnelMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.tunnel.api.TunnelShare;

@ExtendWith(LeakCheck.class)
class TunnelTest {
    private static final long BIG = 50L << 20;

    /** A deterministic stream of pseudo-random bytes. */
    private static void writeStream(OutputStream out, long n) throws java.io.IOException {
        Random r = new Random(42);
        byte[] b = new byte[64 * 1024];
        for (long left = n; left > 0; ) {
            r.nextBytes(b);
            int k = (int) Math.min(b.length, left);
            out.write(b, 0, k);
            left -= k;
        }
    }

    private static byte[] sha256Of(long n) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        writeStream(new OutputStream() {
            public void write(int x) {
                md.update((byte) x);
            }

            public void write(byte[] b, int off, int len) {
                md.update(b, off, len);
            }
        }, n);
        return md.digest();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void httpThroughTheTunnel(@TempDir Path dir) throws Exception {
        byte[] file = new byte[300_000];
        new Random(7).nextBytes(file);
        Files.write(dir.resolve("file.bin"), file);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        http.createContext("/file.bin", ex -> {
            byte[] body = Files.readAllBytes(dir.resolve("file.bin"));
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        http.createContext("/big", ex -> {
            ex.sendResponseHeaders(200, BIG);
            try (OutputStream o = ex.getResponseBody()) {
                writeStream(o, BIG);
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(20);
        http.setExecutor(Executors.newFixedThreadPool(24));
        http.start();
        try (ServerEngine server = PortTest.server("tunnel").start()) {
            TunnelServerFactory tunnelServer = new TunnelServerFactory();
            server.addFactory(tunnelServer);
            TunnelClientFactory tunnelClient = new TunnelClientFactory();
            try (ClientEngine engine = new ClientEngine(t -> t == ChannelType.TUNNEL ? tunnelClient : null)) {
                ClientSession s = engine.connect(PortTest.uri(server), ClientOptions.defaults()).get(20, TimeUnit.SECONDS);
                TunnelShare share = tunnelClient.share(s, "web", http.getAddress()).get(20, TimeUnit.SECONDS);
                InetSocketAddress listener = null;
                for (int i = 0; i < 500 && listener == null; i++) {
                    listener = tunnelServer.listeners().get("web");
                    Thread.sleep(10);
                }
                assertTrue(listener.getAddress().isLoopbackAddress());
                String base = "http://127.0.0.1:" + listener.getPort();

                assertArrayEquals(file, get(base + "/file.bin"));

                List<Future<byte[]>> all = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    all.add(pool.submit(() -> get(base + "/file.bin")));
                }
                for (Future<byte[]> f : all) {
                    assertArrayEquals(file, f.get(60, TimeUnit.SECONDS));
                }

                long t0 = System.nanoTime();
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                long total = 0;
                try (Socket sock = new Socket()) {
                    sock.connect(listener, 10_000);
                    sock.setSoTimeout(30_000);
                    sock.getOutputStream().write("GET /big HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = sock.getInputStream();
                    int state = 0; // skip the headers up to CRLF CRLF
                    while (state < 4) {
                        int x = in.read();
                        if (x < 0) {
                            throw new AssertionError("no HTTP response");
                        }
                        state = x == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : x == '\r' ? 1 : 0;
                    }
                    byte[] b = new byte[64 * 1024];
                    for (int n; (n = in.read(b)) >= 0; ) {
                        md.update(b, 0, n);
                        total += n;
                    }
                }
                assertEquals(BIG, total);
                assertArrayEquals(sha256Of(BIG), md.digest());
                System.out.println("50 MB through the tunnel in " + (System.nanoTime() - t0) / 1_000_000 + " ms");

                // Sockets are closed on both sides: the share counts none open once the closes are acked.
                for (int i = 0; i < 500 && share.openSockets() > 0; i++) {
                    Thread.sleep(10);
                }
                assertEquals(0, share.openSockets());

                share.close();
                for (int i = 0; i < 500 && tunnelServer.listeners().containsKey("web"); i++) {
                    Thread.sleep(10);
                }
                assertNull(tunnelServer.listeners().get("web"));
            }
        } finally {
            http.stop(0);
            ((ExecutorService) http.getExecutor()).shutdownNow();
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unreachableServiceIsRefused() throws Exception {
        java.net.ServerSocket gone = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        InetSocketAddress dead = new InetSocketAddress("127.0.0.1", gone.getLocalPort());
        gone.close();
        try (ServerEngine server = PortTest.server("tunnel").start()) {
            TunnelServerFactory tunnelServer = new TunnelServerFactory();
            server.addFactory(tunnelServer);
            TunnelClientFactory tunnelClient = new TunnelClientFactory();
            try (ClientEngine engine = new ClientEngine(t -> t == ChannelType.TUNNEL ? tunnelClient : null)) {
                ClientSession s = engine.connect(PortTest.uri(server), ClientOptions.defaults()).get(20, TimeUnit.SECONDS);
                tunnelClient.share(s, "dead", dead).get(20, TimeUnit.SECONDS);
                InetSocketAddress listener = null;
                for (int i = 0; i < 500 && listener == null; i++) {
                    listener = tunnelServer.listeners().get("dead");
                    Thread.sleep(10);
                }
                try (Socket sock = new Socket()) {
                    sock.connect(listener, 10_000);
                    sock.setSoTimeout(20_000);
                    assertEquals(-1, sock.getInputStream().read()); // NACK: the server closes the socket
                }
            }
        }
    }

    @Test
    void codecsRoundTrip() {
        ByteBuf b = Unpooled.buffer();
        new TunnelMessages.ServiceAdd(TunnelMessages.SERVICE_IPP, 5, 1, 631, "printer", "the printer",
                new byte[] {10, 0, 0, 1}).encode(b);
        TunnelMessages.ServiceAdd a = TunnelMessages.ServiceAdd.decode(b);
        assertEquals("printer", a.name());
        assertEquals("the printer", a.description());
        assertEquals(631, a.port());
        assertArrayEquals(new byte[] {10, 0, 0, 1}, a.ipv4());
        assertEquals(0, b.readableBytes());
        b.clear();
        new TunnelMessages.ServiceAdd(TunnelMessages.SERVICE_GENERIC, 6, 0, 80, "web", "", null).encode(b);
        assertEquals("web", TunnelMessages.ServiceAdd.decode(b).name());
        b.clear();
        new TunnelMessages.SocketOpen(3, 6, 32).encode(b);
        assertEquals(new TunnelMessages.SocketOpen(3, 6, 32), TunnelMessages.SocketOpen.decode(b));
        b.clear();
        new TunnelMessages.Init(256, 32768).encode(b);
        assertEquals(new TunnelMessages.Init(256, 32768), TunnelMessages.Init.decode(b));
        b.clear();
        new TunnelMessages.ServiceIpMap(6, new byte[] {127, 0, 0, 1}).encode(b);
        assertArrayEquals(new byte[] {127, 0, 0, 1}, TunnelMessages.ServiceIpMap.decode(b).ipv4());
        b.clear();
        new TunnelMessages.SocketData(TunnelMessages.SOCKET_DATA, 9, "hi".getBytes(StandardCharsets.UTF_8)).encode(b);
        TunnelMessages.SocketData d = TunnelMessages.SocketData.decode(TunnelMessages.SOCKET_DATA, b, 100);
        assertEquals(9, d.connectionId());
        assertEquals("hi", new String(d.data(), StandardCharsets.UTF_8));
        b.clear();
        new TunnelMessages.SocketToken(TunnelMessages.SOCKET_TOKEN, 9, 8).encode(b);
        assertEquals(8, TunnelMessages.SocketToken.decode(TunnelMessages.SOCKET_TOKEN, b).tokens());
        b.release();
    }

    @Test
    void badTunnelMessagesAreRefused() {
        // name pointer into the fixed part
        ByteBuf p = Unpooled.buffer().writeShortLE(1).writeIntLE(1).writeIntLE(0).writeIntLE(80).writeIntLE(2)
                .writeIntLE(22).writeBytes("x\0".getBytes(StandardCharsets.UTF_8));
        assertThrows(SpiceProtocolException.class, () -> TunnelMessages.ServiceAdd.decode(p));
        p.release();
        // unterminated name
        ByteBuf u = Unpooled.buffer().writeShortLE(1).writeIntLE(1).writeIntLE(0).writeIntLE(80).writeIntLE(22)
                .writeIntLE(22).writeBytes("xyz".getBytes(StandardCharsets.UTF_8));
        assertThrows(SpiceProtocolException.class, () -> TunnelMessages.ServiceAdd.decode(u));
        u.release();
        ByteBuf type = Unpooled.buffer().writeShortLE(9).writeZero(20);
        assertThrows(SpiceProtocolException.class, () -> TunnelMessages.ServiceAdd.decode(type));
        type.release();
        ByteBuf big = Unpooled.buffer().writeShortLE(1).writeZero(200);
        assertThrows(SpiceProtocolException.class,
                () -> TunnelMessages.SocketData.decode(TunnelMessages.SOCKET_DATA, big, 100));
        big.release();
        ByteBuf shortOpen = Unpooled.buffer().writeShortLE(1).writeIntLE(1);
        assertThrows(SpiceProtocolException.class, () -> TunnelMessages.SocketOpen.decode(shortOpen));
        shortOpen.release();
        ByteBuf ip = Unpooled.buffer().writeIntLE(1).writeShortLE(7);
        assertThrows(SpiceProtocolException.class, () -> TunnelMessages.ServiceIpMap.decode(ip));
        ip.release();
    }

    /**
     * An HTTP/1.0 GET over a plain socket, so the socket surely closes (HttpURLConnection keeps connections alive
     * and ignores "Connection: close"): writes the request, half-closes, reads to the end, strips the headers.
     */
    private static byte[] get(String url) throws Exception {
        URL u = new URL(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 10_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + u.getPath() + " HTTP/1.0\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // no shutdownOutput: the JDK HttpServer may drop a request whose connection is half-closed
            byte[] all = s.getInputStream().readAllBytes();
            for (int i = 0; i + 3 < all.length; i++) {
                if (all[i] == '\r' && all[i + 1] == '\n' && all[i + 2] == '\r' && all[i + 3] == '\n') {
                    assertTrue(new String(all, 0, i, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
                    return java.util.Arrays.copyOfRange(all, i + 4, all.length);
                }
            }
            throw new AssertionError("no HTTP response: " + all.length + " bytes");
        }
    }
}
