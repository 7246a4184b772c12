package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.wire.BaseMessages;
import org.spice.protocol.wire.MainMessages;
import org.spice.protocol.wire.SpiceMessage;

/**
 * Seamless migration as spice-server runs it, played by two {@link ScriptedServer}s: the source's
 * MIGRATE_BEGIN_SEAMLESS, the destination's answer to MIGRATE_DST_DO_SEAMLESS, then per channel MIGRATE,
 * the client's FLUSH_MARK, MIGRATE_DATA, and the client's MIGRATE_DATA first on the destination. The channel's handler
 * and the context it sends through stay the same objects; what it sends while the channel moves goes to the
 * destination. Bad input (MIGRATE_DATA too big, out of order, for a channel not linked at the destination) closes that
 * channel only, with the reason logged.
 */
@ExtendWith(LeakCheck.class)
class SeamlessMigrationTest {
    private static final long SESSION_ID = 0x1234;
    private static final int FLUSH_AND_DATA = (int) (BaseMessages.MIGRATE_NEED_FLUSH
            | BaseMessages.MIGRATE_NEED_DATA_TRANSFER);

    private final List<ClientChannelContext> opened = new CopyOnWriteArrayList<>();
    /** What the client's tunnel handlers received, in order ("<closed>" when one closed). */
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private ClientEngine client;
    private ScriptedServer source;
    private ScriptedServer destination;

    /** A tunnel channel handler that records what it hears. */
    private final ClientChannelFactory tunnel = new ClientChannelFactory() {
        @Override
        public int channelType() {
            return ChannelType.TUNNEL;
        }

        @Override
        public Capabilities channelCapabilities() {
            return Capabilities.NONE;
        }

        @Override
        public ChannelHandler open(ClientChannelContext ctx) {
            opened.add(ctx);
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
    };

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (source != null) {
            source.close();
        }
        if (destination != null) {
            destination.close();
        }
    }

    /** The session on the source, main and tunnel:0 linked. */
    private record Source(ClientSession session, ScriptedServer.Peer main, ScriptedServer.Peer tunnel) {
    }

    private Source connect(int tunnels) throws Exception {
        return connect(tunnels, ClientOptions.defaults().withPassword("secret"));
    }

    private Source connect(int tunnels, ClientOptions options) throws Exception {
        source = new ScriptedServer();
        destination = new ScriptedServer();
        client = new ClientEngine(t -> t == ChannelType.TUNNEL ? tunnel : null);
        var session = client.connect(new SpiceUri("127.0.0.1", source.port(), -1, null), options);
        ScriptedServer.Peer main = source.accept();
        assertTrue(main.mess.channelCaps().has(MainMessages.CAP_SEAMLESS_MIGRATE), "seamless is not announced");
        main.send(new MainMessages.Init(SESSION_ID, 1, 3, 1, false, 0, 0, 0));
        main.read(MainMessages.C_ATTACH_CHANNELS);
        List<MainMessages.ChannelId> list = new java.util.ArrayList<>();
        for (int i = 0; i < tunnels; i++) {
            list.add(new MainMessages.ChannelId(ChannelType.TUNNEL, i));
        }
        main.send(new MainMessages.ChannelsList(list));
        ScriptedServer.Peer t = source.accept();
        assertEquals(SESSION_ID, t.mess.connectionId());
        t.send(101, bytes("hello"));
        assertEquals("hello", received.poll(5, TimeUnit.SECONDS));
        return new Source(session.get(10, TimeUnit.SECONDS), main, t);
    }

    /** MIGRATE_BEGIN_SEAMLESS to the destination: the fixed part, the source's version, then the host. */
    private void beginSeamless(ScriptedServer.Peer main) throws Exception {
        byte[] host = "127.0.0.1\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuf b = Unpooled.buffer();
        b.writeShortLE(destination.port()).writeShortLE(0).writeIntLE(host.length).writeIntLE(24).writeIntLE(0)
                .writeIntLE(0).writeIntLE(1).writeBytes(host);
        main.send(MainMessages.MIGRATE_BEGIN_SEAMLESS, bytes(b));
    }

