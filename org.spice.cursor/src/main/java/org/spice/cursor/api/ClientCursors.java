package org.spice.cursor.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Looks up the cursor of a client session. */
@ProviderType
public interface ClientCursors {
    /** The cursor channel of {@code session}, or null when it is not linked. */
    ClientCursor cursor(ClientSession session);

    /**
     * Completes with the cursor channel of {@code session} once it is linked, linking it when the server offers it
     * and the session has not; fails when the server offers none or the session closes first.
     */
    CompletableFuture<ClientCursor> linked(ClientSession session);
}
