package org.spice.desktop;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what the clients of the SPICE server type and point: register implementations as services; the
 * server's inputs channel hands every event to every sink registered at the time (sinks may come and go while
 * clients are connected).
 *
 * <p>Calls come from the client's inputs channel thread, one client's events in the order it sent them, and
 * different clients' events possibly at the same time. Sinks must return quickly and must not block; an
 * exception a sink throws is logged and does not affect the channel or the other sinks.
 */
@ConsumerType
public interface InputSink {
    /**
     * A key went down or up. When a client disconnects with keys held, the server releases them, as
     * spice-server does, so every press a sink sees is followed by its release.
     */
    void key(KeyEvent event);

    /** The pointer moved, or a button went down or up. */
    void pointer(PointerEvent event);

    /** A client set its lock keys ({@link KeyLocks} flags), as remote-viewer does when its window gets focus. */
    default void keyLocks(long connectionId, int locks) {
    }
}
