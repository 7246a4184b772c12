package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LinkError;
import org.spice.protocol.internal.auth.TicketCipher;
import org.spice.protocol.wire.Link;
import org.spice.protocol.wire.LinkHeader;
import org.spice.protocol.wire.LinkMess;
import org.spice.protocol.wire.LinkReply;

/**
 * max.clients under a race: 200 main links admitted at once, each driven through the server's whole link stage
 * on its own thread (an EmbeddedChannel per link, no sockets), never attach more than the limit at any instant,
 * and links that fail or leave give their place back.
 */
@ExtendWith(LeakCheck.class)
class ClientLimitTest {
    private static final int MAX_CLIENTS = 16;
    private static final int LINKS = 200;
    private ServerEngine server;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() {
        synchronized (channels) {
            channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        }
        if (server != null) {
            server.close();
        }
    }

    private ServerEngine server(String password) {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), password == null ? null : password.getBytes(StandardCharsets.UTF_8), "limit",
                UUID.randomUUID(), MAX_CLIENTS, Duration.ofSeconds(30)));
        return server;
    }

    /** One main link through ServerLinkHandler; the channel stays open when it linked. */
    private LinkError link(String password) {
        EmbeddedChannel ch = new EmbeddedChannel(new ServerLinkHandler(server, false));
        synchronized (channels) {
            channels.add(ch);
        }
        ByteBuf request = Unpooled.buffer();
        new LinkMess(0, ChannelType.MAIN, 0, Capabilities.of(Link.CAP_PROTOCOL_AUTH_SELECTION,
                Link.CAP_AUTH_SPICE, Link.CAP_MINI_HEADER), Capabilities.NONE).encode(request);
        ch.writeInbound(request);
        ByteBuf replyBytes = ch.readOutbound();
        LinkReply reply;
        try {
            LinkHeader.decode(replyBytes);
            reply = LinkReply.decode(replyBytes);
        } finally {
            replyBytes.release();
        }
        if (reply.error() != LinkError.OK) {
            assertTrue(!ch.isActive(), "a refused link is closed");
            return reply.error();
        }
        ByteBuf ticket = Unpooled.buffer().writeIntLE(Link.AUTH_MECHANISM_SPICE)
                .writeBytes(TicketCipher.encrypt(reply.publicKey(), password == null ? "" : password));
        ch.writeInbound(ticket);
        ByteBuf result = ch.readOutbound();
        try {
            return LinkError.of(result.readIntLE());
        } finally {
            result.release();
        }
    }

    /** One main link over TCP, the bytes written by hand; the socket stays open when it linked. */
    private LinkError linkOverTcp(List<Socket> open) throws IOException {
        Socket s = new Socket("127.0.0.1", server.plainAddress().orElseThrow().getPort());
        synchronized (open) {
            open.add(s);
        }
        s.setSoTimeout(30_000);
        ByteBuf request = Unpooled.buffer();
        new LinkMess(0, ChannelType.MAIN, 0, Capabilities.of(Link.CAP_PROTOCOL_AUTH_SELECTION,
                Link.CAP_AUTH_SPICE, Link.CAP_MINI_HEADER), Capabilities.NONE).encode(request);
        byte[] out = new byte[request.readableBytes()];
        request.readBytes(out).release();
        s.getOutputStream().write(out);
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] head = new byte[Link.HEADER_SIZE];
        in.readFully(head);
        byte[] body = new byte[(int) LinkHeader.decode(Unpooled.wrappedBuffer(head)).size()];
        in.readFully(body);
        LinkReply reply = LinkReply.decode(Unpooled.wrappedBuffer(body));
        if (reply.error() != LinkError.OK) {
            assertEquals(-1, in.read(), "a refused link is closed");
            return reply.error();
        }
        s.getOutputStream().write(ByteBuffer.allocate(4 + Link.ENCRYPTED_TICKET_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN).putInt(Link.AUTH_MECHANISM_SPICE)
                .put(TicketCipher.encrypt(reply.publicKey(), "")).array());
        return LinkError.of(Integer.toUnsignedLong(Integer.reverseBytes(in.readInt())));
    }

    /** Runs {@code count} links at once, released together by a barrier; returns each one's outcome. */
    private List<LinkError> race(int count, Callable<LinkError> link) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CyclicBarrier start = new CyclicBarrier(count);
            List<Future<LinkError>> outcomes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return link.call();
                }));
            }
            List<LinkError> errors = new ArrayList<>();
            for (Future<LinkError> f : outcomes) {
                errors.add(f.get(60, TimeUnit.SECONDS));
            }
            return errors;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long count(List<LinkError> outcomes, LinkError e) {
        return outcomes.stream().filter(x -> x == e).count();
    }

    @Test
    void twoHundredMainLinksAtOnceNeverAttachMoreThanMaxClients() throws Exception {
        server(null);
        List<LinkError> outcomes = race(LINKS, () -> link(null));
        assertEquals(MAX_CLIENTS, count(outcomes, LinkError.OK), outcomes.toString());
        assertEquals(LINKS - MAX_CLIENTS, count(outcomes, LinkError.ERROR), outcomes.toString());
        assertEquals(MAX_CLIENTS, server.clients().size());
        assertEquals(MAX_CLIENTS, server.mostClientsAttached(), "clients attached at one instant");
    }

    @Test
    void twoHundredTcpMainLinksAtOnceNeverAttachMoreThanMaxClients() throws Exception {
        server(null).start();
        List<Socket> open = new ArrayList<>();
        try {
            List<LinkError> outcomes = race(LINKS, () -> linkOverTcp(open));
            assertEquals(MAX_CLIENTS, count(outcomes, LinkError.OK), outcomes.toString());
            assertEquals(LINKS - MAX_CLIENTS, count(outcomes, LinkError.ERROR), outcomes.toString());
            assertEquals(MAX_CLIENTS, server.clients().size());
            assertEquals(MAX_CLIENTS, server.mostClientsAttached(), "clients attached at one instant");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        for (int i = 0; i < 500 && !server.clients().isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), server.clients(), "clients whose sockets closed have left");
        List<Socket> again = new ArrayList<>();
        try {
            assertEquals(LinkError.OK, linkOverTcp(again), "a place is free again");
        } finally {
            for (Socket s : again) {
                s.close();
            }
        }
    }

    @Test
    void clientsThatLeaveAndLinksThatFailGiveTheirPlaceBack() throws Exception {
        server("right");
        List<LinkError> wrong = race(LINKS, () -> link("wrong"));
        assertTrue(count(wrong, LinkError.PERMISSION_DENIED) >= MAX_CLIENTS, wrong.toString());
        assertEquals(LINKS, count(wrong, LinkError.PERMISSION_DENIED) + count(wrong, LinkError.ERROR));
        assertEquals(0, server.clients().size());

        List<LinkError> first = race(LINKS, () -> link("right"));
        assertEquals(MAX_CLIENTS, count(first, LinkError.OK), first.toString());
        synchronized (channels) {
            channels.forEach(EmbeddedChannel::finishAndReleaseAll);
            channels.clear();
        }
        assertEquals(0, server.clients().size());

        List<LinkError> second = race(LINKS, () -> link("right"));
        assertEquals(MAX_CLIENTS, count(second, LinkError.OK), second.toString());
        assertEquals(MAX_CLIENTS, server.mostClientsAttached(), "clients attached at one instant");
    }
}
