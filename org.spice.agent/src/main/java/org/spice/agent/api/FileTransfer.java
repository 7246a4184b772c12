package org.spice.agent.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** A file a client sends to the agent (VD_AGENT_FILE_XFER): its progress and outcome. */
@ProviderType
public interface FileTransfer {
    /** The transfer's id on the wire. */
    long id();

    /** The file's name as sent (no directory). */
    String name();

    /** The file's size in bytes. */
    long size();

    /** Bytes handed to the connection so far, for a progress bar. */
    long sent();

    /**
     * Completes when the agent reports success; fails with {@link FileTransferException} when it reports
     * anything else, when the transfer is cancelled, or when the agent goes away first.
     */
    CompletableFuture<Void> done();

    /** Stops sending and tells the agent; {@link #done()} then fails. */
    void cancel();
}
