package org.spice.gateway.internal;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.spice.cursor.api.ClientCursor;
import org.spice.cursor.api.CursorShape;
import org.spice.display.api.ClientDisplay;
import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

/**
 * The VM's picture as our server shows it: the upstream session's primary surface and cursor. Changes the upstream
 * display reports are gathered and published as one frame on the gateway's executor, so a burst of draws costs one
 * copy of the surface; every viewer's display channel then sends what it has room for (a slow viewer gets fewer,
 * larger updates), and a viewer that joins late starts from the latest frame.
 *
 * <p>Before the first upstream picture the picture is black ({@value #WIDTH}x{@value #HEIGHT}, serial 0); while the
 * VM is away, its last picture stays, dimmed under a band that says so.
 */
final class GatewaySource extends AbstractDisplaySource {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    private final Executor executor;
    private final Consumer<Rect> onChange = this::changed;
    private final Object lock = new Object();
    private ClientDisplay display;
    private Rect dirty;
    private boolean scheduled;
    private long serial;
    /** The upstream shape the current pointer's shape was made from, to keep one Shape instance per image. */
    private CursorShape shapeOf;

    GatewaySource(Executor executor) {
        super(new Frame(WIDTH, HEIGHT, new int[WIDTH * HEIGHT], 0));
        this.executor = executor;
    }

    /** Shows {@code d}, the upstream session's display channel 0, from now on. */
    void attach(ClientDisplay d) {
        synchronized (lock) {
            detach();
            display = d;
        }
        d.addChangeListener(onChange);
        Frame p = d.primary();
        if (p != null) {
            changed(new Rect(0, 0, p.width(), p.height()));
        }
    }

    /** Stops following the upstream display; the last frame stays. */
    void detach() {
        ClientDisplay d;
        synchronized (lock) {
            d = display;
            display = null;
            dirty = null;
        }
        if (d != null) {
            d.removeChangeListener(onChange);
        }
    }

    /**
     * The VM went away: stops following its display and shows viewers its last picture dimmed under a band saying
     * the gateway reconnects ({@link AwayBanner}). Called on the gateway's executor.
     */
    void away() {
        detach();
        Frame last = frame();
        Frame banner = AwayBanner.over(last, ++serial);
        show(banner, new Rect(0, 0, banner.width(), banner.height()));
    }

    /** On the upstream display's thread, with the display locked: only schedules. */
    private void changed(Rect r) {
        synchronized (lock) {
            dirty = dirty == null ? r : dirty.union(r);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        executor.execute(this::publish);
    }

    private void publish() {
        ClientDisplay d;
        Rect r;
        synchronized (lock) {
            scheduled = false;
            d = display;
            r = dirty;
            dirty = null;
        }
        if (d == null || r == null) {
            return;
        }
        Frame p = d.primary();
        if (p == null) {
            return;
        }
        Frame last = frame();
        Frame f = new Frame(p.width(), p.height(), p.rgb(), ++serial);
        Rect whole = new Rect(0, 0, f.width(), f.height());
        Rect area = last.width() != f.width() || last.height() != f.height() || last.serial() == 0 ? whole
                : r.intersect(whole);
        if (area.isEmpty()) {
            setFrame(f);
        } else {
            show(f, area);
        }
    }

    /** Takes the upstream cursor's state (polled on the gateway's executor); tells listeners when it changed. */
    void cursor(ClientCursor c) {
        Pointer next = null;
        CursorShape s = c == null ? null : c.shape();
        if (s != null) {
            Pointer.Shape shape;
            Pointer now = pointer();
            if (s == shapeOf && now != null) {
                shape = now.shape();
            } else {
                try {
                    shape = new Pointer.Shape(s.width(), s.height(), s.hotX(), s.hotY(), s.argb());
                } catch (IllegalArgumentException tooBigOrEmpty) {
                    shape = null;
                }
                shapeOf = s;
            }
            next = shape == null ? null : new Pointer(c.x(), c.y(), c.visible(), shape);
        }
        showPointer(next);
    }
}
