package org.spice.desktop.sources.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Buttons;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.KeyEvent;
import org.spice.desktop.Pointer;
import org.spice.desktop.PointerEvent;
import org.spice.desktop.Rect;
import org.spice.desktop.UsKeyboard;

/** The demo desktop shows what its input sink receives: typed text in its text box, a marker at clicks. */
class DemoInputSinkTest {

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

    /**
     * While the video plays and a click marker sits in the text box, each change differs from the frame before it
     * only inside the area it announces, and a key keeps the marker and the video's picture as they were.
     */
    @Test
    void eachChangeDiffersFromTheFrameBeforeOnlyWhereItSays() throws Exception {
        DemoSource demo = new DemoSource();
        try {
            List<String> wrong = new CopyOnWriteArrayList<>();
            List<Rect> keys = new CopyOnWriteArrayList<>();
            Frame[] last = {demo.frame()};
            demo.addListener((f, r) -> {
                int[] a = last[0].rgb();
                int[] b = f.rgb();
                for (int i = 0; i < b.length; i++) {
                    int x = i % f.width();
                    int y = i / f.width();
                    boolean inside = x >= r.x() && x < r.right() && y >= r.y() && y < r.bottom();
                    if (a[i] != b[i] && !inside) {
                        wrong.add("pixel " + x + "," + y + " changed outside " + r);
                        break;
                    }
                }
                if (!r.equals(DemoSource.VIDEO)) {
                    keys.add(r);
                }
                last[0] = f;
            });
            int mx = DemoSource.TEXT.x() + 100;
            int my = DemoSource.TEXT.y() + 10;
            demo.click(mx, my);
            waitFor(() -> keys.size() == 1, "the click's change");
            DemoInputSink sink = new DemoInputSink(demo);
            for (int c : new int[] {0x1e, 0x30, UsKeyboard.BACKSPACE, 0x2e}) {
                sink.key(new KeyEvent(1, c, true));
                sink.key(new KeyEvent(1, c, false));
            }
            waitFor(() -> demo.typedText().equals("ac"), "typed text");
            waitFor(() -> keys.size() == 5, "four keys' changes");
            Thread.sleep(100); // a few more video frames
            assertEquals(List.of(), wrong);
            for (Rect r : keys.subList(1, keys.size())) {
                assertTrue(inside(DemoSource.TEXT, r), r + " is outside the text box");
            }
            assertEquals(0xe02020, demo.frame().rgb()[my * DemoSource.WIDTH + mx] & 0xffffff, "the marker went");
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

}
