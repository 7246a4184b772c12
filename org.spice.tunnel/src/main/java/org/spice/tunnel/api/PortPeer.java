package org.spice.tunnel.api;

import org.osgi.annotation.versioning.ProviderType;

/** One client on a server port. */
@ProviderType
public interface PortPeer {
    /** Sends bytes to the client; safe from any thread. */
    void send(byte[] data);

    /** Closes this client's port channel. */
    void close();

    /** Whether the client has sent OPENED (and not CLOSED since). */
    boolean clientOpened();

    String describe();
}
