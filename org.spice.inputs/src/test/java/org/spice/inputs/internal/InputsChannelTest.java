package org.spice.inputs.internal;

import org.spice.inputs.internal.wire.InputsMessages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.desktop.Buttons;
import org.spice.desktop.InputSink;
import org.spice.desktop.KeyEvent;
import org.spice.desktop.KeyLocks;
import org.spice.desktop.PointerEvent.Kind;
import org.spice.desktop.PointerEvent;
import org.spice.desktop.UsKeyboard;
import org.spice.inputs.api.ClientInput;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeFactories;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.wire.SpiceMessage;

/** Our inputs client against our inputs server, in one JVM on loopback. */
@ExtendWith(LeakCheck.class)
class InputsChannelTest {
    private ServerEngine server;
    private ClientEngine client;
    private ClientChannelFactory clientFactory;
    private final InputsServerFactory serverInputs = InputsServerFactory.loggingKeys();
    private final InputsClientFactory clientInputs = new InputsClientFactory();
    private final Recorder sink = new Recorder();

    /** Everything the server hands to its sinks, in order. */
    static final class Recorder implements InputSink {
        final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void key(KeyEvent event) {
            events.add(event);
        }

        @Override
        public void pointer(PointerEvent event) {
            events.add(event);
        }

        @Override
        public void keyLocks(long connectionId, int locks) {
            events.add("locks " + locks);
        }

        Object next() throws InterruptedException {
            Object o = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(o, "no input event within 5 s");
            return o;
        }

