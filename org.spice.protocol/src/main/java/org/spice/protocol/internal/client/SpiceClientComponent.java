package org.spice.protocol.internal.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.spi.ClientAgentFactory;
import org.spice.protocol.spi.ClientChannelFactory;

/** The SPICE client as a DS service, using every {@link ClientChannelFactory} registered now or later. */
@Component(immediate = true)
public final class SpiceClientComponent implements SpiceClient {
    private final Map<Integer, ClientChannelFactory> factories = new ConcurrentHashMap<>();
    private volatile ClientAgentFactory agent;
    private final ClientEngine engine = new ClientEngine(factories::get, () -> agent);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFactory(ClientChannelFactory f) {
        factories.put(f.channelType(), f);
    }

    void removeFactory(ClientChannelFactory f) {
        if (factories.remove(f.channelType(), f)) {
            engine.closeChannels(f.channelType(), "its channel bundle went away");
        }
    }

    /** Sessions connected from now on start the agent protocol with it when their server has an agent. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAgent(ClientAgentFactory a) {
        agent = a;
    }

    void unsetAgent(ClientAgentFactory a) {
        if (agent == a) {
            agent = null;
        }
    }

    @Deactivate
    void stop() {
        engine.close();
    }

    @Override
    public CompletableFuture<ClientSession> connect(SpiceUri uri, ClientOptions options) {
        return engine.connect(uri, options);
    }

    @Override
    public List<ClientSession> sessions() {
        return engine.sessions();
    }
}
