package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;

/**
 * A channel with an ack window that sends messages of 2 MiB (display bands are that large) while
 * {@code canSend()} says it may, over real TCP on 127.0.0.1: to a client that stopped reading it stops once the
 * socket buffers are full, long before the forty messages the ack window alone would let it queue (80 MiB, past
 * the engine's limit of bytes waiting for one peer), and when the client reads again {@code onWritable} brings the
 * rest.
 */
class BulkPacingTest {
    private static final int MESSAGE = 2 << 20;
    private static final int TOTAL = 60;
    private ServerEngine server;
    private ClientEngine client;

    /** The server side sends up to {@link #TOTAL} messages, as many as {@code canSend()} allows each time. */
    static final class Bulk implements ServerChannelFactory, ClientChannelFactory {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger writable = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        final AtomicReference<ServerChannelContext> context = new AtomicReference<>();
        private final byte[] data = new byte[MESSAGE];

        @Override
        public int channelType() {
            return ChannelType.PORT;
        }

        @Override
        public Capabilities channelCapabilities() {
            return Capabilities.NONE;
        }

        @Override
        public boolean usesAckWindow() {
            return true;
        }

        /** Starts sending, on the channel's executor. */
        void go() {
            ServerChannelContext ctx = context.get();
            ctx.executor().execute(() -> fill(ctx));
        }

        private void fill(ServerChannelContext ctx) {
            while (sent.get() < TOTAL && ctx.isOpen() && ctx.canSend()) {
                sent.incrementAndGet();
                ctx.send(new EngineTest.Bytes(101, data));
            }
        }

        @Override
        public ChannelHandler open(ServerChannelContext ctx) {
            context.set(ctx);
            return new ChannelHandler() {
                @Override
                public void onMessage(int type, ByteBuf body) {
                }

                @Override
                public void onWritable() {
                    writable.incrementAndGet();
                    fill(ctx);
                }
            };
        }

        @Override
        public ChannelHandler open(ClientChannelContext ctx) {
            return (type, body) -> received.incrementAndGet();
        }
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

    @Test
    void aClientThatStopsReadingHoldsBackLargeMessagesByBytesAndGetsThemWhenItReadsAgain() throws Exception {
        Bulk bulk = new Bulk();
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "pacing", UUID.randomUUID(), 8, Duration.ofSeconds(3))).start();
        server.addFactory(bulk);
        client = new ClientEngine(t -> t == ChannelType.PORT ? bulk : null);
        ClientSession session = client.connect(new SpiceUri("127.0.0.1",
                server.plainAddress().orElseThrow().getPort(), -1, null), ClientOptions.defaults())
                .get(10, TimeUnit.SECONDS);
        ClientConnection port = null;
        for (int i = 0; i < 500 && (port == null || bulk.context.get() == null); i++) {
            port = ((ClientSessionImpl) session).connection(ChannelType.PORT);
            Thread.sleep(10);
        }
        assertTrue(port != null && bulk.context.get() != null, "the port channel did not link");
        port.channel.config().setAutoRead(false); // the client stops reading (as under SIGSTOP)
        bulk.go();
        int before = -1;
        for (int i = 0; i < 100 && bulk.sent.get() != before; i++) {
            before = bulk.sent.get();
            Thread.sleep(300); // until the server stops sending
        }
        int held = bulk.sent.get();
        // the socket buffers of the loopback connection hold a few of them; the ack window alone let 39 through
        assertTrue(held >= 1 && held <= 16, "the server sent " + held + " messages of 2 MiB to a client that reads "
                + "none");
        assertTrue(bulk.context.get().isOpen(), "the channel closed: what waited for the peer passed the limit");

        port.channel.config().setAutoRead(true);
        for (int i = 0; i < 1000 && bulk.received.get() < TOTAL; i++) {
            Thread.sleep(10);
        }
        assertEquals(TOTAL, bulk.received.get(), "messages the client got after reading again");
        assertTrue(bulk.writable.get() > 0, "onWritable never came");
    }
}
