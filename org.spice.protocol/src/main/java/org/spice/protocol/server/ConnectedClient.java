package org.spice.protocol.server;

import java.time.Instant;
import java.util.List;

/**
 * A client attached to the server session.
 *
 * @param connectionId the session id given to the client in main init, shared by all its channels
 * @param remoteAddress the peer of its main channel
 * @param channels its linked channels as "name:id", main first
 * @param since when its main channel linked
 */
public record ConnectedClient(long connectionId, String remoteAddress, List<String> channels, Instant since) {
}
