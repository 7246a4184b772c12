package org.spice.cursor.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.spice.cursor.api.ClientCursor;
import org.spice.cursor.api.CursorShape;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;

@org.junit.jupiter.api.extension.ExtendWith(org.spice.protocol.LeakCheck.class)
class CursorTest {

    @Test
    void ourServersArrowReachesOurClient() throws Exception {
        try (ServerEngine server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0),
                null, null, Set.of(), null, "cursor", UUID.randomUUID(), 2, Duration.ofSeconds(5))).start()) {
            server.addFactory(new CursorServerFactory());
            CursorClientFactory cursors = new CursorClientFactory();
            try (ClientEngine client = new ClientEngine(t -> t == ChannelType.CURSOR ? cursors : null)) {
                ClientSession s = client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow()
                        .getPort(), -1, null), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
                ClientCursor c = null;
                for (int i = 0; i < 200 && (c == null || c.shape() == null); i++) {
                    c = cursors.cursor(s);
                    Thread.sleep(10);
                }
                assertEquals(512, c.x());
                assertEquals(384, c.y());
                assertTrue(c.visible());
                assertArrayEquals(CursorServerFactory.ARROW.argb(), c.shape().argb());
                assertEquals(22, c.shape().height());
                assertEquals(0xffff8f00, c.shape().argb()[2 * 16 + 1]); // the orange fill, below the outline
            }
        }
    }

    @Test
    void monoCursorMasks() {
        // 8x1: AND 0b11110000 then XOR 0b11001100 -> invert, invert, transparent, transparent, white, white, black, black
        ByteBuf b = Unpooled.buffer().writeShortLE(0).writeLongLE(9).writeByte(CursorCodec.TYPE_MONO)
                .writeShortLE(8).writeShortLE(1).writeShortLE(0).writeShortLE(0).writeByte(0xf0).writeByte(0xcc);
        CursorShape s = CursorCodec.decode(b).shape();
        assertArrayEquals(new int[] {0xff000000, 0xff000000, 0, 0, 0xffffffff, 0xffffffff, 0xff000000, 0xff000000},
                s.argb());
        assertTrue(s.inverting()[0]);
        b.release();
    }

    @Test
    void color32CursorWithMask() {
        ByteBuf b = Unpooled.buffer().writeShortLE(0).writeLongLE(9).writeByte(CursorCodec.TYPE_COLOR32)
                .writeShortLE(2).writeShortLE(1).writeShortLE(1).writeShortLE(0)
                .writeIntLE(0x123456).writeIntLE(0).writeByte(0x40); // pixel 1 masked and black: transparent
        CursorShape s = CursorCodec.decode(b).shape();
        assertArrayEquals(new int[] {0xff123456, 0}, s.argb());
        assertEquals(1, s.hotX());
        b.release();
    }

    @Test
    void lyingCursorsAreRefused() {
        ByteBuf huge = Unpooled.buffer().writeShortLE(0).writeLongLE(1).writeByte(0).writeShortLE(60000)
                .writeShortLE(60000).writeShortLE(0).writeShortLE(0);
        assertThrows(SpiceProtocolException.class, () -> CursorCodec.decode(huge));
        huge.release();
        ByteBuf shortData = Unpooled.buffer().writeShortLE(0).writeLongLE(1).writeByte(0).writeShortLE(32)
                .writeShortLE(32).writeShortLE(0).writeShortLE(0).writeZero(100);
        assertThrows(SpiceProtocolException.class, () -> CursorCodec.decode(shortData));
        shortData.release();
        ByteBuf badType = Unpooled.buffer().writeShortLE(0).writeLongLE(1).writeByte(77).writeShortLE(1)
                .writeShortLE(1).writeShortLE(0).writeShortLE(0).writeZero(8);
        assertThrows(SpiceProtocolException.class, () -> CursorCodec.decode(badType));
        badType.release();
    }
}
