package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LinkError;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.wire.Link;
import org.spice.protocol.wire.LinkHeader;
import org.spice.protocol.wire.LinkReply;

/**
 * Hostile bytes sent to our server: each closes only its own connection with a logged reason, answers with
 * the link error spice-server would send where there is one, and a client connected beside it keeps working.
 */
@ExtendWith(LeakCheck.class)
class BadInputTest {
    /** Short, so the stalled-link test ends soon; long enough for the bystander's link on a loaded machine. */
    private static final Duration LINK_TIMEOUT = Duration.ofSeconds(4);
    private ServerEngine server;
    private ClientEngine client;
    private ClientSession bystander;
    private LogCapture log;

    @BeforeEach
    void start() throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "bad input", UUID.randomUUID(), 4, LINK_TIMEOUT)).start();
        client = new ClientEngine(t -> null);
        bystander = client.connect(uri(), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
        log = new LogCapture("org.spice.protocol");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            // the bystander's session is still up, and a new client still gets in
            assertFalse(bystander.closed().isDone(), "a concurrent client was disturbed");
            assertTrue(client.connect(uri(), ClientOptions.defaults()).get(10, TimeUnit.SECONDS).main()
                    .sessionId() != 0);
        } finally {
            log.close();
            client.close();
            server.close();
        }
    }

    private SpiceUri uri() {
        return new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null);
    }

    private Socket raw() throws IOException {
        Socket s = new Socket("127.0.0.1", server.plainAddress().orElseThrow().getPort());
        s.setSoTimeout(5000);
        return s;
    }

    /** Reads the server's refusal: a link header and reply, then end of stream. */
    private static LinkError readRefusal(InputStream in) throws IOException {
        byte[] head = new byte[Link.HEADER_SIZE];
        new DataInputStream(in).readFully(head);
        ByteBuf h = Unpooled.wrappedBuffer(head);
        LinkHeader header = LinkHeader.decode(h);
        h.release();
        byte[] body = new byte[(int) header.size()];
        new DataInputStream(in).readFully(body);
        ByteBuf b = Unpooled.wrappedBuffer(body);
        LinkError e = LinkReply.decode(b).error();
        b.release();
        assertEquals(-1, in.read(), "the server must close after refusing");
        return e;
    }

    private static byte[] header(int magic, int major, long size) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(magic).putInt(major).putInt(2)
                .putInt((int) size).array();
    }

    @Test
    void garbageIsRefusedAsWrongMagic() throws Exception {
        byte[] junk = new byte[64];
        new Random(7).nextBytes(junk);
        try (Socket s = raw()) {
            s.getOutputStream().write(junk);
            assertEquals(LinkError.INVALID_MAGIC, readRefusal(s.getInputStream()));
        }
        log.await("wrong magic");
    }

    @Test
    void anotherProtocolsGreetingIsRefused() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write("RFB 003.008\nxxxx".getBytes());
            assertEquals(LinkError.INVALID_MAGIC, readRefusal(s.getInputStream()));
        }
        log.await("wrong magic 0x20424652");
    }

    @Test
    void aLinkMessageClaimingTwoGibibytesIsRefusedWithoutWaitingForIt() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write(header(Link.MAGIC, 2, 1L << 31));
            assertEquals(LinkError.INVALID_DATA, readRefusal(s.getInputStream()));
        }
        log.await("link message size 2147483648 outside");
    }

    @Test
    void anOldProtocolVersionIsRefused() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write(header(Link.MAGIC, 1, 26));
            assertEquals(LinkError.VERSION_MISMATCH, readRefusal(s.getInputStream()));
        }
        log.await("protocol version 1.2");
    }

    @Test
    void aTruncatedHeaderThenCloseIsLogged() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write(header(Link.MAGIC, 2, 26), 0, 10);
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read());
        }
        log.await("closed during the link stage after 10 bytes");
    }

    @Test
    void aTruncatedHeaderThatStallsTimesOut() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write(header(Link.MAGIC, 2, 26), 0, 10);
            assertEquals(-1, s.getInputStream().read(), "the server must give up on a stalled link");
        }
        log.await("link not completed within " + LINK_TIMEOUT.toMillis() + " ms (10 bytes received)");
    }

    @Test
    void capsBeyondTheMessageAreInvalidData() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16 + 18).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header(Link.MAGIC, 2, 18));
        b.putInt(0).put((byte) ChannelType.MAIN).put((byte) 0).putInt(1).putInt(1).putInt(18);
        try (Socket s = raw()) {
            s.getOutputStream().write(b.array());
            assertEquals(LinkError.INVALID_DATA, readRefusal(s.getInputStream()));
        }
        log.await("lie outside its 18 bytes");
    }

    @Test
    void aChannelWithoutItsClientsConnectionIdIsRefused() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16 + 18).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header(Link.MAGIC, 2, 18));
        b.putInt(0x1234).put((byte) ChannelType.MAIN).put((byte) 7).putInt(0).putInt(0).putInt(18);
        try (Socket s = raw()) {
            s.getOutputStream().write(b.array());
            assertEquals(LinkError.CHANNEL_NOT_AVAILABLE, readRefusal(s.getInputStream()));
        }
        log.await("main:7 is not offered");
    }

    @Test
    void aLinkedMessageClaimingTwoGibibytesClosesThatChannel() throws Exception {
        ClientSession victim = client.connect(uri(), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
        ClientConnection main = EngineTest.connection(victim, ChannelType.MAIN);
        ByteBuf lie = Unpooled.buffer().writeShortLE(104).writeIntLE(Integer.MIN_VALUE);
        main.channel.writeAndFlush(lie);
        victim.closed().get(5, TimeUnit.SECONDS);
        log.await("message type 104 claims 2147483648 bytes, over this channel's limit");
    }
}
