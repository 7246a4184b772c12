package org.spice.protocol.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The VD_AGENT stream of one main channel, as the main channel offers it to the agent: whole agent messages
 * go out through {@link #send}, and the main channel cuts them into agent_data chunks of at most 2048 bytes,
 * one message per chunk run as spice-server and spice-gtk do, and sends the chunks as the peer's agent tokens
 * allow. The peer's messages come back whole through {@link AgentHandler#onMessage}.
 */
@ProviderType
public interface AgentEndpoint {
    /**
     * Queues one agent message (VDAgentMessage with protocol 1 and opaque 0); safe from any thread. Chunks wait
     * here while the peer has no tokens left. Messages sent after the stream ended are dropped.
     */
    void send(int type, byte[] body);

    /** Bytes queued and not yet written for lack of tokens. */
    long queuedBytes();

    /**
     * Completes once every message queued so far has been written to the connection; fails when the stream
     * ends first. A producer of bulk data (a file transfer) waits for it before it queues more.
     */
    CompletableFuture<Void> flushed();

    /** Whether the stream still runs: the main channel is open and the agent connected. */
    boolean isOpen();

    /** The main channel's thread, on which every {@link AgentHandler} callback runs. */
    ScheduledExecutorService executor();

    /** For logs: the main channel and its peer. */
    String describe();
}