    @Test
    void eachChannelMovesWithItsHandlerAndItsMigrationData() throws Exception {
        Source src = connect(1);
        ClientChannelContext ctx = opened.get(0);
        try (LogCapture log = new LogCapture("org.spice.protocol.migration")) {
            beginSeamless(src.main());
            ScriptedServer.Peer dstMain = destination.accept();
            assertEquals(SESSION_ID, dstMain.mess.connectionId());
            ScriptedServer.Message ask = dstMain.read(MainMessages.C_MIGRATE_DST_DO_SEAMLESS);
            assertArrayEquals(new byte[] {1, 0, 0, 0}, ask.body(), "the source's version goes to the destination");
            dstMain.send(MainMessages.MIGRATE_DST_SEAMLESS_ACK, new byte[0]);
            ScriptedServer.Peer dstTunnel = destination.accept();
            assertEquals(ChannelType.TUNNEL, dstTunnel.mess.channelType());
            dstTunnel.send(101, bytes("early from the destination"));
            src.main().read(MainMessages.C_MIGRATE_CONNECTED_SEAMLESS);
            log.await("linked to the migration destination spice://127.0.0.1:" + destination.port() + " (seamless)");

            // the tunnel: MIGRATE asks for the flush mark and data; what the handler sends meanwhile waits
            src.tunnel().send(new BaseMessages.Migrate(FLUSH_AND_DATA));
            src.tunnel().read(BaseMessages.C_MIGRATE_FLUSH_MARK);
            ctx.send(text(101, "sent while moving"));
            src.tunnel().send(BaseMessages.MIGRATE_DATA, bytes("tunnel state"));
            ScriptedServer.Message data = dstTunnel.read();
            assertEquals(BaseMessages.C_MIGRATE_DATA, data.type(), "MIGRATE_DATA comes first on the destination");
            assertEquals("tunnel state", data.text());
            assertEquals("sent while moving", dstTunnel.read(101).text());
            assertTrue(src.tunnel().closedByClient(), "the source's tunnel stayed open");
            assertEquals("early from the destination", received.poll(5, TimeUnit.SECONDS));
            ctx.send(text(101, "after"));
            assertEquals("after", dstTunnel.read(101).text(), "the same context sends to the destination");
            dstTunnel.send(101, bytes("from the destination"));
            assertEquals("from the destination", received.poll(5, TimeUnit.SECONDS), "the same handler hears it");

            // main last: its state goes over, then the source's main closes and the session is the destination's
            src.main().send(new BaseMessages.Migrate(FLUSH_AND_DATA));
            src.main().read(BaseMessages.C_MIGRATE_FLUSH_MARK);
            src.main().send(BaseMessages.MIGRATE_DATA, bytes("main state"));
            ScriptedServer.Message mainData = dstMain.read();
            assertEquals(BaseMessages.C_MIGRATE_DATA, mainData.type());
            assertEquals("main state", mainData.text());
            log.await("the session moved here (seamless)");
            assertTrue(src.main().closedByClient(), "the source's main stayed open");
        }
        ClientSession s = src.session();
        assertEquals(destination.port(), s.uri().port());
        assertFalse(s.closed().isDone(), "the session ended instead of moving");
        assertEquals(1, opened.size(), "a new handler was opened instead of moving the old one");
        assertSame(ctx, opened.get(0));
        assertTrue(ctx.isOpen());
        assertEquals(null, received.poll(), "the tunnel's handler heard of a close");
        assertEquals(SESSION_ID, s.main().sessionId());
    }

    @Test
    void aNackFallsBackToSemiSeamless() throws Exception {
        Source src = connect(1);
        try (LogCapture log = new LogCapture("org.spice.protocol.migration")) {
            beginSeamless(src.main());
            ScriptedServer.Peer dstMain = destination.accept();
            dstMain.read(MainMessages.C_MIGRATE_DST_DO_SEAMLESS);
            dstMain.send(MainMessages.MIGRATE_DST_SEAMLESS_NACK, new byte[0]);
            ScriptedServer.Peer dstTunnel = destination.accept();
            src.main().read(MainMessages.C_MIGRATE_CONNECTED);
            log.await("the destination refused a seamless migration (MIGRATE_DST_SEAMLESS_NACK); semi-seamless");
            src.main().send(new SpiceMessage.Empty(MainMessages.MIGRATE_END));
            dstMain.read(MainMessages.C_MIGRATE_END);
            log.await("the session moved here (semi-seamless)");
            dstMain.send(new MainMessages.Init(SESSION_ID, 1, 3, 1, false, 0, 0, 0));
            dstTunnel.send(101, bytes("semi"));
        }
        assertEquals("<closed>", received.poll(5, TimeUnit.SECONDS), "the source's handler did not close");
        assertEquals("semi", received.poll(5, TimeUnit.SECONDS));
        assertEquals(2, opened.size(), "semi-seamless opens a new handler on the destination");
        assertEquals(destination.port(), src.session().uri().port());
    }

