package org.spice.protocol.spi;

import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** A client-side channel endpoint with the session it belongs to. */
@ProviderType
public interface ClientChannelContext extends ChannelEndpoint {
    ClientSession session();
}
