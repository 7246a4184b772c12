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
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

class GatewaySourceTest {
    /** An upstream display whose surface the test sets; changes are announced as the display channel does. */
    static final class FakeDisplay implements ClientDisplay {
        final List<Consumer<Rect>> listeners = new ArrayList<>();
        Frame primary;
        /** The channel's MONITORS_CONFIG heads; null for none (the whole surface is the head). */
        List<Rect> heads;

        void draw(Frame f, Rect r) {
            primary = f;
            listeners.forEach(l -> l.accept(r));
        }

        @Override public Frame primary() { return primary; }
        @Override public List<Rect> heads() {
            return heads != null ? heads : primary == null ? List.of()
                    : List.of(new Rect(0, 0, primary.width(), primary.height()));
        }
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
        source.attach(0, d);
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
        source.attach(0, d);
        d.draw(new Frame(2, 1, new int[] {1, 2}, 1), new Rect(0, 0, 2, 1));
        runQueued();
        source.detach();
        assertEquals(List.of(), d.listeners);
        assertArrayEquals(new int[] {1, 2}, source.frame().rgb());
        FakeDisplay back = new FakeDisplay();
        back.primary = new Frame(3, 1, new int[] {4, 5, 6}, 9);
        source.attach(0, back);
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

    /** A w x h frame whose pixel at x, y is {@code base + y * w + x}. */
    private static Frame numbered(int w, int h, int base, long serial) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = base + i;
        }
        return new Frame(w, h, px, serial);
    }

    private int at(int x, int y) {
        Frame f = source.frame();
        return f.rgb()[y * f.width() + x];
    }

    private Change last() {
        return changes.get(changes.size() - 1);
    }

    /** Display 0 (4x3) and display 1 (2x2) attached and drawn once: the picture holds both side by side. */
    private FakeDisplay[] twoDisplays() {
        FakeDisplay d0 = new FakeDisplay();
        FakeDisplay d1 = new FakeDisplay();
        source.attach(0, d0);
        source.attach(1, d1);
        d0.draw(numbered(4, 3, 100, 1), new Rect(0, 0, 4, 3));
        d1.draw(numbered(2, 2, 900, 1), new Rect(0, 0, 2, 2));
        runQueued();
        return new FakeDisplay[] {d0, d1};
    }

    @Test
    void twoDisplaysOfDifferentSizesAreTwoHeadsSideBySide() {
        twoDisplays();
        Frame f = source.frame();
        assertEquals(6, f.width());
        assertEquals(3, f.height(), "as tall as the taller display");
        assertEquals(List.of(new Rect(0, 0, 4, 3), new Rect(4, 0, 2, 2)), source.heads());
        assertEquals(new Rect(0, 0, 6, 3), last().dirty(), "a new layout is a whole picture");
        assertEquals(100, at(0, 0));
        assertEquals(111, at(3, 2));
        assertEquals(900, at(4, 0));
        assertEquals(903, at(5, 1));
        assertEquals(0, at(4, 2), "black below the shorter display");
    }

    @Test
    void aChangeOnEitherDisplayIsItsRectangleOfThePicture() {
        FakeDisplay[] d = twoDisplays();
        int[] px = numbered(2, 2, 900, 2).rgb();
        px[3] = 7;
        d[1].draw(new Frame(2, 2, px, 2), new Rect(1, 1, 1, 1));
        runQueued();
        assertEquals(new Rect(5, 1, 1, 1), last().dirty());
        assertEquals(7, at(5, 1));
        assertEquals(111, at(3, 2), "display 0 kept");
        int[] zero = numbered(4, 3, 100, 2).rgb();
        zero[4] = 8; // x 0, y 1
        d[0].draw(new Frame(4, 3, zero, 2), new Rect(0, 1, 2, 1));
        runQueued();
        assertEquals(new Rect(0, 1, 2, 1), last().dirty());
        assertEquals(8, at(0, 1));
        assertEquals(7, at(5, 1), "display 1 kept");
        assertEquals(6, source.frame().width());
    }

    @Test
    void aResizedDisplayLaysThePictureOutAgain() {
        FakeDisplay[] d = twoDisplays();
        d[0].draw(numbered(3, 4, 500, 3), new Rect(0, 0, 3, 4));
        runQueued();
        Frame f = source.frame();
        assertEquals(5, f.width());
        assertEquals(4, f.height());
        assertEquals(new Rect(0, 0, 5, 4), last().dirty());
        assertEquals(List.of(new Rect(0, 0, 3, 4), new Rect(3, 0, 2, 2)), source.heads());
        assertEquals(511, at(2, 3));
        assertEquals(900, at(3, 0), "display 1 moved left with display 0's new width");
    }

    @Test
    void aDisplayThatGoesAwayLeavesTheOthers() {
        FakeDisplay[] d = twoDisplays();
        source.detach(0);
        assertEquals(List.of(), d[0].listeners);
        runQueued();
        assertEquals(2, source.frame().width());
        assertEquals(List.of(new Rect(0, 0, 2, 2)), source.heads());
        assertEquals(new Rect(0, 0, 2, 2), last().dirty());
        assertEquals(900, at(0, 0));
    }

    @Test
    void aDisplayThatAppearsLateJoinsThePicture() {
        FakeDisplay d0 = new FakeDisplay();
        FakeDisplay d1 = new FakeDisplay();
        source.attach(0, d0);
        source.attach(1, d1); // no surface yet
        d0.draw(numbered(4, 3, 100, 1), new Rect(0, 0, 4, 3));
        runQueued();
        assertEquals(4, source.frame().width());
        assertEquals(List.of(new Rect(0, 0, 4, 3)), source.heads());
        d1.draw(numbered(2, 2, 900, 1), new Rect(0, 0, 2, 2));
        runQueued();
        assertEquals(6, source.frame().width());
        assertEquals(2, source.heads().size());
    }

    @Test
    void theMonitorsOfOneQxlDeviceAreItsHeads() {
        FakeDisplay d0 = new FakeDisplay();
        source.attach(0, d0);
        d0.heads = List.of(new Rect(0, 0, 2, 2), new Rect(2, 0, 2, 3));
        d0.draw(numbered(4, 3, 100, 1), new Rect(0, 0, 4, 3));
        runQueued();
        assertEquals(4, source.frame().width(), "one display: its surface is the picture");
        assertEquals(d0.heads, source.heads());
        assertEquals(List.of(new GatewaySource.Head(new Rect(0, 0, 2, 2), 0, 0),
                new GatewaySource.Head(new Rect(2, 0, 2, 3), 0, 1)), source.layout());
    }

    @Test
    void aPositionInHeadKGoesToTheVmsDisplayK() {
        twoDisplays();
        // remote-viewer: head 1's own coordinates, its index as display id
        GatewayInputs.Position p = source.inPicture(1, 1, 1);
        assertEquals(new GatewayInputs.Position(-1, 5, 1), p);
        assertEquals(new GatewayInputs.Position(1, 1, 1), source.onVm(p));
        // our client: coordinates in the whole surface of display 0
        assertEquals(new GatewayInputs.Position(1, 0, 0), source.onVm(source.inPicture(0, 4, 0)));
        assertEquals(new GatewayInputs.Position(0, 3, 2), source.onVm(source.inPicture(0, 3, 2)));
        // below the shorter display 1: its nearest row
        assertEquals(new GatewayInputs.Position(1, 1, 1), source.onVm(source.inPicture(0, 5, 2)));
    }

    @Test
    void theCursorOfDisplayZeroIsPlacedWhereDisplayZeroIs() {
        FakeDisplay d1 = new FakeDisplay();
        source.attach(1, d1);
        d1.draw(numbered(2, 2, 900, 1), new Rect(0, 0, 2, 2));
        FakeDisplay d0 = new FakeDisplay();
        source.attach(0, d0);
        d0.draw(numbered(4, 3, 100, 1), new Rect(0, 0, 4, 3));
        runQueued();
        assertEquals(List.of(new Rect(0, 0, 4, 3), new Rect(4, 0, 2, 2)), source.heads(), "in channel order");
        CursorShape arrow = new CursorShape(1, 1, 0, 0, new int[] {0xff000000}, new boolean[1]);
        source.cursor(cursor(1, 2, true, arrow));
        assertEquals(1, source.pointer().x());
    }

    @Test
    void aDisplayWhoseEveryHeadIsOffIsLeftOut() {
        FakeDisplay[] d = twoDisplays();
        d[1].heads = List.of(new Rect(0, 0, 0, 0));
        d[1].draw(d[1].primary, new Rect(0, 0, 2, 2)); // a monitors config announces the whole surface
        runQueued();
        assertEquals(List.of(new Rect(0, 0, 4, 3)), source.heads());
        assertEquals(4, source.frame().width());
        d[0].heads = List.of(new Rect(0, 0, 0, 0));
        d[0].draw(d[0].primary, new Rect(0, 0, 4, 3));
        runQueued();
        assertEquals(6, source.frame().width(), "with nothing lit, every display is shown whole");
        assertEquals(List.of(new Rect(0, 0, 4, 3), new Rect(4, 0, 2, 2)), source.heads());
    }

    @Test
    void viewersMonitorsConfigsAreNotPassedOn() {
        twoDisplays();
        assertEquals(false, source.resize(800, 600));
        assertEquals(false, source.resize(List.of(new Rect(0, 0, 800, 600), new Rect(800, 0, 800, 600))));
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
