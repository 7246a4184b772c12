package org.spice.protocol.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.Capabilities;
import org.spice.protocol.wire.SpiceMessage;

/** One linked SPICE channel connection, in either role, as the engine offers it to a channel handler. */
@ProviderType
public interface ChannelEndpoint {
    int channelType();

    int channelId();

    Capabilities remoteCommonCaps();

    Capabilities remoteChannelCaps();

    /** Queues a message; safe from any thread. Messages sent after close are dropped. */
    void send(SpiceMessage message);

    /** Closes this channel only, logging {@code reason}. */
    void close(String reason);

    boolean isOpen();

    /**
     * Server role: whether the peer has acknowledged enough messages that sending more stays within its ack
     * window, and the connection's outbound buffer is below its high-water mark (the window counts messages, not
     * bytes). Producers of bulk traffic (display frames) wait for {@link ChannelHandler#onWritable()} instead
     * of queueing without bound. Always true in the client role and on channels without an ack window.
     */
    boolean canSend();

    /**
     * Completes once the connection's outbound buffer has drained below its high-water mark: at once when it is
     * below, and when the channel closes. Writers of unbounded streams (port data) wait for it before each send,
     * on their own thread, so a slow peer slows them instead of filling memory. The engine's endpoints implement
     * this; the default, for endpoints without a connection such as test doubles, never waits.
     */
    default CompletableFuture<Void> writable() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Stops reading from the peer (or starts again). For handlers whose consumer falls behind: TCP flow control then
     * holds the peer back instead of this side buffering without bound. Messages already read still arrive. The
     * engine's endpoints implement this; the default, for endpoints without a connection, has nothing to pause.
     */
    default void pauseReading(boolean pause) {
    }

    /** The single thread on which this channel's callbacks run. */
    ScheduledExecutorService executor();

    /** For logs: channel name and id and the peer's address. */
    String describe();
}
