package org.spice.protocol.client;

import java.util.List;
import java.util.UUID;
import org.spice.protocol.Capabilities;
import org.spice.protocol.wire.MainMessages.ChannelId;

/**
 * What the server told the client on the main channel, as of now.
 *
 * @param name the session name, or null when the server sent none
 * @param uuid the session uuid, or null when the server sent none
 */
public record MainInfo(long sessionId, int supportedMouseModes, int currentMouseMode, boolean agentConnected,
        long agentTokens, long multiMediaTime, String name, UUID uuid, Capabilities commonCaps,
        Capabilities channelCaps, List<ChannelId> channels) {
}
