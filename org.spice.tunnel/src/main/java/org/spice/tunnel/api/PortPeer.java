package org.spice.tunnel.api;

/** One client on a server port. */
public interface PortPeer {
    /** Sends bytes to the client; safe from any thread. */
    void send(byte[] data);

    /** Closes this client's port channel. */
    void close();

    /** Whether the client has sent OPENED (and not CLOSED since). */
    boolean clientOpened();

    String describe();
}
