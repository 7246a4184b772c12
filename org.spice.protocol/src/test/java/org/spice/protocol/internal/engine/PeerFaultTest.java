package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.SocketChannel;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;

/**
 * Peers that do not keep up, over real TCP on 127.0.0.1: a client that stops reading while the server streams, one
 * that half-closes, one that trickles a message or its link a byte at a time. Each is closed with its reason
 * logged, within bounds set short for the test, what waits for it stays under the limit, and a client beside it
 * keeps streaming.
 */
class PeerFaultTest {
    /** Short limits, so that each fault ends within seconds; every peer silent for 1 s is pinged. */
    private static final ServerEngine.PeerLimits LIMITS = new ServerEngine.PeerLimits(4 << 20,
            Duration.ofSeconds(2), Duration.ofSeconds(2), 16 << 10, Duration.ofSeconds(1), Duration.ofSeconds(2));
    private static final Duration LINK_TIMEOUT = Duration.ofSeconds(3);
    private static final int CHUNK = 16 << 10;
    private ServerEngine server;
    private ClientEngine client;
    private Firehose firehose;
    private LogCapture log;

    /**
     * A channel whose server side sends a 16 KiB message every {@code periodMs} (per tick {@code perTick} of them)
     * whatever the socket's state, as a stream with no flow control would; the client side counts bytes.
     */
    static final class Firehose implements ServerChannelFactory, ClientChannelFactory {
        private final long periodMs;
        private final int perTick;
        final AtomicLong received = new AtomicLong();

        Firehose(long periodMs, int perTick) {
            this.periodMs = periodMs;
            this.perTick = perTick;
        }

        @Override
        public int channelType() {
            return ChannelType.PORT;
        }

        @Override
        public Capabilities channelCapabilities() {
            return Capabilities.NONE;
        }

        @Override
        public ChannelHandler open(ServerChannelContext ctx) {
            byte[] chunk = new byte[CHUNK];
            ScheduledFuture<?> sending = ctx.executor().scheduleAtFixedRate(() -> {
                for (int i = 0; i < perTick && ctx.isOpen(); i++) {
                    ctx.send(new EngineTest.Bytes(101, chunk));
                }
            }, 0, periodMs, TimeUnit.MILLISECONDS);
            return new ChannelHandler() {
                @Override
                public void onMessage(int type, ByteBuf body) {
                }

                @Override
                public void onClose() {
                    sending.cancel(false);
                }
            };
        }

        @Override
        public ChannelHandler open(ClientChannelContext ctx) {
            return (type, body) -> received.addAndGet(body.readableBytes());
        }
    }

    private void start(Firehose f) throws Exception {
        start(f, LIMITS);
    }

