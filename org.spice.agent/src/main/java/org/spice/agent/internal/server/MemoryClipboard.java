package org.spice.agent.internal.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ServerClipboard;

/** A clipboard in memory, for a server without a display. */
final class MemoryClipboard implements ServerClipboard {
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile ClipboardContent content;

    @Override
    public ClipboardContent get() {
        return content;
    }

    @Override
    public void set(ClipboardContent c) {
        content = c;
        listeners.forEach(l -> l.changed(c));
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
