package org.spice.tunnel.api;

import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/** A shared service; closing it sends SERVICE_REMOVE. */
@ProviderType
public interface TunnelShare extends AutoCloseable {
    int serviceId();

    String name();

    InetSocketAddress target();

    /** How many relayed sockets are open now. */
    int openSockets();

    @Override
    void close();
}
