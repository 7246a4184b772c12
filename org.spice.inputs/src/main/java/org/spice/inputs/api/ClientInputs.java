package org.spice.inputs.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Client role: the inputs channel of a client session, to type and point with. */
@ProviderType
public interface ClientInputs {
    /** The inputs channel of {@code session}, or null when it is not linked (or has closed). */
    ClientInput inputs(ClientSession session);

    /**
     * Completes with the inputs channel of {@code session} once it is linked, linking it when the server offers it
     * and the session has not; fails when the server offers none or the session closes first.
     */
    CompletableFuture<ClientInput> linked(ClientSession session);
}
