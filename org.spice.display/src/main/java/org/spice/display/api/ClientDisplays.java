package org.spice.display.api;

import org.spice.protocol.client.ClientSession;

/** Looks up the decoded display of a client session. */
public interface ClientDisplays {
    /** The display channel {@code channelId} of {@code session}, or null when it is not linked. */
    ClientDisplay display(ClientSession session, int channelId);
}
