package org.spice.cursor.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.spice.cursor.api.ClientCursor;
import org.spice.cursor.api.CursorShape;
import org.spice.cursor.internal.wire.CursorCodec;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;

@org.junit.jupiter.api.extension.ExtendWith(org.spice.protocol.LeakCheck.class)
class CursorTest {

    /** A display source with only a pointer, moved by the test. */
    static final class PointerSource implements DisplaySource {
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        volatile Pointer pointer;

        PointerSource(Pointer pointer) {
            this.pointer = pointer;
        }

        void set(Pointer p) {
            pointer = p;
            listeners.forEach(l -> l.pointerChanged(p));
        }

        @Override
        public Frame frame() {
            return new Frame(1024, 768, new int[1024 * 768], 1);
        }

        @Override
        public Pointer pointer() {
            return pointer;
        }

        @Override
        public void addListener(Listener l) {
            listeners.add(l);
        }

        @Override
        public void removeListener(Listener l) {
            listeners.remove(l);
        }
    }

    static final Pointer.Shape ARROW = new Pointer.Shape(2, 2, 1, 0, new int[] {0xffff8f00, 0, 0x801a237e, 0xffd500f9});
    static final Pointer.Shape BAR = new Pointer.Shape(1, 3, 0, 1, new int[] {0xff000000, 0xffffffff, 0xff000000});

    private static ClientCursor await(CursorClientFactory cursors, ClientSession s, String what,
            java.util.function.Predicate<ClientCursor> until) throws InterruptedException {
        ClientCursor c = null;
        for (int i = 0; i < 500; i++) {
            c = cursors.cursor(s);
            if (c != null && until.test(c)) {
                return c;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("our client never saw " + what + "; last " + (c == null ? "nothing"
                : c.x() + "," + c.y() + " visible " + c.visible()));
    }

    /**
     * The display source's pointer reaches our client through our server, and follows the source: moved (MOVE),
     * hidden (HIDE), shown with another image (SET); and a server without a source says there is no cursor.
     */
    @Test
    void theSourcesPointerReachesOurClientAndFollowsIt() throws Exception {
        PointerSource source = new PointerSource(new Pointer(512, 384, true, ARROW));
        try (ServerEngine server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0),
                null, null, Set.of(), null, "cursor", UUID.randomUUID(), 2, Duration.ofSeconds(5))).start()) {
            server.addFactory(new CursorServerFactory(source));
            CursorClientFactory cursors = new CursorClientFactory();
            try (ClientEngine client = new ClientEngine(t -> t == ChannelType.CURSOR ? cursors : null)) {
                ClientSession s = client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow()
                        .getPort(), -1, null), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
                ClientCursor c = await(cursors, s, "the init", x -> x.shape() != null);
                assertEquals(List.of(512, 384, 1, 0), List.of(c.x(), c.y(), c.shape().hotX(), c.shape().hotY()));
                assertTrue(c.visible());
                assertArrayEquals(ARROW.argb(), c.shape().argb());

                source.set(source.pointer.at(100, 50));
                c = await(cursors, s, "the move to 100,50", x -> x.x() == 100 && x.y() == 50);
                assertArrayEquals(ARROW.argb(), c.shape().argb());

                source.set(new Pointer(100, 50, false, ARROW));
                await(cursors, s, "the pointer hidden", x -> !x.visible());

                source.set(new Pointer(7, 8, true, BAR));
                c = await(cursors, s, "the bar at 7,8", x -> x.visible() && x.x() == 7 && x.shape().height() == 3);
                assertArrayEquals(BAR.argb(), c.shape().argb());
                assertEquals(1, c.shape().hotY());
                s.close();
                s.closed().get(10, TimeUnit.SECONDS);
                for (int i = 0; i < 200 && !source.listeners.isEmpty(); i++) {
                    Thread.sleep(10);
                }
                assertTrue(source.listeners.isEmpty(), "the closed channel still listens to the source");
            }
            server.addFactory(new CursorServerFactory(null));
            try (ClientEngine client = new ClientEngine(t -> t == ChannelType.CURSOR ? cursors : null)) {
                ClientSession s = client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow()
                        .getPort(), -1, null), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
                ClientCursor c = await(cursors, s, "the init without a cursor", x -> true);
                assertFalse(c.visible());
                assertNull(c.shape());
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
