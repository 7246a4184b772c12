package org.spice.tunnel.api;

import org.osgi.annotation.versioning.ConsumerType;

/** The server side of one client's port; callbacks run on the channel's thread and must not block. */
@ConsumerType
public interface PortHandler {
    void onData(byte[] data);

    /** The client sent a port event (OPENED 0, CLOSED 1, BREAK 2). */
    default void onEvent(int event) {
    }

    /** The channel is gone. */
    default void onClose() {
    }
}
