package org.spice.inputs.internal;

import org.spice.inputs.internal.wire.InputsMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.desktop.Buttons;
import org.spice.desktop.KeyEvent;
import org.spice.desktop.PointerEvent.Kind;
import org.spice.desktop.PointerEvent;
import org.spice.desktop.UsKeyboard;
import org.spice.inputs.api.ClientInput;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.Golden;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.wire.MessageHeader;
import org.spice.protocol.wire.SpiceMessage;

/**
 * What spice-gtk sent to QEMU on the inputs channel, and what QEMU answered (golden/qemu/inputs-*.hex): our codecs
 * read and rewrite the same bytes, our server reads spice-gtk's messages as the keys and moves they were, and our
 * client writes the same bytes for the same keys and moves.
 */
@ExtendWith(LeakCheck.class)
class SpiceGtkGoldenTest {
    private ServerEngine server;
    private ClientEngine client;

    /** A golden message: type and body. */
    record Msg(int type, byte[] body) implements SpiceMessage {
        @Override
        public void encode(ByteBuf out) {
            out.writeBytes(body);
        }
    }

    static List<Msg> messages(String file) {
        List<Msg> out = new ArrayList<>();
        for (byte[] item : Golden.items(file)) {
            ByteBuf b = Unpooled.wrappedBuffer(item);
            MessageHeader h = MessageHeader.decode(b, true);
            assertEquals(b.readableBytes(), h.size());
            out.add(new Msg(h.type(), Golden.bytes(b)));
            b.release();
        }
        return out;
    }

