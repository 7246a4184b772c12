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
}
