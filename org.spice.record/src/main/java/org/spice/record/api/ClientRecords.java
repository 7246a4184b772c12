package org.spice.record.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Looks up the record channel of a client session. */
@ProviderType
public interface ClientRecords {
    /** The configuration PID of the client role; it applies to channels linked after it changes. */
    String CONFIGURATION_PID = "org.spice.record.client";

    /** The record channel of {@code session}, or null when it is not linked. */
    ClientRecord record(ClientSession session);

    /**
     * Completes with the record channel of {@code session} once it is linked, linking it when the server offers it
     * and the session has not; fails when the server offers none or the session closes first.
     */
    CompletableFuture<ClientRecord> linked(ClientSession session);
}
