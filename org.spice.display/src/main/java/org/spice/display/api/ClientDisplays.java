package org.spice.display.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Looks up the decoded display of a client session. */
@ProviderType
public interface ClientDisplays {
    /** The display channel {@code channelId} of {@code session}, or null when it is not linked. */
    ClientDisplay display(ClientSession session, int channelId);

    /**
     * Completes with the display channel {@code channelId} of {@code session} once it is linked, linking it when the
     * server offers it and the session has not; fails when the server offers none or the session closes first.
     */
    CompletableFuture<ClientDisplay> linked(ClientSession session, int channelId);
}
