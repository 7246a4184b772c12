package org.spice.protocol.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The agent's side of one VD_AGENT stream: the main channel hands it every whole agent message the peer sent.
 * Callbacks run on the main channel's thread and must not block. A handler may throw
 * {@link org.spice.protocol.SpiceProtocolException} for a message it cannot read: the main channel then logs the
 * reason and drops that message only, and the session goes on (an agent drops what it cannot read; the main
 * channel closes the session only for broken framing and token violations, as spice-server does).
 */
@ConsumerType
public interface AgentHandler {
    /** Bodies above this are dropped unread unless the handler allows more for their type. */
    long DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

    /** One agent message. {@code body} is the handler's to keep. */
    void onMessage(int type, long opaque, byte[] body);

    /**
     * The largest body this handler takes for a message type. A bigger message is skipped as its chunks arrive,
     * without being buffered, and a log line says so; the stream goes on with the next message.
     */
    default long maxMessageSize(int type) {
        return DEFAULT_MAX_MESSAGE_SIZE;
    }

    /** The stream ended: the agent disconnected, or the main channel closed. */
    default void onClose() {
    }
}
