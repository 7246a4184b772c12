package org.spice.protocol.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Client role: the client end of the agent protocol. While a service of this type is registered, a client main
 * channel that learns of a connected agent (main init, agent_connected, agent_connected_tokens) sends agent_start
 * and opens a stream here; agent_disconnected or the channel's end close it.
 */
@ConsumerType
public interface ClientAgentFactory {
    /** The server's agent is connected and this client started the protocol on {@code main}. */
    AgentHandler open(ClientChannelContext main, AgentEndpoint agent);
}
