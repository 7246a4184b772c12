package org.spice.protocol.client;

import org.spice.protocol.Capabilities;

/**
 * A channel as linked by the client: the capabilities the server announced for it, and whether it runs over
 * TLS and has a handler from a registered channel factory.
 */
public record LinkedChannel(int type, int id, Capabilities commonCaps, Capabilities channelCaps, boolean secure,
        boolean handled) {
}