    private void start(Firehose f, ServerEngine.PeerLimits limits) throws Exception {
        firehose = f;
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "faults", UUID.randomUUID(), 8, LINK_TIMEOUT)).peerLimits(limits).start();
        server.addFactory(f);
        client = new ClientEngine(t -> t == ChannelType.PORT ? f : null);
    }

    @BeforeEach
    void capture() {
        log = new LogCapture("org.spice.protocol");
    }

    @AfterEach
    void stop() {
        log.close();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ClientSession connect() throws Exception {
        return client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null),
                ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
    }

    private static ClientConnection linked(ClientSession s, int type) throws Exception {
        for (int i = 0; i < 500; i++) {
            ClientConnection c = ((ClientSessionImpl) s).connection(type);
            if (c != null) {
                return c;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("channel " + ChannelType.name(type) + " not linked");
    }

    /** The bystander still gets the stream: more bytes arrive after the fault than before it. */
    private void assertStillStreaming(ClientSession bystander) throws Exception {
        assertFalse(bystander.closed().isDone(), "the client beside was disturbed");
        long before = firehose.received.get();
        for (int i = 0; i < 500 && firehose.received.get() < before + 10L * CHUNK; i++) {
            Thread.sleep(10);
        }
        assertTrue(firehose.received.get() >= before + 10L * CHUNK, "the client beside no longer streams");
    }

    private static long number(String line, String before) {
        int at = line.indexOf(before) + before.length();
        int end = at;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        return Long.parseLong(line.substring(at, end));
    }

    @Test
    void aClientThatStopsReadingIsClosedBeforeItsQueueOutgrowsTheLimit() throws Exception {
        start(new Firehose(5, 16)); // about 50 MB/s
        ClientSession stuck = connect();
        ClientSession bystander = connect();
        linked(bystander, ChannelType.PORT);
        ClientConnection port = linked(stuck, ChannelType.PORT);
        port.channel.config().setAutoRead(false); // the process stops reading its socket (as under SIGSTOP)
        String line = awaitLog("the peer does not keep up", Duration.ofSeconds(30));
        long queued = number(line, "does not keep up: ");
        assertTrue(queued > LIMITS.maxQueuedBytes() && queued <= LIMITS.maxQueuedBytes() + 2L * CHUNK, line);
        assertTrue(line.contains("port:0 from /127.0.0.1:" + ((InetSocketAddress) port.channel.localAddress())
                .getPort()), line);
        assertStillStreaming(bystander);
        assertEquals(2, server.clients().size(), "only the port channel of the stuck client closed");
    }

    @Test
    void aClientThatTakesNothingForTheStallTimeIsClosed() throws Exception {
        // about 1.3 MB/s: the socket buffers fill, the queue stays under the limit; the ping sent meanwhile
        // (taken while the buffers still had room) must not close it first for its silence
        start(new Firehose(50, 4), LIMITS.withSilence(Duration.ofSeconds(1), Duration.ofSeconds(60)));
        ClientSession stuck = connect();
        ClientSession bystander = connect();
        linked(bystander, ChannelType.PORT);
        linked(stuck, ChannelType.PORT).channel.config().setAutoRead(false);
        String line = awaitLog("the peer stopped reading", Duration.ofSeconds(30));
        assertTrue(number(line, "stopped reading: ") <= LIMITS.maxQueuedBytes(), line);
        assertTrue(line.contains("it took none for 2000 ms"), line);
        assertStillStreaming(bystander);
    }

    @Test
    void aClientThatHalfClosesIsClosedAndTheOthersStay() throws Exception {
        start(new Firehose(50, 1));
        ClientSession leaving = connect();
        ClientSession bystander = connect();
        linked(bystander, ChannelType.PORT);
        ClientConnection main = linked(leaving, ChannelType.MAIN);
        ((SocketChannel) main.channel).shutdownOutput().sync(); // FIN, still reading
        awaitLog("main:0 from /127.0.0.1:" + ((InetSocketAddress) main.channel.localAddress()).getPort()
                + " closed by peer", Duration.ofSeconds(30));
        leaving.closed().get(10, TimeUnit.SECONDS);
        assertStillStreaming(bystander);
        assertEquals(1, server.clients().size());
    }

    @Test
    void aMessageTrickledAByteAtATimeClosesItsChannel() throws Exception {
        start(new Firehose(50, 1));
        ClientSession slow = connect();
        ClientSession bystander = connect();
        linked(bystander, ChannelType.PORT);
        ClientConnection port = linked(slow, ChannelType.PORT);
        // a mini header claiming 1000 bytes, then one byte every 100 ms
        port.channel.writeAndFlush(Unpooled.buffer().writeShortLE(101).writeIntLE(1000));
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (port.channel.isActive() && System.nanoTime() < end) {
            port.channel.writeAndFlush(Unpooled.buffer(1).writeByte(0));
            Thread.sleep(100);
        }
        String line = awaitLog("the peer sends too slowly: message type 101 of 1006 bytes is incomplete after", Duration.ofSeconds(30));
        assertFalse(port.channel.isActive(), line);
        assertStillStreaming(bystander);
        assertFalse(slow.closed().isDone(), "only the trickling channel closed");
    }

    @Test
    void aLinkTrickledAByteAtATimeEndsAtTheLinkTimeout() throws Exception {
        start(new Firehose(50, 1));
        ClientSession bystander = connect();
        linked(bystander, ChannelType.PORT);
        try (Socket s = new Socket("127.0.0.1", server.plainAddress().orElseThrow().getPort())) {
            OutputStream out = s.getOutputStream();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            byte[] magic = {'R', 'E', 'D', 'Q', 2, 0, 0, 0, 2, 0, 0, 0, 18, 0, 0, 0};
            try {
                for (int i = 0; System.nanoTime() < end; i = (i + 1) % magic.length) {
                    out.write(magic[i]);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (java.io.IOException closedByServer) {
                // expected: the server closed the connection
            }
        }
        awaitLog("link not completed within " + LINK_TIMEOUT.toMillis() + " ms", Duration.ofSeconds(30));
        assertStillStreaming(bystander);
    }

    @Test
    void aClientGoneSilentFromAnIdleSessionIsClosedAfterAnUnansweredPing() throws Exception {
        start(new Firehose(50, 0)); // the port channel sends nothing: an idle session
        ClientSession gone = connect();
        ClientSession answering = connect();
        ClientConnection answeringMain = linked(answering, ChannelType.MAIN);
        AtomicLong pings = countPings(answeringMain);
        linked(gone, ChannelType.PORT);
        ClientConnection goneMain = linked(gone, ChannelType.MAIN);
        // the peer vanishes without a FIN: the server's writes still reach the socket buffers, nothing comes back
        goneMain.channel.config().setAutoRead(false);
        long start = System.nanoTime();
        String line = awaitLog("main:0 from /127.0.0.1:" + ((InetSocketAddress) goneMain.channel.localAddress())
                .getPort() + " closed: the peer is silent", Duration.ofSeconds(30));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(number(line, "nothing came from it for ") >= LIMITS.pingAfter().plus(LIMITS.silenceTimeout())
                .toMillis(), line);
        assertTrue(number(line, "a ping sent ") >= LIMITS.silenceTimeout().toMillis(), line);
        assertTrue(tookMs < 20_000, "closed after " + tookMs + " ms");
        // closing main drops the whole client, and nothing else
        for (int i = 0; i < 500 && server.clients().size() > 1; i++) {
            Thread.sleep(10);
        }
        assertEquals(1, server.clients().size(), "the silent client left, the answering one stays");
        // the answering client was pinged all along and stays, well past ping time plus silence timeout
        Thread.sleep(2 * (LIMITS.pingAfter().plus(LIMITS.silenceTimeout())).toMillis());
        assertFalse(answering.closed().isDone(), "a client that answers pings was closed");
        assertTrue(answeringMain.channel.isActive());
        assertTrue(pings.get() >= 3, "the idle answering client got " + pings.get() + " pings");
        assertEquals(1, server.clients().size());
        assertFalse(log.lines().stream().anyMatch(l -> l.contains("the peer is silent") && !l.equals(line)),
                "only the silent connection was closed for silence: " + log.lines());
    }

    /** Counts the PINGs that reach a client connection (they still go on to be answered). */
    private static AtomicLong countPings(ClientConnection c) throws Exception {
        AtomicLong pings = new AtomicLong();
        c.channel.eventLoop().submit(() -> c.channel.pipeline().addBefore("channel", "count-pings",
                new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof RawMessage m && m.type == org.spice.protocol.wire.BaseMessages.PING) {
                            pings.incrementAndGet();
                        }
                        ctx.fireChannelRead(msg);
                    }
                })).get(5, TimeUnit.SECONDS);
        return pings;
    }

    private String awaitLog(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (String l : log.lines()) {
                if (l.contains(text)) {
                    return l;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line contains '" + text + "' within " + timeout);
    }
}
