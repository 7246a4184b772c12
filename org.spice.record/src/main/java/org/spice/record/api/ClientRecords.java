package org.spice.record.api;

import org.spice.protocol.client.ClientSession;

/** Looks up the record channel of a client session. */
public interface ClientRecords {
    /** The record channel of {@code session}, or null when it is not linked. */
    ClientRecord record(ClientSession session);
}
