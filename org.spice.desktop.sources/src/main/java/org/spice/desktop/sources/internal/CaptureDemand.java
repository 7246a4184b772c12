package org.spice.desktop.sources.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When the screen source captures: at a tick of its frame rate when a listener wants a frame, and, after a tick
 * it skipped because none did, as soon as one asks again. So a capture (a copy of the whole screen, a new frame of
 * its size and a comparison with the last) is made only when a client would take it, and one that waited for its
 * window to open gets a fresh frame at once instead of at the next tick. Thread-safe: ticks on the source's thread,
 * asks from the channels' threads.
 */
final class CaptureDemand {
    private final AtomicBoolean owed = new AtomicBoolean();

    /** At a tick: whether to capture now, given whether a listener wants a frame. */
    boolean tick(boolean wanted) {
        // owed first, then the listeners: one that catches up in between finds the tick owed and asks again
        owed.set(true);
        if (!wanted) {
            return false;
        }
        owed.set(false);
        return true;
    }

    /** A listener wants frames again: whether a tick was skipped since the last capture, to be made now. */
    boolean asked() {
        return owed.compareAndSet(true, false);
    }
}
