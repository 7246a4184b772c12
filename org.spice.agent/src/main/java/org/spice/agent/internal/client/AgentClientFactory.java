package org.spice.agent.internal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClientAgents;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.AgentEndpoint;
import org.spice.protocol.spi.AgentHandler;
import org.spice.protocol.spi.ClientAgentFactory;
import org.spice.protocol.spi.ClientChannelContext;

/**
 * The client end of the agent protocol for every client session ({@link ClientAgentFactory}), and the lookup of
 * a session's agent ({@link ClientAgents}).
 */
@Component(service = {ClientAgentFactory.class, ClientAgents.class})
public final class AgentClientFactory implements ClientAgentFactory, ClientAgents {
    private final Map<ClientSession, ClientAgentSession> agents = new ConcurrentHashMap<>();
    private final Map<ClientSession, List<CompletableFuture<ClientAgent>>> waiting = new ConcurrentHashMap<>();

    @Override
    public AgentHandler open(ClientChannelContext main, AgentEndpoint agent) {
        ClientSession session = main.session();
        ClientAgentSession s = new ClientAgentSession(this, session, agent);
        agents.put(session, s);
        session.closed().whenComplete((v, t) -> {
            agents.remove(session, s);
            List<CompletableFuture<ClientAgent>> w = waiting.remove(session);
            if (w != null) {
                w.forEach(f -> f.completeExceptionally(new IllegalStateException("the session closed")));
            }
        });
        s.start();
        return s;
    }

    /** The agent announced its capabilities: whoever waits for it gets it. */
    void ready(ClientAgentSession s) {
        List<CompletableFuture<ClientAgent>> w;
        synchronized (waiting) {
            w = waiting.remove(s.session());
        }
        if (w != null) {
            w.forEach(f -> f.complete(s));
        }
    }

    void closed(ClientAgentSession s) {
        agents.remove(s.session(), s);
    }

    @Override
    public ClientAgent agent(ClientSession session) {
        ClientAgentSession s = agents.get(session);
        return s != null && s.ready().isDone() && !s.ready().isCompletedExceptionally() ? s : null;
    }

    @Override
    public CompletableFuture<ClientAgent> ready(ClientSession session) {
        synchronized (waiting) {
            ClientAgent a = agent(session);
            if (a != null) {
                return CompletableFuture.completedFuture(a);
            }
            CompletableFuture<ClientAgent> f = new CompletableFuture<>();
            if (session.closed().isDone()) {
                f.completeExceptionally(new IllegalStateException("the session closed"));
                return f;
            }
            waiting.computeIfAbsent(session, k -> new ArrayList<>()).add(f);
            return f;
        }
    }
}
