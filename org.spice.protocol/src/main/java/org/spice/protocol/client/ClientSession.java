package org.spice.protocol.client;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.SpiceUri;

/** A client's connection to one server session: its main channel and the channels linked beside it. */
@ProviderType
public interface ClientSession {
    /** A small number naming this session in this client, for commands. */
    int localId();

    SpiceUri uri();

    MainInfo main();

    /**
     * The server's multimedia clock now, in milliseconds (uint32 on the wire, so it wraps): the last time the main
     * channel received (init, MULTI_MEDIA_TIME) plus the time passed since it arrived; -1 before any arrived.
     * Video frames and audio are stamped on this clock.
     */
    default long multiMediaTime() {
        return -1;
    }

    /**
     * The round trip to the server in nanoseconds, as the channels' TCP connects timed it (SYN to SYN-ACK, which
     * the server's kernel answers; to the proxy when there is one): the least since the main channel last linked,
     * -1 before. The one round trip a SPICE client can time: pings go only from server to client, and the link reply
     * waits for the server's per-link RSA key. A reconnection or migration times it again.
     */
    default long roundTripNanos() {
        return -1;
    }

    /**
     * Bytes read from the server so far over all of this session's connections (headers, TLS and proxy bytes
     * included), whether or not their channels are still open; -1 where not counted.
     */
    default long bytesReceived() {
        return -1;
    }

    /** The options this session was connected with (channels read their settings from them). */
    ClientOptions options();

    /**
     * Links channel {@code type:id} with the registered factory's handler. A channel no factory handles is
     * linked too (its capabilities are then known) and its messages are dropped with a log line.
     */
    CompletableFuture<LinkedChannel> link(int type, int id);

    /**
     * Asks the server for a mouse mode ({@link org.spice.protocol.wire.MainMessages#MOUSE_MODE_CLIENT} or
     * {@code MOUSE_MODE_SERVER}); {@link MainInfo#currentMouseMode()} changes when the server agrees.
     */
    void requestMouseMode(int mode);

    /** The channels linked now, main first. */
    List<LinkedChannel> channels();

    void close();

    /** Completes when the main channel has closed. */
    CompletableFuture<Void> closed();

    /**
     * Once {@link #closed} completed: why the server or the network ended the session when this client did not
     * close it ("closed by the server", "connection lost: Connection reset by peer", "the server sent nothing for
     * 45 s, ..."); empty while the session is open and when it was closed here.
     */
    default Optional<String> lost() {
        return Optional.empty();
    }
}
