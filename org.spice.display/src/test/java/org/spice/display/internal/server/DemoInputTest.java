package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.DisplaySource;
import org.spice.display.api.Frame;
import org.spice.display.api.Pointer;
import org.spice.display.api.Rect;
import org.spice.display.internal.client.DisplayClientFactory;
import org.spice.display.internal.source.DemoSource;
import org.spice.inputs.api.Buttons;
import org.spice.inputs.api.ClientInput;
import org.spice.inputs.api.KeyEvent;
import org.spice.inputs.api.PointerEvent;
import org.spice.inputs.api.UsKeyboard;
import org.spice.inputs.internal.InputsClientFactory;
import org.spice.inputs.internal.InputsServerFactory;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;

/** The demo desktop shows what the inputs channel receives: typed text in its text box, a marker at clicks. */
@ExtendWith(LeakCheck.class)
class DemoInputTest {

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    private static boolean inside(Rect outer, Rect r) {
        return outer.intersect(r).equals(r);
    }

    /**
     * The demo's pointer (what the cursor channel shows) follows a client's positions on display 0 and, in server
     * mouse mode, its motion (even by Integer.MAX_VALUE), kept on the desktop; a press without a position, or after
     * motion, marks the pointer's place; a resize keeps the pointer on the smaller desktop. Listeners hear each move
     * once.
     */
    @Test
    void thePointerFollowsTheClientsPointer() throws Exception {
        DemoSource demo = new DemoSource();
        try {
            assertEquals(new Pointer(512, 384, true, demo.pointer().shape()), demo.pointer());
            List<Pointer> heard = new CopyOnWriteArrayList<>();
            demo.addListener(new DisplaySource.Listener() {
                @Override
                public void changed(Frame frame, Rect dirty) {
                }

                @Override
                public void pointerChanged(Pointer pointer) {
                    heard.add(pointer);
                }
            });
            DemoInputSink sink = new DemoInputSink(demo);
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.POSITION, 300, 200, 0, 0, 0));
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.POSITION, 50, 60, 1, 0, 0)); // display 1: not ours
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.MOTION, 10, -5, -1, 0, 0));
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.MOTION, -5000, 0, -1, 0, 0));
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.PRESS, 0, 0, -1, Buttons.LEFT, Buttons.MASK_LEFT));
            waitFor(() -> demo.marker() != null, "a marker for the press");
            assertEquals(new java.awt.Point(0, 195), demo.marker());
            assertEquals(List.of("300,200", "310,195", "0,195"), heard.stream().map(p -> p.x() + "," + p.y())
                    .toList());
            // a client that switched to server mode still reports its last position with presses: stale, the
            // pointer's place counts
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.POSITION, 300, 200, 0, 0, 0));
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.MOTION, 5, 5, -1, 0, 0));
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.PRESS, 300, 200, 0, Buttons.LEFT, Buttons.MASK_LEFT));
            waitFor(() -> new java.awt.Point(305, 205).equals(demo.marker()), "the marker at the pointer, 305,205");
            // motion as far as an int goes, from x = 305: to the right edge, not wrapped round to the left one
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.MOTION, Integer.MAX_VALUE, 0, -1, 0, 0));
            waitFor(() -> demo.pointer().x() == 1023, "the pointer at the right edge");
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.POSITION, 1000, 700, 0, 0, 0));
            assertTrue(demo.resize(800, 600));
            waitFor(() -> demo.pointer().x() == 799, "the pointer kept on the smaller desktop");
            assertEquals(599, demo.pointer().y());
        } finally {
            demo.close();
        }
    }

    @Test
    void keysAndClicksChangeTheDemoAndOnlyWhereTheyShow() throws Exception {
        DemoSource demo = new DemoSource();
        try {
            List<Rect> dirty = new CopyOnWriteArrayList<>();
            demo.addListener((f, r) -> {
                if (!r.equals(DemoSource.VIDEO)) {
                    dirty.add(r);
                }
            });
            DemoInputSink sink = new DemoInputSink(demo);
            Frame before = demo.frame();
            int[] codes = {UsKeyboard.LEFT_SHIFT, 0x23, -0x23, -UsKeyboard.LEFT_SHIFT, 0x17, -0x17, 0x02, -0x02,
                UsKeyboard.CAPS_LOCK, -UsKeyboard.CAPS_LOCK, 0x30, -0x30, UsKeyboard.CAPS_LOCK, -UsKeyboard.CAPS_LOCK,
                UsKeyboard.ENTER, -UsKeyboard.ENTER, 0x12, 0x12, UsKeyboard.BACKSPACE, UsKeyboard.LEFT_CTRL, 0x1e,
                -0x1e, -UsKeyboard.LEFT_CTRL, UsKeyboard.UP, -UsKeyboard.UP};
            for (int c : codes) {
                sink.key(new KeyEvent(1, Math.abs(c), c > 0));
            }
            waitFor(() -> demo.typedText().equals("Hi1B\ne"), "typed text");
            // H, i, 1, B, Enter, e, e, Backspace: eight changes of the text box; Ctrl+A and Up type nothing
            waitFor(() -> dirty.size() == 8, "eight changes");
            for (Rect r : dirty) {
                assertTrue(inside(DemoSource.TEXT, r), r + " is outside the text box");
            }
            Frame typed = demo.frame();
            assertTrue(dirty.stream().anyMatch(r -> r.y() > DemoSource.TEXT.y() + 21), "Enter went to line two");
            assertTrue(!java.util.Arrays.equals(before.rgb(), typed.rgb()));

            dirty.clear();
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.PRESS, 300, 500, 0, Buttons.LEFT, Buttons.MASK_LEFT));
            waitFor(() -> dirty.size() == 1, "one change for the click");
            Rect m = dirty.get(0);
            assertTrue(inside(new Rect(300 - DemoSource.MARKER, 500 - DemoSource.MARKER, 2 * DemoSource.MARKER + 1,
                    2 * DemoSource.MARKER + 1), m), m.toString());
            waitFor(() -> (demo.frame().rgb()[500 * 1024 + 300] & 0xffffff) == 0xe02020, "no marker at the click");
            assertEquals(0xe02020, demo.frame().rgb()[500 * 1024 + 300 + DemoSource.MARKER] & 0xffffff);
            assertNotEquals(0xe02020, typed.rgb()[500 * 1024 + 300] & 0xffffff);
            // wheel notches and clicks on other displays leave no mark
            dirty.clear();
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.PRESS, 10, 10, 0, Buttons.UP, 0));
            sink.pointer(new PointerEvent(1, PointerEvent.Kind.PRESS, 10, 10, 1, Buttons.LEFT, 1));
            Thread.sleep(100);
            assertEquals(List.of(), dirty);
        } finally {
            demo.close();
        }
    }

    /** Our client types into our server over SPICE, and our display client sees the demo change. */
    @Test
    void typingAndClickingOverSpiceShowsOnTheDisplay() throws Exception {
        try (ServerEngine server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0),
                null, null, Set.of(), null, "demo input", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start()) {
            DisplayServerFactory display = new DisplayServerFactory(new TestConfig("demo", "off", "off"), null);
            try {
                server.addFactory(display);
                InputsServerFactory inputs = InputsServerFactory.loggingKeys();
                inputs.addSink(new DemoInputSink(display));

                server.addFactory(inputs);
                DisplayClientFactory displays = new DisplayClientFactory();
                InputsClientFactory clientInputs = new InputsClientFactory();
                try (ClientEngine client = new ClientEngine(t -> t == ChannelType.DISPLAY ? displays
                        : t == ChannelType.INPUTS ? clientInputs : null)) {
                    ClientSession s = client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow()
                            .getPort(), -1, null), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
                    ClientInput in = clientInputs.inputs(s);
                    in.typeText("hello");
                    in.position(200, 600, 0);
                    in.press(Buttons.LEFT);
                    in.release(Buttons.LEFT);
                    DemoSource demo = (DemoSource) display.source();
                    waitFor(() -> demo.typedText().equals("hello"), "the demo did not get the typed text");
                    waitFor(() -> {
                        ClientDisplay d = displays.display(s, 0);
                        return d != null && d.primary() != null
                                && (d.primary().rgb()[600 * 1024 + 200] & 0xffffff) == 0xe02020;
                    }, "the client's picture shows no marker at the click");
                    waitFor(() -> java.util.Arrays.equals(rows(displays.display(s, 0).primary()),
                            rows(demo.frame())), "the client's text box differs from the demo's");
                    DemoSource untouched = new DemoSource();
                    try {
                        assertTrue(!java.util.Arrays.equals(rows(demo.frame()), rows(untouched.frame())),
                                "the text box shows nothing typed");
                    } finally {
                        untouched.close();
                    }
                }
            } finally {
                display.stop();
            }
        }
    }

    /** The text box's pixels. */
    private static int[] rows(Frame f) {
        Rect t = DemoSource.TEXT;
        int[] out = new int[t.width() * t.height()];
        for (int y = 0; y < t.height(); y++) {
            for (int x = 0; x < t.width(); x++) {
                out[y * t.width() + x] = f.rgb()[(t.y() + y) * f.width() + t.x() + x] & 0xffffff;
            }
        }
        return out;
    }
}
