package org.spice.agent.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Client role: the agents of client sessions. */
@ProviderType
public interface ClientAgents {
    /**
     * The configuration of the agent's client role. Its key {@value #DISABLE_EFFECTS} lists the desktop effects to
     * ask every server's agent to drop, as spice-gtk's {@code --spice-disable-effects}: {@code wallpaper},
     * {@code font-smooth}, {@code animation} or {@code all}, comma-separated (empty: none, and no DISPLAY_CONFIG is
     * sent). It is sent once, in a DISPLAY_CONFIG, when an agent that can take it has announced itself.
     */
    String CONFIGURATION_PID = "org.spice.agent.client";

    /** See {@link #CONFIGURATION_PID}. */
    String DISABLE_EFFECTS = "disable.effects";

    /** The names {@link #DISABLE_EFFECTS} takes, as spice-gtk's option names them. */
    java.util.List<String> EFFECT_NAMES = java.util.List.of("wallpaper", "font-smooth", "animation", "all");
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
