package org.spice.tunnel.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Opens the port channels of client sessions. */
@ProviderType
public interface ClientPorts {
    /**
     * Links the session's port channels if needed, finds the one whose server init names {@code name}, and opens
     * it (sends the OPENED event). Fails with {@link java.util.NoSuchElementException} when no port has that name.
     */
    CompletableFuture<PortConnection> open(ClientSession session, String name);

    /**
     * Links every port channel the session's server offers (those not linked yet) and completes with the names of all
     * of them once each has announced itself; fails when the session closes first.
     */
    CompletableFuture<List<String>> announced(ClientSession session);

    /** The names of the session's port channels whose init has arrived. */
    List<String> names(ClientSession session);
}
