package org.spice.protocol.server;

import java.util.List;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/** The server's desktop session, shared by every client connected at the same time. */
@ProviderType
public interface ServerSession {
    String name();

    UUID uuid();

    List<ConnectedClient> clients();

    /**
     * The session's multimedia clock in milliseconds, as sent in main's init and multi_media_time: audio and
     * video frames are stamped with it so that clients play them in time.
     */
    long multiMediaTime();

    /** Disconnects one client and all its channels; false when no such client is connected. */
    boolean disconnect(long connectionId);

    /**
     * Hands every connected client to another server (live migration by MIGRATE_SWITCH_HOST, as spice-server does
     * for clients without semi-seamless migration): each reconnects to {@code host} with the password it has, so the
     * destination must accept the same one.
     *
     * @param port the destination's plaintext port, or 0 when it has none
     * @param tlsPort the destination's TLS port, or 0 when it has none
     * @param certSubject the subject clients expect of the destination's certificate, or null
     * @return how many clients were told
     * @throws IllegalArgumentException when the host, a port or the subject cannot be sent
     */
    int migrate(String host, int port, int tlsPort, String certSubject);
}
