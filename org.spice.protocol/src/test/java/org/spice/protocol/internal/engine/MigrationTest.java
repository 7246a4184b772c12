package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.wire.MainMessages.DstInfo;
import org.spice.protocol.wire.SpiceMessage;

/**
 * Live migration by MIGRATE_SWITCH_HOST between two of our servers in one JVM: the client session follows with its
 * password and its channels, stays the same session for its consumers, and refuses lying destinations.
 */
@ExtendWith(LeakCheck.class)
class MigrationTest {
    private final List<ServerEngine> servers = new CopyOnWriteArrayList<>();
    private final EngineTest.EchoChannel echo = new EngineTest.EchoChannel();
    /** Every tunnel channel the client opened, in order. */
    private final List<ClientChannelContext> opened = new CopyOnWriteArrayList<>();
    private ClientEngine client;

    private ServerEngine server(String name, String password) throws Exception {
        ServerEngine s = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), password.getBytes(StandardCharsets.UTF_8), name, new UUID(1, 2), 4,
                Duration.ofSeconds(10))).start(); // a loaded machine can take seconds to link
        s.addFactory(echo);
        servers.add(s);
        return s;
    }

    private static int port(ServerEngine s) {
        return s.plainAddress().orElseThrow().getPort();
    }

    private ClientSession connect(ServerEngine s, String password) throws Exception {
        client = new ClientEngine(t -> t != ChannelType.TUNNEL ? null : new org.spice.protocol.spi.ClientChannelFactory() {
            @Override
            public int channelType() {
                return ChannelType.TUNNEL;
            }

            @Override
            public org.spice.protocol.Capabilities channelCapabilities() {
                return echo.channelCapabilities();
            }

            @Override
            public ChannelHandler open(ClientChannelContext ctx) {
                opened.add(ctx);
                return echo.open(ctx);
            }
        });
        return client.connect(new SpiceUri("127.0.0.1", port(s), -1, null), ClientOptions.defaults()
                .withPassword(password)).get(10, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        servers.forEach(ServerEngine::close);
    }

    @Test
    void theSessionFollowsSwitchHostWithItsPasswordAndChannels() throws Exception {
        ServerEngine a = server("source", "secret");
        ServerEngine b = server("destination", "secret");
        ClientSession s = connect(a, "secret");
        await("the tunnel channel linked to the source", () -> opened.size() == 1);
        assertEquals(1, a.migrate("127.0.0.1", port(b), 0, null));
        await("the session is on the destination with main and tunnel",
                () -> b.clients().size() == 1 && b.clients().get(0).channels().size() == 2);
        await("the source has no client left", () -> a.clients().isEmpty());
        assertEquals(port(b), s.uri().port());
        assertFalse(s.closed().isDone(), "the session ended instead of moving");
        assertEquals(List.of("main:0", "tunnel:0"), b.clients().get(0).channels());
        await("main answers with the destination's session id",
                () -> s.main().sessionId() == b.clients().get(0).connectionId());
        assertSame(s, client.sessions().get(0));
        // the channel opened anew on the destination works: it echoes there
        await("a second tunnel channel opened", () -> opened.size() == 2);
        ClientChannelContext moved = opened.get(1);
        assertFalse(opened.get(0).isOpen());
        echo.received.clear();
        moved.send(new SpiceMessage() {
            @Override
            public int type() {
                return 101;
            }

            @Override
            public void encode(ByteBuf out) {
                out.writeBytes("after".getBytes(StandardCharsets.UTF_8));
            }
        });
        assertEquals("after", echo.received.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aDestinationThatRefusesThePasswordEndsTheSessionWithTheReason() throws Exception {
        ServerEngine a = server("source", "secret");
        ServerEngine b = server("destination", "other");
        ClientSession s = connect(a, "secret");
        a.migrate("127.0.0.1", port(b), 0, null);
        ExecutionException e = assertThrows(ExecutionException.class, () -> s.closed().get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("could not follow the migration to"), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("did not accept the password"), e.getCause().getMessage());
    }

    @Test
    void aLyingDestinationIsRefusedAndTheSessionStays() throws Exception {
        ServerEngine a = server("source", "secret");
        ClientSession s = connect(a, "secret");
        ClientSession other = client.connect(new SpiceUri("127.0.0.1", port(a), -1, null), ClientOptions.defaults()
                .withPassword("secret")).get(10, TimeUnit.SECONDS);
        try (LogCapture log = new LogCapture("org.spice.protocol.migration")) {
            ((ClientSessionImpl) s).switchHost(new DstInfo(0, 0, "127.0.0.1", ""));
            assertTrue(log.await("MIGRATE_SWITCH_HOST refused, the session stays")
                    .contains("neither a port nor a TLS port"));
        }
        Thread.sleep(300);
        assertFalse(s.closed().isDone());
        assertFalse(other.closed().isDone());
        assertEquals(2, a.clients().size());
        assertEquals(port(a), s.uri().port());
    }

    @Test
    void theServerRefusesToSendALyingDestination() throws Exception {
        ServerEngine a = server("source", "secret");
        assertThrows(IllegalArgumentException.class, () -> a.migrate("", 5930, 0, null));
        assertThrows(IllegalArgumentException.class, () -> a.migrate("127.0.0.1", 0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> a.migrate("127.0.0.1", 65536, 0, null));
        assertThrows(IllegalArgumentException.class, () -> a.migrate("127.0.0.1", 5930, 0, "not a subject"));
    }

    @Test
    void semiSeamlessMessagesOutOfOrderAreLoggedAndTheSessionStays() throws Exception {
        ServerEngine a = server("source", "secret");
        ClientSession s = connect(a, "secret");
        ClientSessionImpl impl = (ClientSessionImpl) s;
        try (LogCapture log = new LogCapture("org.spice.protocol.migration")) {
            impl.end();
            log.await("MIGRATE_END ignored: no destination is linked");
            impl.cancel();
            log.await("MIGRATE_CANCEL ignored: no migration is under way");
        }
        Thread.sleep(300);
        assertFalse(s.closed().isDone());
        assertEquals(1, a.clients().size());
    }

    @Test
    void aLyingOrUnreachableMigrateBeginIsAnsweredWithConnectErrorAndTheSessionStays() throws Exception {
        ServerEngine a = server("source", "secret");
        ClientSession s = connect(a, "secret");
        ClientSessionImpl impl = (ClientSessionImpl) s;
        try (LogCapture client = new LogCapture("org.spice.protocol.migration");
                LogCapture server = new LogCapture("org.spice.protocol.main")) {
            impl.begin(new DstInfo(5930, 0, "a".repeat(300), ""));
            assertTrue(client.await("MIGRATE_BEGIN refused, the session stays").contains("300 characters"));
            server.await("migration message " + org.spice.protocol.wire.MainMessages.C_MIGRATE_CONNECT_ERROR);
            // a port where nothing listens: linking fails, the server hears CONNECT_ERROR again
            int closedPort = unusedPort();
            impl.begin(new DstInfo(closedPort, 0, "127.0.0.1", ""));
            client.await("cannot link the migration destination");
            // the next migration may begin: the failed one is over
            impl.end();
            client.await("MIGRATE_END ignored");
        }
        assertFalse(s.closed().isDone());
        assertEquals(port(a), s.uri().port());
        assertEquals(1, a.clients().size());
    }

    /** A loopback port nothing listens on (it was free a moment ago). */
    private static int unusedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
