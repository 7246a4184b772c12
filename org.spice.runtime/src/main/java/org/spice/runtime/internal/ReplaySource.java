package org.spice.runtime.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

/**
 * What {@code spice replay} shows: the picture and pointer of a recording as far as it has been played. The server's
 * display channel serves it like any source, so every viewer gets the current picture encoded for its own
 * capabilities at once, whenever it joins.
 */
final class ReplaySource implements DisplaySource {
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Frame frame;
    private volatile Pointer pointer;

    ReplaySource(Frame first) {
        frame = first;
    }

    /** Shows {@code next}, of which {@code area} changed; on the replay's thread. */
    void show(Frame next, Rect area) {
        frame = next;
        for (Listener l : listeners) {
            l.changed(next, area);
        }
    }

    void showPointer(Pointer p) {
        if (p == null ? pointer == null : p.equals(pointer)) {
            return;
        }
        pointer = p;
        for (Listener l : listeners) {
            l.pointerChanged(p);
        }
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
}
