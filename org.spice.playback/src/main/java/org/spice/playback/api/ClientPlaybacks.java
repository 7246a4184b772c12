package org.spice.playback.api;

import org.spice.protocol.client.ClientSession;

/** Looks up the playback channel of a client session. */
public interface ClientPlaybacks {
    /** The playback channel of {@code session}, or null when it is not linked. */
    ClientPlayback playback(ClientSession session);
}
