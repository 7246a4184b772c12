package org.spice.display.api;

/**
 * What the server role shows: a picture that changes, with the rectangles that changed. The display channel
 * reads {@link #frame()} when it can send and tells the source's listeners apart per client, so a source
 * serves any number of clients at once.
 */
public interface DisplaySource {
    /** Service property naming the source, e.g. "demo" or "image". */
    String NAME = "spice.display.source";

    /** The latest frame. */
    Frame frame();

    /** Registers for changes; the listener is called from the source's thread and must not block. */
    void addListener(Listener listener);

    void removeListener(Listener listener);

    interface Listener {
        /** Pixels inside {@code dirty} changed; a frame of another size means the resolution changed. */
        void changed(Frame frame, Rect dirty);
    }
}
