package org.spice.cursor.api;

import org.spice.protocol.client.ClientSession;

/** Looks up the cursor of a client session. */
public interface ClientCursors {
    /** The cursor channel of {@code session}, or null when it is not linked. */
    ClientCursor cursor(ClientSession session);
}