    /** Decodes with our codec, re-encodes, and compares the bytes. */
    private static void roundTrip(Msg m, boolean fromClient) {
        ByteBuf in = Unpooled.wrappedBuffer(m.body());
        ByteBuf out = Unpooled.buffer();
        try {
            SpiceMessage decoded = fromClient ? switch (m.type()) {
                case InputsMessages.C_KEY_DOWN, InputsMessages.C_KEY_UP -> InputsMessages.Key.decode(m.type(), in);
                case InputsMessages.C_KEY_MODIFIERS -> InputsMessages.KeyModifiers.decode(m.type(), in);
                case InputsMessages.C_MOUSE_MOTION -> InputsMessages.MouseMotion.decode(in);
                case InputsMessages.C_MOUSE_POSITION -> InputsMessages.MousePosition.decode(in);
                case InputsMessages.C_MOUSE_PRESS, InputsMessages.C_MOUSE_RELEASE ->
                        InputsMessages.MouseButton.decode(m.type(), in);
                default -> throw new AssertionError("type " + m.type());
            } : switch (m.type()) {
                case InputsMessages.INIT -> InputsMessages.Init.decode(in);
                case InputsMessages.KEY_MODIFIERS -> InputsMessages.KeyModifiers.decode(m.type(), in);
                case InputsMessages.MOUSE_MOTION_ACK -> InputsMessages.MOTION_ACK;
                default -> throw new AssertionError("type " + m.type());
            };
            assertEquals(m.type(), decoded.type());
            decoded.encode(out);
            assertArrayEquals(m.body(), Golden.bytes(out), "message type " + m.type());
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void ourCodecsRewriteSpiceGtksAndQemusBytes() {
        messages("inputs-client-messages.hex").forEach(m -> roundTrip(m, true));
        messages("inputs-server-messages.hex").forEach(m -> roundTrip(m, false));
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

    private ClientSession connect(ServerChannelFactory serverSide, IntFunction<ClientChannelFactory> clientSide)
            throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "golden", UUID.randomUUID(), 2, Duration.ofSeconds(5))).start();
        server.addFactory(serverSide);
        client = new ClientEngine(clientSide);
        return client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null),
                ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
    }

    /** spice-gtk's bytes, sent as they are to our server, arrive at the sinks as what the user did. */
    @Test
    void ourServerReadsSpiceGtk() throws Exception {
        InputsServerFactory inputs = InputsServerFactory.loggingKeys();
        InputsChannelTest.Recorder sink = new InputsChannelTest.Recorder();
        inputs.addSink(sink);
        LinkedBlockingQueue<Integer> fromServer = new LinkedBlockingQueue<>();
        ClientChannelContext[] ctx = new ClientChannelContext[1];
        ClientSession s = connect(inputs, t -> t != ChannelType.INPUTS ? null : new ClientChannelFactory() {
            public int channelType() {
                return ChannelType.INPUTS;
            }

            public Capabilities channelCapabilities() {
                return Capabilities.NONE;
            }

            public ChannelHandler open(ClientChannelContext c) {
                ctx[0] = c;
                return (type, body) -> fromServer.add(type);
            }
        });
        long c = s.main().sessionId();
        List<Msg> gtk = messages("inputs-client-messages.hex");
        gtk.forEach(ctx[0]::send);
        List<Object> expected = new ArrayList<>(List.of("locks 0",
                new KeyEvent(c, 0x23, true), new KeyEvent(c, 0x23, false),
                new KeyEvent(c, 0x17, true), new KeyEvent(c, 0x17, false),
                new KeyEvent(c, UsKeyboard.UP, true), new KeyEvent(c, UsKeyboard.UP, false),
                new KeyEvent(c, UsKeyboard.LEFT_SHIFT, true), new KeyEvent(c, 0x1e, true),
                new KeyEvent(c, UsKeyboard.LEFT_SHIFT, false), new KeyEvent(c, 0x1e, false),
                new PointerEvent(c, Kind.POSITION, 0, 0, 0, 0, 0),
                new PointerEvent(c, Kind.RELEASE, 0, 0, 0, Buttons.LEFT, 0)));
        expected.addAll(Collections.nCopies(30, new PointerEvent(c, Kind.MOTION, 3, 2, -1, 0, 0)));
        expected.add(new PointerEvent(c, Kind.PRESS, 0, 0, 0, Buttons.RIGHT, Buttons.MASK_RIGHT));
        expected.add(new PointerEvent(c, Kind.RELEASE, 0, 0, 0, Buttons.RIGHT, 0));
        assertEquals(expected, sink.next(expected.size()));
        // init, then as QEMU: seven acks for one position and thirty motions
        assertEquals(InputsMessages.INIT, fromServer.poll(5, TimeUnit.SECONDS));
        for (int i = 0; i < 7; i++) {
            assertEquals(InputsMessages.MOUSE_MOTION_ACK, fromServer.poll(5, TimeUnit.SECONDS), "ack " + i);
        }
        assertNull(fromServer.poll(200, TimeUnit.MILLISECONDS));
    }

    /** Our client, asked for what the user did in the capture, writes what spice-gtk wrote. */
    @Test
    void ourClientWritesWhatSpiceGtkWrites() throws Exception {
        LinkedBlockingQueue<Msg> got = new LinkedBlockingQueue<>();
        ServerChannelContext[] sctx = new ServerChannelContext[1];
        InputsClientFactory inputs = new InputsClientFactory();
        ClientSession s = connect(new ServerChannelFactory() {
            public int channelType() {
                return ChannelType.INPUTS;
            }

            public Capabilities channelCapabilities() {
                return Capabilities.NONE; // as a server without key_scancode, so that presses go as key_down/up
            }

            public ChannelHandler open(ServerChannelContext c) {
                sctx[0] = c;
                c.send(new InputsMessages.Init(0));
                return (type, body) -> {
                    byte[] b = new byte[body.readableBytes()];
                    body.readBytes(b);
                    got.add(new Msg(type, b));
                };
            }
        }, t -> t == ChannelType.INPUTS ? inputs : null);
        ClientInput in = inputs.inputs(s);
        assertNotNull(in);
        in.setKeyLocks(0);
        in.keyPress(0x23);
        in.keyPress(0x17);
        in.keyPress(UsKeyboard.UP);
        in.keyDown(UsKeyboard.LEFT_SHIFT);
        in.keyDown(0x1e);
        in.keyUp(UsKeyboard.LEFT_SHIFT);
        in.keyUp(0x1e);
        in.position(0, 0, 0);
        in.release(Buttons.LEFT);
        List<Msg> gtk = messages("inputs-client-messages.hex");
        for (Msg expected : gtk.subList(0, 13)) {
            Msg m = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(m, "nothing for " + expected.type());
            assertEquals(expected.type(), m.type());
            assertArrayEquals(expected.body(), m.body(), "message type " + m.type());
        }
        // 30 moves: the window shuts at eight; QEMU's acks (sent here by hand, one per four) open it again
        for (int i = 0; i < 30; i++) {
            in.motionWindow().get(5, TimeUnit.SECONDS);
            in.motion(3, 2);
            Msg m = got.poll(5, TimeUnit.SECONDS);
            assertArrayEquals(gtk.get(13 + i).body(), m.body(), "motion " + i);
            if ((i + 2) % 4 == 0) { // the position above counts as the first motion message
                sctx[0].send(InputsMessages.MOTION_ACK);
            }
        }
        in.press(Buttons.RIGHT);
        in.release(Buttons.RIGHT);
        for (Msg expected : gtk.subList(43, 45)) {
            Msg m = got.poll(5, TimeUnit.SECONDS);
            assertEquals(expected.type(), m.type());
            assertArrayEquals(expected.body(), m.body());
        }
        assertFalse(got.iterator().hasNext());
    }
}
