package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;

/**
 * Our client through an HTTP CONNECT proxy (a small one in this test, on loopback) to our server: the request as
 * written, basic authentication, Proxmox-style host names passed unchanged, and every way a proxy can say no.
 */
@ExtendWith(LeakCheck.class)
class ProxyTest {
    private ServerEngine server;
    private ClientEngine client;
    private TestProxy proxy;

    @BeforeEach
    void start() throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "proxied", new UUID(1, 2), 4, Duration.ofSeconds(2))).start();
        client = new ClientEngine(t -> null);
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        client.close();
        server.close();
    }

    private int serverPort() {
        return server.plainAddress().orElseThrow().getPort();
    }

    private ClientSession connect(String host, String proxyUri) throws Exception {
        ClientOptions o = ClientOptions.defaults().withTimeout(Duration.ofSeconds(3))
                .withProxy(ClientOptions.parseProxy(proxyUri));
        return client.connect(new SpiceUri(host, serverPort(), -1, null), o).get(10, TimeUnit.SECONDS);
    }

    @Test
    void requestAsWritten() {
        assertEquals("CONNECT h:5900 HTTP/1.1\r\nHost: h:5900\r\n\r\n",
                HttpConnectHandler.request(URI.create("http://p:3128"), "h:5900"));
        // "user:pass" in base64; percent escapes in the URI are undone first.
        assertEquals("CONNECT h:5900 HTTP/1.1\r\nHost: h:5900\r\nProxy-Authorization: Basic dXNlcjpwQHNz\r\n\r\n",
                HttpConnectHandler.request(URI.create("http://user:p%40ss@p:3128"), "h:5900"));
    }

    @Test
    void proxmoxHostNamesGoThroughUnchangedWithBasicAuth() throws Exception {
        proxy = new TestProxy("HTTP/1.1 200 Connection established\r\nProxy-Agent: test\r\n\r\n", serverPort());
        String host = "pvespiceproxy:6543f2b3:101:pve::9a3c1e";
        ClientSession s = connect(host, "http://alice:s3cret@127.0.0.1:" + proxy.port());
        assertEquals("proxied", s.main().name());
        String first = proxy.requests.get(0);
        assertTrue(first.startsWith("CONNECT " + host + ":" + serverPort() + " HTTP/1.1\r\n"), first);
        assertTrue(first.contains("\r\nProxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n"), first);
        s.close();
        s.closed().get(5, TimeUnit.SECONDS);
    }

    @Test
    void refusalIsAClearError() throws Exception {
        proxy = new TestProxy("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", serverPort());
        ConnectException e = failure(() -> connect("127.0.0.1", "http://127.0.0.1:" + proxy.port()));
        assertTrue(e.getMessage().contains("refused to connect to 127.0.0.1:" + serverPort()), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP/1.1 403 Forbidden"), e.getMessage());
    }

    @Test
    void authenticationRequiredSaysHowToGiveIt() throws Exception {
        proxy = new TestProxy("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", serverPort());
        ConnectException e = failure(() -> connect("127.0.0.1", "http://127.0.0.1:" + proxy.port()));
        assertTrue(e.getMessage().contains("requires authentication (give it as http://USER:PASSWORD@HOST:PORT)"),
                e.getMessage());
    }

    @Test
    void notHttpOrEndlessAnswersAreRefusedAndTheServerGoesOn() throws Exception {
        proxy = new TestProxy("SSH-2.0-OpenSSH\r\n\r\n", serverPort());
        ConnectException e = failure(() -> connect("127.0.0.1", "http://127.0.0.1:" + proxy.port()));
        assertTrue(e.getMessage().contains("did not answer CONNECT with HTTP"), e.getMessage());
        proxy.close();

        proxy = new TestProxy("HTTP/1.1 200 OK\r\nX: " + "a".repeat(20_000) + "\r\n\r\n", serverPort());
        e = failure(() -> connect("127.0.0.1", "http://127.0.0.1:" + proxy.port()));
        assertTrue(e.getMessage().contains("exceeds " + HttpConnectHandler.MAX_RESPONSE), e.getMessage());

        // The server never saw those attempts; a direct client still links.
        ClientSession direct = client.connect(new SpiceUri("127.0.0.1", serverPort(), -1, null),
                ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
        assertEquals("proxied", direct.main().name());
        direct.close();
        direct.closed().get(5, TimeUnit.SECONDS);
    }

    @Test
    void proxyThatIsNotThereNamesTheProxy() throws Exception {
        int unused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = s.getLocalPort();
        }
        ConnectException e = failure(() -> connect("127.0.0.1", "http://127.0.0.1:" + unused));
        assertTrue(e.getMessage().startsWith("cannot connect to the proxy 127.0.0.1:" + unused), e.getMessage());
    }

    @Test
    void badProxyUrisAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.parseProxy("socks5://127.0.0.1:1080"));
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.parseProxy("http:///nohost"));
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.parseProxy("http://p:3128/path?q"));
        assertEquals(3128, ClientSessionImpl.proxyPort(ClientOptions.parseProxy("http://p")));
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    private static ConnectException failure(Attempt a) {
        ExecutionException e = assertThrows(ExecutionException.class, a::run);
        return assertInstanceOf(ConnectException.class, e.getCause());
    }

    /**
     * A blocking CONNECT proxy: records each request head, answers with a fixed response and, when that is a 200,
     * relays to the server's port on loopback whatever host the request named.
     */
    static final class TestProxy implements AutoCloseable {
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        TestProxy(String answer, int targetPort) throws IOException {
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket c = socket.accept();
                        open.add(c);
                        Thread h = new Thread(() -> serve(c, answer, targetPort), "test-proxy-conn");
                        h.setDaemon(true);
                        h.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "test-proxy");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(Socket c, String answer, int targetPort) {
            try (c) {
                InputStream in = c.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0 || head.size() > 8192) {
                        return;
                    }
                    head.write(b);
                }
                requests.add(head.toString(StandardCharsets.ISO_8859_1));
                OutputStream out = c.getOutputStream();
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (!answer.startsWith("HTTP/1.1 200")) {
                    return;
                }
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
                    open.add(s);
                    Thread up = new Thread(() -> pump(in, s), "test-proxy-up");
                    up.setDaemon(true);
                    up.start();
                    pump(s.getInputStream(), c);
                }
            } catch (IOException e) {
                // the test closed the proxy or a side went away
            }
        }

        private static void pump(InputStream from, Socket to) {
            byte[] buf = new byte[8192];
            try {
                OutputStream out = to.getOutputStream();
                for (int n; (n = from.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                // one side closed
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
