package org.spice.desktop;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bookkeeping every {@link DisplaySource} does: its listeners, its current frame and pointer, and telling the
 * listeners when either changes. A source extends it, and it (or whatever feeds it) calls {@link #show} and
 * {@link #showPointer} from the source's thread; {@link #frame()}, {@link #pointer()} and the listener methods are
 * answered here.
 *
 * <p>Listeners are kept in a copy-on-write list, so they may come and go while they are being told (the display
 * channel adds and removes one per client), and the frame and pointer are volatile, so any thread reads the latest.
 */
public abstract class AbstractDisplaySource implements DisplaySource {
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Frame frame;
    private volatile Pointer pointer;

    /** A source whose first frame is set with {@link #setFrame} or {@link #show} before anyone can ask for it. */
    protected AbstractDisplaySource() {
    }

    /** A source showing {@code first} until it shows another. */
    protected AbstractDisplaySource(Frame first) {
        frame = first;
    }

    @Override
    public Frame frame() {
        return frame;
    }

    @Override
    public Pointer pointer() {
        return pointer;
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Whether anyone listens, for a source that works only while watched. */
    protected final boolean watched() {
        return !listeners.isEmpty();
    }

    /**
     * Whether a frame made now would reach someone soon ({@link Listener#wantsFrame()}): when a listener wants one,
     * and when none listens (the next to come takes the latest frame).
     */
    protected final boolean frameWanted() {
        if (listeners.isEmpty()) {
            return true;
        }
        for (Listener l : listeners) {
            if (l.wantsFrame()) {
                return true;
            }
        }
        return false;
    }

    /** Keeps {@code next} as the current frame without telling anyone (a first frame, or nothing to redraw). */
    public final void setFrame(Frame next) {
        frame = next;
    }

    /** Keeps {@code next} as the current frame and tells the listeners that {@code dirty} of it changed. */
    public final void show(Frame next, Rect dirty) {
        frame = next;
        tellChanged(next, dirty);
    }

    /**
     * Keeps {@code next} as the pointer (null for none) and tells the listeners, unless it equals the current one.
     *
     * @return whether it changed
     */
    public final boolean showPointer(Pointer next) {
        if (Objects.equals(next, pointer)) {
            return false;
        }
        pointer = next;
        tellPointerChanged(next);
        return true;
    }

    /** Tells the listeners that {@code dirty} of {@code f} changed, keeping nothing: for a source relaying another. */
    protected final void tellChanged(Frame f, Rect dirty) {
        for (Listener l : listeners) {
            l.changed(f, dirty);
        }
    }

    /** Tells the listeners of a new pointer, keeping nothing: for a source that relays another. */
    protected final void tellPointerChanged(Pointer p) {
        for (Listener l : listeners) {
            l.pointerChanged(p);
        }
    }
}
