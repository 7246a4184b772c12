package org.spice.protocol.server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** A running SPICE server, registered as a service once it listens. */
@ProviderType
public interface SpiceServer {
    /** The plaintext listening address, if the server has one. */
    Optional<InetSocketAddress> plainAddress();

    /** The TLS listening address, if the server has one. */
    Optional<InetSocketAddress> tlsAddress();

    /** The extra plaintext address for browsers, if configured (every listening address also takes WebSocket). */
    default Optional<InetSocketAddress> webSocketAddress() {
        return Optional.empty();
    }

    /** The one desktop that every client attaches to. */
    ServerSession session();

    /** The channels currently offered to new clients, as "name:id". */
    List<String> offeredChannels();
}
