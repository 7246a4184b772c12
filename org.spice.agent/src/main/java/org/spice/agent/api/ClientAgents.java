package org.spice.agent.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Client role: the agents of client sessions. */
@ProviderType
public interface ClientAgents {
    /**
     * The agent of {@code session} once its capabilities are known, or null while the session's server has no
     * agent connected (or has not announced its capabilities yet).
     */
    ClientAgent agent(ClientSession session);

    /**
     * Completes with the agent of {@code session} once it is connected and has announced its capabilities (now,
     * if it has); never completes for a server without an agent, so bound the wait.
     */
    CompletableFuture<ClientAgent> ready(ClientSession session);
}
