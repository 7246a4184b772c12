package org.spice.tunnel.api;

import org.osgi.annotation.versioning.ProviderType;

/** One client on a server port. */
@ProviderType
public interface PortPeer {
    /** Sends bytes to the client; safe from any thread. */
    void send(byte[] data);

    /**
     * Tells the client that the server side of the port changed (PORT_EVENT): {@code 0} opened, {@code 1} closed,
     * {@code 2} break, as spice-server does when its character device opens or closes.
     *
     * @throws IllegalArgumentException for another event
     */
    void event(int event);

    /** Closes this client's port channel. */
    void close();

    /** Whether the client has sent OPENED (and not CLOSED since). */
    boolean clientOpened();

    String describe();

    /** The connection id of the client session this port channel belongs to. */
    long connectionId();
}
