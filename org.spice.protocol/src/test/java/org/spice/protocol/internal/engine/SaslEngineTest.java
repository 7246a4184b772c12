package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.SpiceLinkException;
import org.spice.protocol.server.SaslUsers;
import org.spice.protocol.wire.Link;
import org.spice.protocol.wire.LinkMess;

/**
 * Our client (the JDK's DIGEST-MD5 client) against our server (our DIGEST-MD5 server over stored digests), in one JVM:
 * the exchange, the auth-conf layer carrying a session, wrong and unknown users, and bad SASL input on the wire.
 */
@ExtendWith(LeakCheck.class)
class SaslEngineTest {
    @TempDir
    Path dir;
    /**
     * Generous: no test here waits for a link to time out, and a SASL link (a ticket key, DIGEST-MD5's steps) took
     * over 3 s on a machine at load average 34, which failed the test.
     */
    private static final Duration LINK_TIMEOUT = Duration.ofSeconds(20);
    private ServerEngine server;
    private ClientEngine client;

    private void start() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "# test users\n"
                + SaslUsers.line("alice", "spice", "s3cret".toCharArray()) + "\n"
                + SaslUsers.line("bob", "spice", "other".toCharArray()) + "\n");
        assertTrue(!Files.readString(users).contains("s3cret"), "no password in the file");
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "sasl test", new UUID(1, 2), 4, LINK_TIMEOUT, SaslUsers.read(users)))
                .start();
        client = new ClientEngine(t -> t == ChannelType.TUNNEL ? new EngineTest.EchoChannel() : null);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private int port() {
        return server.plainAddress().orElseThrow().getPort();
    }

    private ClientSession connect(String user, String password) throws Exception {
        return client.connect(new SpiceUri("127.0.0.1", port(), -1, null), ClientOptions.defaults()
                .withUsername(user).withPassword(password).withTimeout(LINK_TIMEOUT))
                .get(LINK_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
    }

    @Test
    void rightUserLinksAndTheSessionRunsThroughTheLayer() throws Exception {
        start();
        ClientSession s = connect("alice", "s3cret");
        assertEquals("sasl test", s.main().name());
        // The main channel's INIT and name came through the auth-conf layer; a second link does too.
        ClientSession t = connect("bob", "other");
        assertEquals("sasl test", t.main().name());
        s.close();
        t.close();
        s.closed().get(5, TimeUnit.SECONDS);
    }

    @Test
    void wrongPasswordUnknownUserAndNoUserAreAuthenticationFailures() throws Exception {
        start();
        for (String[] c : new String[][] {{"alice", "wrong"}, {"mallory", "s3cret"}, {null, "s3cret"}}) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> connect(c[0], c[1]));
            SpiceLinkException l = assertInstanceOf(SpiceLinkException.class, e.getCause(), () -> c[0] + ": " + e);
            assertTrue(l.isAuthenticationFailure(), l.getMessage());
            assertTrue(l.getMessage().startsWith("authentication failed"), l.getMessage());
        }
        // The server goes on.
        ClientSession s = connect("alice", "s3cret");
        s.close();
        s.closed().get(5, TimeUnit.SECONDS);
    }

    /** Links by hand up to the SASL mechanism list and returns the socket there. */
    private Socket linkToSasl() throws Exception {
        Socket sock = new Socket(InetAddress.getLoopbackAddress(), port());
        sock.setSoTimeout(5000);
        ByteBuf b = io.netty.buffer.Unpooled.buffer();
        new LinkMess(0, ChannelType.MAIN, 0, Capabilities.of(Link.CAP_PROTOCOL_AUTH_SELECTION, Link.CAP_AUTH_SASL),
                Capabilities.NONE).encode(b);
        byte[] link = new byte[b.readableBytes()];
        b.readBytes(link);
        b.release();
        OutputStream out = sock.getOutputStream();
        out.write(link);
        InputStream in = sock.getInputStream();
        byte[] header = in.readNBytes(16);
        int size = (header[12] & 0xff) | (header[13] & 0xff) << 8;
        in.readNBytes(size);
        out.write(new byte[] {(byte) Link.AUTH_MECHANISM_SASL, 0, 0, 0});
        byte[] len = in.readNBytes(4);
        String list = new String(in.readNBytes(len[0]), StandardCharsets.US_ASCII);
        assertEquals("DIGEST-MD5", list);
        return sock;
    }

    @Test
    void badSaslInputClosesOnlyThatConnection() throws Exception {
        start();
        ClientSession bystander = connect("alice", "s3cret");
        // An oversized mechanism name, a mechanism not offered, start data where DIGEST-MD5 has none, a step whose
        // length lies far beyond the limit: each ends that connection, none reaches an allocation of its size.
        byte[][] attacks = {
            {(byte) 0xff, (byte) 0xff, 0, 0},
            {5, 0, 0, 0, 'P', 'L', 'A', 'I', 'N', 0, 0, 0, 0},
            {10, 0, 0, 0, 'D', 'I', 'G', 'E', 'S', 'T', '-', 'M', 'D', '5', 3, 0, 0, 0, 'x', 'y', 0},
            {10, 0, 0, 0, 'D', 'I', 'G', 'E', 'S', 'T', '-', 'M', 'D', '5', 0, 0, 0, 0},
        };
        for (int i = 0; i < attacks.length; i++) {
            try (Socket s = linkToSasl()) {
                s.getOutputStream().write(attacks[i]);
                InputStream in = s.getInputStream();
                if (i == 3) {
                    // a proper start: the challenge comes, then a step of 2^31 bytes is announced
                    byte[] len = in.readNBytes(4);
                    int n = (len[0] & 0xff) | (len[1] & 0xff) << 8;
                    in.readNBytes(n + 1);
                    s.getOutputStream().write(new byte[] {0, 0, 0, (byte) 0x80});
                }
                assertEquals(-1, in.read(), "attack " + i + ": the server closes the connection");
            }
        }
        assertEquals("sasl test", bystander.main().name());
        assertTrue(bystander.channels().size() >= 1);
        ClientSession again = connect("bob", "other");
        again.close();
        bystander.close();
        bystander.closed().get(5, TimeUnit.SECONDS);
    }
}
