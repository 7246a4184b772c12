package org.spice.protocol.spi;

import org.spice.protocol.client.ClientSession;

/** A client-side channel endpoint with the session it belongs to. */
public interface ClientChannelContext extends ChannelEndpoint {
    ClientSession session();
}
