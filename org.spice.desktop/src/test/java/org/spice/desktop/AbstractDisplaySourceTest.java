package org.spice.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbstractDisplaySourceTest {
    private static final Pointer.Shape DOT = new Pointer.Shape(1, 1, 0, 0, new int[] {0xff000000});

    private static final class TestSource extends AbstractDisplaySource {
        TestSource(Frame first) {
            super(first);
        }

        boolean wantedNow() {
            return frameWanted();
        }

        void relay(Frame f, Rect dirty, Pointer p) {
            tellChanged(f, dirty);
            tellPointerChanged(p);
        }
    }

    /** Writes down what it is told, in order. */
    private static class Log implements DisplaySource.Listener {
        final List<String> heard = new ArrayList<>();

        @Override
        public void changed(Frame frame, Rect dirty) {
            heard.add("changed " + frame.serial() + " " + dirty);
        }

        @Override
        public void pointerChanged(Pointer pointer) {
            heard.add("pointer " + (pointer == null ? "none" : pointer.x() + "," + pointer.y()));
        }
    }

    private static Frame frame(long serial) {
        return new Frame(4, 2, new int[8], serial);
    }

    @Test
    void showKeepsTheFrameAndTellsEveryListener() {
        Frame first = frame(1);
        TestSource s = new TestSource(first);
        assertSame(first, s.frame());
        assertNull(s.pointer());
        Log a = new Log();
        Log b = new Log();
        s.addListener(a);
        s.addListener(b);
        Frame next = frame(2);
        s.show(next, new Rect(1, 0, 2, 1));
        assertSame(next, s.frame());
        assertEquals(List.of("changed 2 " + new Rect(1, 0, 2, 1)), a.heard);
        assertEquals(a.heard, b.heard);
        Frame quiet = frame(3);
        s.setFrame(quiet);
        assertSame(quiet, s.frame());
        assertEquals(1, a.heard.size());
    }

    @Test
    void aPointerIsToldOnlyWhenItChanges() {
        TestSource s = new TestSource(frame(1));
        Log a = new Log();
        s.addListener(a);
        Pointer p = new Pointer(1, 1, true, DOT);
        assertTrue(s.showPointer(p));
        assertFalse(s.showPointer(new Pointer(1, 1, true, DOT)));
        assertTrue(s.showPointer(p.at(2, 1)));
        assertTrue(s.showPointer(null));
        assertFalse(s.showPointer(null));
        assertNull(s.pointer());
        assertEquals(List.of("pointer 1,1", "pointer 2,1", "pointer none"), a.heard);
    }

    @Test
    void aRemovedListenerHearsNothingAndRelaysKeepNothing() {
        Frame first = frame(1);
        TestSource s = new TestSource(first);
        assertFalse(s.watched());
        Log a = new Log();
        s.addListener(a);
        assertTrue(s.watched());
        s.relay(frame(5), new Rect(0, 0, 4, 2), new Pointer(3, 1, true, DOT));
        assertSame(first, s.frame());
        assertNull(s.pointer());
        assertEquals(List.of("changed 5 " + new Rect(0, 0, 4, 2), "pointer 3,1"), a.heard);
        s.removeListener(a);
        assertFalse(s.watched());
        s.show(frame(6), new Rect(0, 0, 1, 1));
        assertEquals(2, a.heard.size());
    }

    @Test
    void aFrameIsWantedWhenNobodyListensOrOneListenerWantsIt() {
        TestSource s = new TestSource(frame(1));
        assertTrue(s.wantedNow(), "nobody listens: the next to come takes the latest frame");
        boolean[] wants = {false, false};
        DisplaySource.Listener a = new Log() {
            @Override
            public boolean wantsFrame() {
                return wants[0];
            }
        };
        DisplaySource.Listener b = new Log() {
            @Override
            public boolean wantsFrame() {
                return wants[1];
            }
        };
        s.addListener(a);
        s.addListener(b);
        assertFalse(s.wantedNow(), "both listeners still sending");
        wants[1] = true;
        assertTrue(s.wantedNow());
        s.removeListener(b);
        assertFalse(s.wantedNow());
        s.addListener(new Log());
        assertTrue(s.wantedNow(), "a listener that does not say wants frames (the default)");
    }
}
