package org.spice.tunnel.api;

import java.net.InetSocketAddress;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** Server role of the tunnel channel: where the services that clients share can be reached. */
@ProviderType
public interface TunnelServer {
    /** Service name to its listener on 127.0.0.1, for every service shared now (names from different clients are suffixed). */
    Map<String, InetSocketAddress> listeners();
}
