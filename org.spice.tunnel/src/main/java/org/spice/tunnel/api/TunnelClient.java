package org.spice.tunnel.api;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Client role of the tunnel channel: shares local TCP services with the server (SERVICE_ADD). */
@ProviderType
public interface TunnelClient {
    /**
     * Shares {@code target} under {@code name} on the session's tunnel channel, linking it if needed. The server
     * relays the sockets its clients open to the service; each is connected to {@code target} from here.
     */
    CompletableFuture<TunnelShare> share(ClientSession session, String name, InetSocketAddress target);
}