    @Test
    void migrateDataOutOfOrderClosesThatChannelOnly() throws Exception {
        Source src = connect(1);
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            src.tunnel().send(BaseMessages.MIGRATE_DATA, bytes("unasked"));
            log.await("MIGRATE_DATA out of order: no MIGRATE asked for it on this channel");
            assertTrue(src.tunnel().closedByClient());
        }
        assertMainStays(src);
    }

    @Test
    void migrateDataOverTheLimitClosesThatChannelOnly() throws Exception {
        Source src = connect(1);
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            src.tunnel().send(BaseMessages.MIGRATE_DATA, new byte[ClientSessionImpl.MAX_MIGRATE_DATA + 1]);
            log.await("MIGRATE_DATA of " + (ClientSessionImpl.MAX_MIGRATE_DATA + 1) + " bytes exceeds the limit");
            assertTrue(src.tunnel().closedByClient());
        }
        assertMainStays(src);
    }

    @Test
    void migrateWithoutASeamlessMigrationIsLoggedAndIgnored() throws Exception {
        Source src = connect(1);
        try (LogCapture log = new LogCapture("org.spice.protocol.migration")) {
            src.tunnel().send(new BaseMessages.Migrate(FLUSH_AND_DATA));
            log.await("MIGRATE ignored: no seamless migration is under way");
        }
        opened.get(0).send(text(101, "still here"));
        assertEquals("still here", src.tunnel().read(101).text(), "the channel stopped sending");
        assertMainStays(src);
    }

    /** A channel linked after the destination was: the destination has none to move it to, so it closes alone. */
    @Test
    void migrateForAChannelTheDestinationDidNotLinkClosesThatChannel() throws Exception {
        Source src = connect(1);
        beginSeamless(src.main());
        ScriptedServer.Peer dstMain = destination.accept();
        dstMain.read(MainMessages.C_MIGRATE_DST_DO_SEAMLESS);
        dstMain.send(MainMessages.MIGRATE_DST_SEAMLESS_ACK, new byte[0]);
        ScriptedServer.Peer dstTunnel = destination.accept();
        src.main().read(MainMessages.C_MIGRATE_CONNECTED_SEAMLESS);
        var late = src.session().link(ChannelType.TUNNEL, 1);
        ScriptedServer.Peer srcLate = source.accept();
        srcLate.send(101, bytes("late"));
        late.get(10, TimeUnit.SECONDS);
        assertEquals("late", received.poll(5, TimeUnit.SECONDS));
        try (LogCapture log = new LogCapture("org.spice.protocol.migration")) {
            srcLate.send(new BaseMessages.Migrate(FLUSH_AND_DATA));
            log.await("the migration destination has no tunnel:1 channel to move it to");
            assertTrue(srcLate.closedByClient());
            // its MIGRATE_DATA would be out of order now; the other channel still moves
            src.tunnel().send(new BaseMessages.Migrate(FLUSH_AND_DATA));
            src.tunnel().read(BaseMessages.C_MIGRATE_FLUSH_MARK);
            src.tunnel().send(BaseMessages.MIGRATE_DATA, bytes("tunnel state"));
            assertEquals("tunnel state", dstTunnel.read(BaseMessages.C_MIGRATE_DATA).text());
        }
        assertFalse(src.session().closed().isDone());
    }

    /** A source that sends MIGRATE but never the MIGRATE_DATA it announced: the channel does not wait forever. */
    @Test
    void aChannelTheSourceNeverFinishesMovingClosesAfterTheTimeout() throws Exception {
        Source src = connect(1, ClientOptions.defaults().withPassword("secret").withTimeout(Duration.ofSeconds(2)));
        beginSeamless(src.main());
        ScriptedServer.Peer dstMain = destination.accept();
        dstMain.read(MainMessages.C_MIGRATE_DST_DO_SEAMLESS);
        dstMain.send(MainMessages.MIGRATE_DST_SEAMLESS_ACK, new byte[0]);
        ScriptedServer.Peer dstTunnel = destination.accept();
        src.main().read(MainMessages.C_MIGRATE_CONNECTED_SEAMLESS);
        try (LogCapture log = new LogCapture("org.spice.protocol.migration")) {
            src.tunnel().send(new BaseMessages.Migrate(FLUSH_AND_DATA));
            src.tunnel().read(BaseMessages.C_MIGRATE_FLUSH_MARK);
            assertTrue(src.tunnel().closedByClient(), "the source's tunnel stayed open");
            log.await("did not move every channel within 2000 ms");
        }
        assertTrue(dstTunnel.closedByClient(), "the destination's tunnel stayed open");
        // main never moved either: the session ends instead of hanging between two servers
        src.session().closed().handle((v, t) -> null).get(5, TimeUnit.SECONDS);
    }

    private void assertMainStays(Source src) throws Exception {
        Thread.sleep(200);
        assertFalse(src.session().closed().isDone(), "the session ended");
        src.main().send(new MainMessages.MouseMode(3, 2));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (src.session().main().currentMouseMode() != 2 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(2, src.session().main().currentMouseMode(), "main stopped reading");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static SpiceMessage text(int type, String s) {
        return new SpiceMessage() {
            @Override
            public int type() {
                return type;
            }

            @Override
            public void encode(ByteBuf out) {
                out.writeBytes(bytes(s));
            }
        };
    }
}
