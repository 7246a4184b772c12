package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.spice.cursor.api.ClientCursor;
import org.spice.cursor.api.CursorShape;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.DisplaySource;
import org.spice.display.api.Frame;
import org.spice.display.api.Pointer;
import org.spice.display.api.Rect;

class GatewaySourceTest {
    /** An upstream display whose surface the test sets; changes are announced as the display channel does. */
    static final class FakeDisplay implements ClientDisplay {
        final List<Consumer<Rect>> listeners = new ArrayList<>();
        Frame primary;

        void draw(Frame f, Rect r) {
            primary = f;
            listeners.forEach(l -> l.accept(r));
        }

        @Override public Frame primary() { return primary; }
        @Override public int marks() { return 1; }
        @Override public long lastChangeNanos() { return 0; }
        @Override public List<String> unsupported() { return List.of(); }
        @Override public void addChangeListener(Consumer<Rect> l) { listeners.add(l); }
        @Override public void removeChangeListener(Consumer<Rect> l) { listeners.remove(l); }
        @Override public CompletableFuture<ClientDisplay> complete() { return CompletableFuture.completedFuture(this); }
    }

    record Change(Frame frame, Rect dirty) {
    }

    private final List<Runnable> queued = new ArrayList<>();
    private final GatewaySource source = new GatewaySource(queued::add);
    private final List<Change> changes = new ArrayList<>();
    private final List<Pointer> pointers = new ArrayList<>();

    GatewaySourceTest() {
        source.addListener(new DisplaySource.Listener() {
            @Override
            public void changed(Frame frame, Rect dirty) {
                changes.add(new Change(frame, dirty));
            }

            @Override
            public void pointerChanged(Pointer pointer) {
                pointers.add(pointer);
            }
        });
    }

    private void runQueued() {
        List<Runnable> now = List.copyOf(queued);
        queued.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void aBurstOfUpstreamDrawsIsOneFrameWithTheirUnion() {
        assertEquals(0, source.frame().serial());
        FakeDisplay d = new FakeDisplay();
        source.attach(d);
        d.draw(new Frame(4, 2, new int[8], 1), new Rect(0, 0, 4, 2));
        runQueued();
        assertEquals(1, changes.size());
        assertEquals(new Rect(0, 0, 4, 2), changes.get(0).dirty(), "a new size is a whole picture");
        int[] px = {1, 2, 3, 4, 5, 6, 7, 8};
        d.draw(new Frame(4, 2, px, 2), new Rect(1, 0, 1, 1));
        d.draw(new Frame(4, 2, px, 3), new Rect(3, 1, 1, 1));
        assertEquals(1, queued.size(), "one publication for the burst");
        runQueued();
        assertEquals(2, changes.size());
        assertEquals(new Rect(1, 0, 3, 2), changes.get(1).dirty());
        assertArrayEquals(px, source.frame().rgb());
        assertEquals(2, source.frame().serial());
    }

    @Test
    void afterDetachTheLastPictureStaysAndAReattachedDisplayIsShownWhole() {
        FakeDisplay d = new FakeDisplay();
        source.attach(d);
        d.draw(new Frame(2, 1, new int[] {1, 2}, 1), new Rect(0, 0, 2, 1));
        runQueued();
        source.detach();
        assertEquals(List.of(), d.listeners);
        assertArrayEquals(new int[] {1, 2}, source.frame().rgb());
        FakeDisplay back = new FakeDisplay();
        back.primary = new Frame(3, 1, new int[] {4, 5, 6}, 9);
        source.attach(back);
        runQueued();
        assertEquals(new Rect(0, 0, 3, 1), changes.get(changes.size() - 1).dirty());
        assertArrayEquals(new int[] {4, 5, 6}, source.frame().rgb());
    }

    @Test
    void theUpstreamCursorBecomesThePointerWithOneShapePerImage() {
        CursorShape arrow = new CursorShape(2, 2, 0, 0, new int[] {0xff000000, 0, 0, 0xffffffff}, new boolean[4]);
        source.cursor(cursor(10, 20, true, arrow));
        source.cursor(cursor(10, 20, true, arrow));
        source.cursor(cursor(11, 20, true, arrow));
        source.cursor(null);
        assertEquals(3, pointers.size(), () -> "pointers: " + pointers);
        assertEquals(new Pointer(10, 20, true, pointers.get(0).shape()), pointers.get(0));
        assertSame(pointers.get(0).shape(), pointers.get(1).shape());
        assertEquals(11, pointers.get(1).x());
        assertNull(pointers.get(2));
        assertNull(source.pointer());
    }

    private static ClientCursor cursor(int x, int y, boolean visible, CursorShape shape) {
        return new ClientCursor() {
            @Override public int x() { return x; }
            @Override public int y() { return y; }
            @Override public boolean visible() { return visible; }
            @Override public CursorShape shape() { return shape; }
            @Override public CompletableFuture<CursorShape> firstShape() { return new CompletableFuture<>(); }
        };
    }
}