        List<Object> next(int n) throws InterruptedException {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(next());
            }
            return out;
        }
    }

    record Bytes(int type, byte[] data) implements SpiceMessage {
        @Override
        public void encode(ByteBuf out) {
            out.writeBytes(data);
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "inputs", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start();
        serverInputs.addSink(sink);
        clientFactory = clientInputs;
        client = new ClientEngine(t -> t == ChannelType.INPUTS ? clientFactory : null);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private ClientSession connect() throws Exception {
        return client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null),
                ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
    }

    private ClientInput inputs(ClientSession s) {
        ClientInput in = clientInputs.inputs(s);
        assertNotNull(in, "inputs channel not linked");
        return in;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws Exception {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void typedTextArrivesAsScancodes() throws Exception {
        server.addFactory(serverInputs);
        try (LogCapture log = new LogCapture("org.spice.inputs")) {
            ClientSession s = connect();
            long conn = s.main().sessionId();
            ClientInput in = inputs(s);
            in.typeText("Hi\n");
            assertEquals(List.of(new KeyEvent(conn, 0x2a, true), new KeyEvent(conn, 0x23, true),
                    new KeyEvent(conn, 0x23, false), new KeyEvent(conn, 0x2a, false), new KeyEvent(conn, 0x17, true),
                    new KeyEvent(conn, 0x17, false), new KeyEvent(conn, 0x1c, true), new KeyEvent(conn, 0x1c, false)),
                    sink.next(8));
            // an E0-prefixed key in key_down/key_up, and a press and release in one key_scancode message
            in.keyDown(UsKeyboard.UP);
            in.keyUp(UsKeyboard.UP);
            in.keyPress(UsKeyboard.ESC);
            in.keyPress(UsKeyboard.RIGHT_CTRL);
            List<Object> keys = sink.next(6);
            assertEquals(List.of(new KeyEvent(conn, 0x148, true), new KeyEvent(conn, 0x148, false),
                    new KeyEvent(conn, 0x01, true), new KeyEvent(conn, 0x01, false), new KeyEvent(conn, 0x11d, true),
                    new KeyEvent(conn, 0x11d, false)), keys);
            assertTrue(((KeyEvent) keys.get(0)).extended());
            log.await("inputs: key down 0x23 (h)");
            log.await("inputs: key down 0xe0 0x48 (Up)");
            assertTrue(log.lines().stream().noneMatch(l -> l.contains("INFO inputs: key up")), "key ups at INFO");
        }
    }

    @Test
    void pointerPositionButtonsWheelAndMotionArrive() throws Exception {
        server.addFactory(serverInputs);
        ClientSession s = connect();
        long conn = s.main().sessionId();
        ClientInput in = inputs(s);
        in.position(100, 200, 0);
        in.press(Buttons.LEFT);
        in.position(110, 210, 0);
        in.release(Buttons.LEFT);
        in.press(Buttons.RIGHT);
        in.release(Buttons.RIGHT);
        in.wheel(-1);
        in.wheel(2);
        in.motion(3, -4);
        assertEquals(List.of(
                new PointerEvent(conn, Kind.POSITION, 100, 200, 0, 0, 0),
                new PointerEvent(conn, Kind.PRESS, 100, 200, 0, Buttons.LEFT, Buttons.MASK_LEFT),
                new PointerEvent(conn, Kind.POSITION, 110, 210, 0, 0, Buttons.MASK_LEFT),
                new PointerEvent(conn, Kind.RELEASE, 110, 210, 0, Buttons.LEFT, 0),
                new PointerEvent(conn, Kind.PRESS, 110, 210, 0, Buttons.RIGHT, Buttons.MASK_RIGHT),
                new PointerEvent(conn, Kind.RELEASE, 110, 210, 0, Buttons.RIGHT, 0),
                new PointerEvent(conn, Kind.PRESS, 110, 210, 0, Buttons.UP, 0),
                new PointerEvent(conn, Kind.RELEASE, 110, 210, 0, Buttons.UP, 0),
                new PointerEvent(conn, Kind.PRESS, 110, 210, 0, Buttons.DOWN, 0),
                new PointerEvent(conn, Kind.RELEASE, 110, 210, 0, Buttons.DOWN, 0),
                new PointerEvent(conn, Kind.PRESS, 110, 210, 0, Buttons.DOWN, 0),
                new PointerEvent(conn, Kind.RELEASE, 110, 210, 0, Buttons.DOWN, 0),
                new PointerEvent(conn, Kind.MOTION, 3, -4, -1, 0, 0)), sink.next(13));
        assertEquals(0, in.buttons());
    }

    /** Waiting for the motion window before each position: the acks keep it open and nothing is coalesced. */
    @Test
    void aHundredPositionsAllArriveWhileAcksFlow() throws Exception {
        server.addFactory(serverInputs);
        ClientSession s = connect();
        ClientInput in = inputs(s);
        for (int i = 0; i < 100; i++) {
            in.motionWindow().get(5, TimeUnit.SECONDS);
            in.position(i, 2 * i, 1);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(new PointerEvent(s.main().sessionId(), Kind.POSITION, i, 2 * i, 1, 0, 0), sink.next());
        }
        waitFor(() -> in.unacknowledgedMotion() == 0, "100 positions are 25 acks; left " + in.unacknowledgedMotion());
    }

    /** Sent in a burst, positions are coalesced while the window is shut, and the last one always arrives. */
    @Test
    void aBurstOfPositionsEndsAtTheLastOne() throws Exception {
        server.addFactory(serverInputs);
        ClientSession s = connect();
        ClientInput in = inputs(s);
        for (int i = 0; i < 100; i++) {
            in.position(i, i, 0);
        }
        int last = -1;
        int n = 0;
        while (last != 99) {
            PointerEvent e = (PointerEvent) sink.next();
            assertTrue(e.x() > last, "positions out of order: " + e.x() + " after " + last);
            last = e.x();
            n++;
        }
        assertTrue(n >= InputsClientChannel.MOTION_WINDOW && n <= 100, n + " positions arrived");
        Thread.sleep(100);
        assertNull(sink.events.poll(), "nothing after the last position");
    }

    /** A server that never acknowledges: the client stops at eight, and one ack lets the latest position go. */
    @Test
    void withoutAcksTheClientStopsAtEightUnacknowledged() throws Exception {
        LinkedBlockingQueue<Long> xs = new LinkedBlockingQueue<>();
        ServerChannelContext[] ctx = new ServerChannelContext[1];
        server.addFactory(FakeFactories.server(ChannelType.INPUTS, Capabilities.NONE, c -> {
            ctx[0] = c;
            return (type, body) -> {
                assertEquals(InputsMessages.C_MOUSE_POSITION, type);
                xs.add(InputsMessages.MousePosition.decode(body).x());
            };
        }));
        ClientSession s = connect();
        ClientInput in = inputs(s);
        for (int i = 0; i < 20; i++) {
            in.position(i, 0, 0);
        }
        for (long i = 0; i < 8; i++) {
            assertEquals(i, xs.poll(5, TimeUnit.SECONDS));
        }
        assertNull(xs.poll(300, TimeUnit.MILLISECONDS), "sent more than eight unacknowledged");
        assertEquals(8, in.unacknowledgedMotion());
        assertFalse(in.motionWindow().isDone());
        ctx[0].send(InputsMessages.MOTION_ACK);
        assertEquals(19L, xs.poll(5, TimeUnit.SECONDS));
        in.motionWindow().get(5, TimeUnit.SECONDS);
        assertEquals(5, in.unacknowledgedMotion());
    }

    @Test
    void lockKeysAreOneStateForTheSession() throws Exception {
        server.addFactory(serverInputs);
        ClientSession s = connect();
        ClientInput in = inputs(s);
        assertEquals(0, in.keyLocks());
        in.setKeyLocks(KeyLocks.CAPS_LOCK | KeyLocks.NUM_LOCK);
        assertEquals("locks 6", sink.next());
        waitFor(() -> in.keyLocks() == 6, "the server reports the locks back");
        in.keyPress(UsKeyboard.CAPS_LOCK);
        sink.next(2);
        waitFor(() -> in.keyLocks() == KeyLocks.NUM_LOCK, "Caps Lock toggles; now " + in.keyLocks());
        ClientInput second = inputs(connect());
        waitFor(() -> second.keyLocks() == KeyLocks.NUM_LOCK, "a new client's init carries the locks");
    }

    @Test
    void keysHeldWhenAClientGoesAreReleased() throws Exception {
        server.addFactory(serverInputs);
        ClientSession s = connect();
        long conn = s.main().sessionId();
        inputs(s).keyDown(UsKeyboard.LEFT_SHIFT);
        inputs(s).keyDown(UsKeyboard.RIGHT_ALT);
        assertEquals(2, sink.next(2).size());
        inputs(s).flush().get(5, TimeUnit.SECONDS);
        s.close();
        List<Object> released = sink.next(2);
        assertTrue(released.contains(new KeyEvent(conn, UsKeyboard.LEFT_SHIFT, false)), released.toString());
        assertTrue(released.contains(new KeyEvent(conn, UsKeyboard.RIGHT_ALT, false)), released.toString());
    }

    @Test
    void aFailingSinkHarmsNothing() throws Exception {
        server.addFactory(serverInputs);
        serverInputs.addSink(new InputSink() {
            @Override
            public void key(KeyEvent event) {
                throw new IllegalStateException("broken sink");
            }

            @Override
            public void pointer(PointerEvent event) {
                throw new IllegalStateException("broken sink");
            }
        });
        try (LogCapture log = new LogCapture("org.spice.inputs")) {
            ClientSession s = connect();
            ClientInput in = inputs(s);
            in.typeText("a");
            assertEquals(2, sink.next(2).size());
            log.await("failed");
            assertTrue(in.isOpen());
        }
    }

    /** A client that sends what we ask it to, to feed the server bad bytes. */
    private LinkedBlockingQueue<Object> rawClient(ClientChannelContext[] ctx) {
        LinkedBlockingQueue<Object> got = new LinkedBlockingQueue<>();
        clientFactory = FakeFactories.client(ChannelType.INPUTS, Capabilities.NONE, c -> {
            ctx[0] = c;
            return new ChannelHandler() {
                @Override
                public void onMessage(int type, ByteBuf body) {
                    got.add(type);
                }

                @Override
                public void onClose() {
                    got.add("closed");
                }
            };
        });
        return got;
    }

    @Test
    void badMessagesCloseOnlyTheInputsChannel() throws Exception {
        server.addFactory(serverInputs);
        ClientChannelContext[] ctx = new ClientChannelContext[1];
        LinkedBlockingQueue<Object> got = rawClient(ctx);
        record Case(SpiceMessage message, String log) {
        }
        List<Case> cases = List.of(
                new Case(new Bytes(150, new byte[3]), "unknown message type 150 on the inputs channel"),
                new Case(new Bytes(InputsMessages.C_KEY_DOWN, new byte[] {0x1e}), "key_down: truncated"),
                new Case(new Bytes(InputsMessages.C_MOUSE_POSITION, new byte[12]), "trailing"),
                new Case(new Bytes(InputsMessages.C_KEY_SCANCODE, new byte[3000]), "3000 bytes exceed the limit"));
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            for (Case c : cases) {
                ClientSession s = connect();
                assertEquals(InputsMessages.INIT, got.poll(5, TimeUnit.SECONDS));
                ctx[0].send(c.message());
                log.await(c.log());
                assertEquals("closed", got.poll(5, TimeUnit.SECONDS));
                assertFalse(s.closed().isDone(), "the session must survive");
                assertTrue(s.channels().stream().noneMatch(l -> l.type() == ChannelType.INPUTS));
                s.close();
            }
        }
        assertNull(sink.events.poll(), "nothing reached the sinks: " + sink.events);
    }
}
