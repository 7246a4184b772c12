package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LinkError;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.LinkedChannel;
import org.spice.protocol.client.MainInfo;
import org.spice.protocol.client.SpiceLinkException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.wire.MainMessages;
import org.spice.protocol.wire.SpiceMessage;

/** Our client against our server, in one JVM on loopback: link, auth, channel list, factories coming and going. */
@ExtendWith(LeakCheck.class)
class EngineTest {
    private final Map<Integer, ClientChannelFactory> clientFactories = new ConcurrentHashMap<>();
    private ServerEngine server;
    private ClientEngine client;

    private ServerEngine server(byte[] password) throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), password, "test session", new UUID(1, 2), 4, Duration.ofSeconds(2))).start();
        client = new ClientEngine(clientFactories::get);
        return server;
    }

    private SpiceUri uri() {
        return new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null);
    }

    private ClientSession connect(String password) throws Exception {
        return client.connect(uri(), ClientOptions.defaults().withPassword(password)).get(10, TimeUnit.SECONDS);
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

    /** A channel that echoes each message type 101 back to the sender, with the same body. */
    static final class EchoChannel implements ServerChannelFactory, ClientChannelFactory {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

        @Override
        public int channelType() {
            return ChannelType.TUNNEL;
        }

        @Override
        public Capabilities channelCapabilities() {
            return Capabilities.of(5);
        }

        @Override
        public boolean usesAckWindow() {
            return true;
        }

        @Override
        public ChannelHandler open(ServerChannelContext ctx) {
            return (type, body) -> {
                if (type != 101) {
                    throw ChannelHandler.unknownMessage(ctx, type);
                }
                byte[] b = new byte[body.readableBytes()];
                body.readBytes(b);
                ctx.send(new Bytes(101, b));
            };
        }

        @Override
        public ChannelHandler open(ClientChannelContext ctx) {
            return new ChannelHandler() {
                @Override
                public void onMessage(int type, ByteBuf body) {
                    received.add(body.toString(StandardCharsets.UTF_8));
                }

                @Override
                public void onClose() {
                    received.add("<closed>");
                }
            };
        }
    }

    record Bytes(int type, byte[] data) implements SpiceMessage {
        @Override
        public void encode(ByteBuf out) {
            out.writeBytes(data);
        }
    }

    @Test
    void clientGetsInitNameUuidAndChannelList() throws Exception {
        server(null);
        ClientSession s = connect(null);
        MainInfo m = s.main();
        assertEquals("test session", m.name());
        assertEquals(new UUID(1, 2), m.uuid());
        assertEquals(MainMessages.MOUSE_MODE_CLIENT, m.currentMouseMode());
        assertEquals(List.of(), m.channels());
        assertTrue(m.sessionId() != 0);
        assertEquals(1, server.clients().size());
        assertEquals(m.sessionId(), server.clients().get(0).connectionId());
    }

    /** The main channel's TCP connect times the round trip: within the time the whole connection took. */
    @Test
    void theMainChannelsConnectTimesTheRoundTrip() throws Exception {
        server(null);
        long before = System.nanoTime();
        ClientSession s = connect(null);
        long took = System.nanoTime() - before;
        long rtt = s.roundTripNanos();
        assertTrue(rtt > 0 && rtt < took, "round trip " + rtt + " ns, connecting took " + took + " ns");
    }

    /**
     * The session counts what its connections read: the link and main's first messages, then a 1000-byte message
     * on another channel arrives with its 6-byte mini header (and at most a few small main messages beside it).
     */
    @Test
    void theSessionCountsTheBytesItsChannelsReceive() throws Exception {
        server(null);
        EchoChannel echo = new EchoChannel();
        server.addFactory(echo);
        clientFactories.put(echo.channelType(), echo);
        ClientSession s = connect(null);
        long linked = s.bytesReceived();
        assertTrue(linked > 0, "after the link " + linked + " bytes");
        String body = "x".repeat(1000);
        connection(s, ChannelType.TUNNEL).send(new Bytes(101, body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(body, echo.received.poll(5, TimeUnit.SECONDS));
        long grew = s.bytesReceived() - linked;
        assertTrue(grew >= 1006 && grew < 1006 + 256, "grew " + grew + " bytes");
    }

    @Test
    void aMouseModeRequestChangesTheModeTheServerReports() throws Exception {
        server(null);
        ClientSession s = connect(null);
        assertEquals(MainMessages.MOUSE_MODE_CLIENT, s.main().currentMouseMode());
        s.requestMouseMode(MainMessages.MOUSE_MODE_SERVER);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.main().currentMouseMode() != MainMessages.MOUSE_MODE_SERVER && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(MainMessages.MOUSE_MODE_SERVER, s.main().currentMouseMode());
        assertEquals(MainMessages.MOUSE_MODE_SERVER | MainMessages.MOUSE_MODE_CLIENT, s.main().supportedMouseModes());
    }

    @Test
    void passwordIsCheckedAndAWrongOneIsAnAuthenticationFailure() throws Exception {
        server("s3cret".getBytes(StandardCharsets.UTF_8));
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            assertNotNull(connect("s3cret").main());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.connect(uri(), ClientOptions.defaults().withPassword("Tr0ub4dor")).get(10,
                            TimeUnit.SECONDS));
            SpiceLinkException link = assertInstanceOf(SpiceLinkException.class, e.getCause());
            assertEquals(LinkError.PERMISSION_DENIED, link.error());
            assertTrue(link.isAuthenticationFailure());
            String line = log.await("authentication failed");
            assertFalse(line.contains("Tr0ub4dor") || line.contains("s3cret"), "secrets in the log: " + line);
            assertThrows(ExecutionException.class, () -> connect(null));
        }
    }

    @Test
    void channelFactoriesComeAndGoWhileTheSessionRuns() throws Exception {
        server(null);
        EchoChannel echo = new EchoChannel();
        server.addFactory(echo);
        clientFactories.put(echo.channelType(), echo);
        ClientSession s = connect(null);
        assertEquals(List.of(new MainMessages.ChannelId(ChannelType.TUNNEL, 0)), s.main().channels());
        LinkedChannel lc = s.channels().stream().filter(c -> c.type() == ChannelType.TUNNEL).findFirst()
                .orElseThrow();
        assertEquals(Capabilities.of(5), lc.channelCaps());
        assertTrue(lc.handled());
        // Many messages, more than twice the ack window: the client's acks keep the server's window open.
        ClientConnection conn = connection(s, ChannelType.TUNNEL);
        for (int i = 0; i < 100; i++) {
            conn.send(new Bytes(101, ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("m" + i, echo.received.poll(5, TimeUnit.SECONDS));
        }
        server.removeFactory(echo);
        assertEquals("<closed>", echo.received.poll(5, TimeUnit.SECONDS));
        assertTrue(s.channels().stream().noneMatch(c -> c.type() == ChannelType.TUNNEL));
        // main still works: a second client connects and sees no tunnel channel now
        assertEquals(List.of(), connect(null).main().channels());
        assertFalse(s.closed().isDone());
    }

    /**
     * Closing the client engine (its bundle stopping) closes every session before it returns, channels first: the
     * event loops stop only after that (ShutdownTest once saw a session that never said it closed).
     */
    @Test
    void closingTheClientEngineClosesEverySessionFirst() throws Exception {
        server(null);
        EchoChannel echo = new EchoChannel();
        server.addFactory(echo);
        clientFactories.put(echo.channelType(), echo);
        ClientSession s = connect(null);
        ClientSession t = connect(null);
        client.close();
        client = null;
        assertTrue(s.closed().isDone(), "the first session still open after the engine closed");
        assertTrue(t.closed().isDone(), "the second session still open after the engine closed");
        assertEquals("<closed>", echo.received.poll(5, TimeUnit.SECONDS));
        assertEquals("<closed>", echo.received.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void anUnknownMessageClosesOnlyThatChannel() throws Exception {
        server(null);
        EchoChannel echo = new EchoChannel();
        server.addFactory(echo);
        clientFactories.put(echo.channelType(), echo);
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            ClientSession s = connect(null);
            connection(s, ChannelType.TUNNEL).send(new Bytes(4242, new byte[3]));
            log.await("unknown message type 4242 on the tunnel channel");
            assertEquals("<closed>", echo.received.poll(5, TimeUnit.SECONDS));
            assertFalse(s.closed().isDone());
            assertEquals(1, server.clients().size());
        }
    }

    @Test
    void manyClientsAtOnceEachGetTheirOwnConnectionId() throws Exception {
        server(null);
        ClientSession a = connect(null);
        ClientSession b = connect(null);
        assertTrue(a.main().sessionId() != b.main().sessionId());
        assertEquals(2, server.clients().size());
        a.close();
        a.closed().get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 100 && server.clients().size() != 1; i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of(b.main().sessionId()), server.clients().stream().map(c -> c.connectionId()).toList());
    }

    static ClientConnection connection(ClientSession s, int type) {
        ClientSessionImpl impl = (ClientSessionImpl) s;
        return impl.connection(type);
    }
}
