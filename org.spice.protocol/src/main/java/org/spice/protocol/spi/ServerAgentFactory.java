package org.spice.protocol.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Server role: the agent end of the main channel, for a server that is its own agent (no guest). While a service
 * of this type is registered the main channel tells clients that an agent is connected (main init,
 * agent_connected_tokens), and each client that starts the agent protocol (agent_start) gets its own stream.
 * When the service goes away, clients are told agent_disconnected and their streams end.
 */
@ConsumerType
public interface ServerAgentFactory {
    /** A client sent agent_start on {@code main}; returns the handler for the messages of its stream. */
    AgentHandler open(ServerChannelContext main, AgentEndpoint agent);
}
