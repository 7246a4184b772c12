package org.spice.protocol.spi;

import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.server.ServerSession;

/** A server-side channel endpoint with the session and client it belongs to. */
@ProviderType
public interface ServerChannelContext extends ChannelEndpoint {
    ServerSession session();

    /** The connection id shared by all channels of one client (its main channel's session id). */
    long connectionId();
}
