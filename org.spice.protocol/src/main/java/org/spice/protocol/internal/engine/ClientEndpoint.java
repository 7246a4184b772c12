package org.spice.protocol.internal.engine;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.spice.protocol.Capabilities;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.wire.SpiceMessage;

/**
 * A client channel as its handler sees it. It stays the same object while a seamless migration moves the channel
 * from the source's connection to the destination's, so the handler keeps its state (surfaces, caches, tokens) and
 * goes on sending through it. Between the source's MIGRATE and the move, what the handler sends is held (the source
 * takes nothing after the client's FLUSH_MARK) and goes to the destination after its MIGRATE_DATA. The destination's
 * connection runs on the source's event loop, so the handler's callbacks stay on one thread.
 */
final class ClientEndpoint implements ClientChannelContext {
    /** More than a handler sends in the round trip a move takes; beyond it the channel closes. */
    static final int MAX_HELD_MESSAGES = 10_000;

    private final ClientSession session;
    private volatile ClientConnection conn;
    /** Messages sent while the channel moves; null when it does not. Touched under this object's lock. */
    private ArrayDeque<SpiceMessage> held;
    private CompletableFuture<Void> released;
    private volatile boolean paused;

    ClientEndpoint(ClientSession session, ClientConnection conn) {
        this.session = session;
        this.conn = conn;
        conn.endpoint = this;
    }

    ClientConnection connection() {
        return conn;
    }

    /** From the source's MIGRATE on: what the handler sends waits for {@link #moveTo}. */
    synchronized void hold() {
        if (held == null) {
            held = new ArrayDeque<>();
            released = new CompletableFuture<>();
        }
    }

    /** The channel goes on over {@code next}; the held messages go there, after what the engine sent first. */
    void moveTo(ClientConnection next) {
        ArrayDeque<SpiceMessage> waiting;
        CompletableFuture<Void> r;
        synchronized (this) {
            conn = next;
            next.endpoint = this;
            waiting = held;
            r = released;
            held = null;
            released = null;
        }
        if (paused) {
            next.pauseReading(true);
        }
        if (waiting != null) {
            waiting.forEach(next::send);
            r.complete(null);
        }
    }

    @Override
    public void send(SpiceMessage message) {
        ClientConnection c;
        synchronized (this) {
            if (held != null) {
                if (held.size() >= MAX_HELD_MESSAGES) {
                    conn.close("more than " + MAX_HELD_MESSAGES + " messages waited for the channel to move to the"
                            + " migration destination");
                    return;
                }
                held.add(message);
                return;
            }
            c = conn;
        }
        c.send(message);
    }

    @Override
    public CompletableFuture<Void> writable() {
        synchronized (this) {
            if (released != null) {
                return released.copy();
            }
        }
        return conn.writable();
    }

    @Override
    public void pauseReading(boolean pause) {
        paused = pause;
        conn.pauseReading(pause);
    }

    @Override
    public ClientSession session() {
        return session;
    }

    @Override
    public int channelType() {
        return conn.channelType();
    }

    @Override
    public int channelId() {
        return conn.channelId();
    }

    @Override
    public Capabilities remoteCommonCaps() {
        return conn.remoteCommonCaps();
    }

    @Override
    public Capabilities remoteChannelCaps() {
        return conn.remoteChannelCaps();
    }

    @Override
    public void close(String reason) {
        conn.close(reason);
    }

    @Override
    public boolean isOpen() {
        return conn.isOpen();
    }

    @Override
    public boolean canSend() {
        return conn.canSend();
    }

    @Override
    public ScheduledExecutorService executor() {
        return conn.executor();
    }

    @Override
    public String describe() {
        return conn.describe();
    }
}
