package org.spice.protocol.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.SpiceUri;

/** Connects to SPICE servers. */
@ProviderType
public interface SpiceClient {
    /**
     * Links the main channel, authenticates, and completes once the server's channel list has arrived; with
     * {@link ClientOptions#connectChannels()} it then links every listed channel that a registered
     * {@link org.spice.protocol.spi.ClientChannelFactory} handles. Fails with {@link SpiceLinkException} when
     * the server refuses, and with an I/O exception when it cannot be reached.
     */
    CompletableFuture<ClientSession> connect(SpiceUri uri, ClientOptions options);

    List<ClientSession> sessions();
}
