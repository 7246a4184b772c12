package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.PortMessages;
import org.spice.protocol.wire.SpiceVmcMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.tunnel.api.PortConnection;

@ExtendWith(LeakCheck.class)
class PortTest {

    static ServerEngine server(String name) {
        return new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null, Set.of(),
                null, name, UUID.randomUUID(), 2, Duration.ofSeconds(5)));
    }

    static SpiceUri uri(ServerEngine s) {
        return new SpiceUri("127.0.0.1", s.plainAddress().orElseThrow().getPort(), -1, null);
    }

    @Test
    void echoPortRoundTrip() throws Exception {
        try (ServerEngine server = server("port").start()) {
            PortServerFactory ports = new PortServerFactory();
            ports.addPort(new EchoPort());
            java.util.concurrent.CompletableFuture<Long> otherPeer = new java.util.concurrent.CompletableFuture<>();
            ports.addPort(new org.spice.tunnel.api.ServerPort() {
                @Override
                public String name() {
                    return "org.spice.other";
                }

                @Override
                public org.spice.tunnel.api.PortHandler open(org.spice.tunnel.api.PortPeer peer) {
                    otherPeer.complete(peer.connectionId());
                    return data -> { };
                }
            });
            server.addFactory(ports);
            PortClientFactory client = new PortClientFactory();
            try (ClientEngine engine = new ClientEngine(t -> t == ChannelType.PORT ? client : null)) {
                ClientSession s = engine.connect(uri(server), ClientOptions.defaults()).get(20, TimeUnit.SECONDS);
                assertEquals(Set.of(EchoPort.NAME, "org.spice.other"),
                        Set.copyOf(client.announced(s).get(20, TimeUnit.SECONDS)));
                assertEquals(server.session().clients().get(0).connectionId(), otherPeer.get(20, TimeUnit.SECONDS),
                        "the peer names the client's connection");
                try (PortConnection p = client.open(s, EchoPort.NAME).get(20, TimeUnit.SECONDS)) {
                    assertEquals(EchoPort.NAME, p.name());
                    assertTrue(p.serverOpened());
                    byte[] msg = new byte[200_000];
                    new java.util.Random(1).nextBytes(msg);
                    p.output().write(msg);
                    p.output().flush();
                    assertArrayEquals(msg, p.input().readNBytes(msg.length));
                }
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> client.open(s, "no.such.port").get(20, TimeUnit.SECONDS));
                assertInstanceOf(NoSuchElementException.class, e.getCause());
                assertTrue(client.names(s).contains("org.spice.other"));
            }
        }
    }

    /**
     * A server that sends far more than the client may buffer (40 MiB against MAX_BUFFERED's 16) to a reader that
     * starts late: the client stops reading from the server instead of giving up, and the reader then gets every
     * byte in order. Writing the same amount the other way arrives whole too.
     */
    @Test
    void aSlowReaderHoldsTheServerBackInsteadOfClosing() throws Exception {
        int total = 40 << 20;
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        try (ServerEngine server = server("port").start()) {
            PortServerFactory ports = new PortServerFactory();
            ports.addPort(new org.spice.tunnel.api.ServerPort() {
                @Override
                public String name() {
                    return "org.spice.flood";
                }

                @Override
                public org.spice.tunnel.api.PortHandler open(org.spice.tunnel.api.PortPeer peer) {
                    for (int off = 0; off < total; off += 65536) {
                        peer.send(pattern(off, 65536));
                    }
                    return data -> received.addAndGet(data.length);
                }
            });
            server.addFactory(ports);
            PortClientFactory client = new PortClientFactory();
            try (ClientEngine engine = new ClientEngine(t -> t == ChannelType.PORT ? client : null)) {
                ClientSession s = engine.connect(uri(server), ClientOptions.defaults()).get(20, TimeUnit.SECONDS);
                try (PortConnection p = client.open(s, "org.spice.flood").get(20, TimeUnit.SECONDS)) {
                    Thread.sleep(2000); // the flood arrives while nobody reads
                    byte[] got = p.input().readNBytes(total);
                    assertEquals(total, got.length, "the port ended early");
                    for (int off = 0; off < total; off += 65536) {
                        assertArrayEquals(pattern(off, 65536), java.util.Arrays.copyOfRange(got, off, off + 65536),
                                "bytes at " + off);
                    }
                    byte[] up = pattern(7, 1 << 20);
                    for (int i = 0; i < 40; i++) {
                        p.output().write(up);
                    }
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (received.get() < total && System.nanoTime() < end) {
                        Thread.sleep(20);
                    }
                    assertEquals(total, received.get(), "bytes the server port received");
                    assertTrue(s.channels().stream().anyMatch(c -> c.type() == ChannelType.PORT), "the port closed");
                }
            }
        }
    }

    private static byte[] pattern(int offset, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            int v = offset + i;
            b[i] = (byte) (v ^ v >>> 8 ^ v >>> 16);
        }
        return b;
    }

    @Test
    void portCodecs() {
        ByteBuf b = Unpooled.buffer();
        new PortMessages.Init("org.qemu.monitor.hmp.0", true).encode(b);
        assertEquals(9 + 23, b.readableBytes());
        PortMessages.Init i = PortMessages.Init.decode(b);
        assertEquals("org.qemu.monitor.hmp.0", i.name());
        assertTrue(i.opened());
        b.clear();
        new PortMessages.Init("x", false).encode(b);
        assertFalse(PortMessages.Init.decode(b).opened());
        b.release();
    }

    @Test
    void badPortMessagesAreRefused() {
        ByteBuf outside = Unpooled.buffer().writeIntLE(10).writeIntLE(9).writeByte(1).writeBytes(new byte[3]);
        assertThrows(SpiceProtocolException.class, () -> PortMessages.Init.decode(outside));
        outside.release();
        ByteBuf huge = Unpooled.buffer().writeIntLE(1 << 30).writeIntLE(9).writeByte(1);
        assertThrows(SpiceProtocolException.class, () -> PortMessages.Init.decode(huge));
        huge.release();
        ByteBuf backwards = Unpooled.buffer().writeIntLE(2).writeIntLE(0).writeByte(1).writeBytes(new byte[2]);
        assertThrows(SpiceProtocolException.class, () -> PortMessages.Init.decode(backwards));
        backwards.release();
        ByteBuf lz4 = Unpooled.buffer().writeByte(1).writeIntLE(10).writeBytes(new byte[5]);
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class,
                () -> SpiceVmcMessages.decodeCompressed(lz4));
        assertTrue(e.getMessage().contains("LZ4"));
        lz4.release();
        ByteBuf none = Unpooled.buffer().writeByte(0).writeBytes(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, SpiceVmcMessages.decodeCompressed(none));
        none.release();
        ByteBuf event = Unpooled.buffer().writeByte(0).writeByte(0);
        assertThrows(SpiceProtocolException.class, () -> PortMessages.Event.decode(201, event));
        event.release();
    }
}
