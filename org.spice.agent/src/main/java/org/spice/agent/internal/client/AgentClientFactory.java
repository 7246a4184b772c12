package org.spice.agent.internal.client;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.spice.desktop.DisplayEffect;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClientAgents;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.AgentEndpoint;
import org.spice.protocol.spi.AgentHandler;
import org.spice.protocol.spi.ClientAgentFactory;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannels;

/**
 * The client end of the agent protocol for every client session ({@link ClientAgentFactory}), and the lookup of
 * a session's agent ({@link ClientAgents}).
 */
@Component(service = {ClientAgentFactory.class, ClientAgents.class}, configurationPid = ClientAgents.CONFIGURATION_PID)
public final class AgentClientFactory implements ClientAgentFactory, ClientAgents {
    /** One agent stream per session, on its main channel; ready once the agent announced its capabilities. */
    private final ClientChannels<ClientAgentSession> agents = new ClientChannels<>(ChannelType.MAIN, "the agent");
    private volatile Set<DisplayEffect> disabledEffects = Set.of();

    @Activate
    @Modified
    void configure(Map<String, Object> config) {
        Object v = config.get(DISABLE_EFFECTS);
        disabledEffects = effects(v == null ? "" : v.toString());
    }

    /**
     * The effects named in {@code list} (see {@link ClientAgents#DISABLE_EFFECTS}).
     *
     * @throws IllegalArgumentException naming what is not an effect
     */
    static Set<DisplayEffect> effects(String list) {
        EnumSet<DisplayEffect> e = EnumSet.noneOf(DisplayEffect.class);
        for (String name : list.split(",")) {
            switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "" -> { }
                case "wallpaper" -> e.add(DisplayEffect.WALLPAPER);
                case "font-smooth" -> e.add(DisplayEffect.FONT_SMOOTHING);
                case "animation" -> e.add(DisplayEffect.ANIMATION);
                case "all" -> e.addAll(EnumSet.allOf(DisplayEffect.class));
                default -> throw new IllegalArgumentException("'" + name.strip() + "' is not a display effect ("
                        + String.join(", ", EFFECT_NAMES) + ")");
            }
        }
        return Set.copyOf(e);
    }

    /** What every session's agent is asked to drop. */
    Set<DisplayEffect> disabledEffects() {
        return disabledEffects;
    }

    @Override
    public AgentHandler open(ClientChannelContext main, AgentEndpoint agent) {
        ClientAgentSession s = new ClientAgentSession(this, main, agent);
        agents.add(main, s);
        s.start();
        return s;
    }

    /** The agent announced its capabilities: whoever waits for it gets it. */
    void ready(ClientAgentSession s) {
        agents.ready(s.main(), s);
    }

    void closed(ClientAgentSession s) {
        agents.remove(s.main(), s);
    }

    @Override
    public ClientAgent agent(ClientSession session) {
        return agents.get(session);
    }

    @Override
    public CompletableFuture<ClientAgent> ready(ClientSession session) {
        return agents.linked(session, 0).thenApply(a -> a);
    }
}
