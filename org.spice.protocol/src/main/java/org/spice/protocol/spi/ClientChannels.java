package org.spice.protocol.spi;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;

/**
 * What every client channel factory keeps: the open channels of its type per session and channel id, futures for
 * "the channel is linked and ready" and their removal when a channel or its session closes. A factory registers
 * each channel it opens with {@link #track} (ready at once) or {@link #add} then {@link #ready} (for channels that
 * first wait for the server's init message); lookups and waits are safe from any thread.
 *
 * @param <C> what the factory hands out for one channel, usually its {@code *ClientChannel}
 */
public final class ClientChannels<C> {
    private record Key(ClientSession session, int channelId) {
    }

    private final int channelType;
    private final String what;
    private final Map<Key, C> open = new HashMap<>();
    private final Map<Key, C> ready = new HashMap<>();
    private final Map<Key, List<CompletableFuture<C>>> waiting = new HashMap<>();

    public ClientChannels(int channelType) {
        this(channelType, null);
    }

    /**
     * For what rides on a channel rather than being one (the agent on main): {@code what} names it in the error
     * of a wait that ends because it closed before it was ready.
     */
    public ClientChannels(int channelType, String what) {
        this.channelType = channelType;
        this.what = what;
    }

    /**
     * Registers {@code channel}, ready at once, and returns {@code handler} wrapped so that its close removes the
     * channel before the handler's own {@link ChannelHandler#onClose()} runs.
     */
    public ChannelHandler track(ClientChannelContext context, C channel, ChannelHandler handler) {
        add(context, channel);
        ready(context, channel);
        return removingOnClose(context, channel, handler);
    }

    /** Registers an opened channel that is not ready yet: lookups find it only once {@link #ready} is called. */
    public synchronized void add(ClientChannelContext context, C channel) {
        open.put(key(context), Objects.requireNonNull(channel));
    }

    /** The channel is ready (linked, and its init arrived): lookups find it and waiters get it. */
    public void ready(ClientChannelContext context, C channel) {
        List<CompletableFuture<C>> w;
        synchronized (this) {
            Key k = key(context);
            if (open.get(k) != channel) {
                return; // closed meanwhile
            }
            ready.put(k, channel);
            w = waiting.remove(k);
        }
        if (w != null) {
            w.forEach(f -> f.complete(channel));
        }
    }

    /**
     * Removes a closing channel. Waiters for it fail when it closes before it was ready; they wait for a later
     * link otherwise.
     */
    public void remove(ClientChannelContext context, C channel) {
        List<CompletableFuture<C>> w = null;
        synchronized (this) {
            Key k = key(context);
            if (!open.remove(k, channel)) {
                return;
            }
            if (!ready.remove(k, channel)) {
                w = waiting.remove(k);
            }
        }
        if (w != null) {
            IllegalStateException gone = new IllegalStateException((what != null ? what : ChannelType.name(channelType)
                    + ":" + context.channelId()) + " closed before it was ready");
            w.forEach(f -> f.completeExceptionally(gone));
        }
    }

    /** {@code handler} with {@link #remove} run first on close. */
    public ChannelHandler removingOnClose(ClientChannelContext context, C channel, ChannelHandler handler) {
        return new ChannelHandler() {
            @Override
            public void onMessage(int type, ByteBuf body) {
                handler.onMessage(type, body);
            }

            @Override
            public void onWritable() {
                handler.onWritable();
            }

            @Override
            public void onClose() {
                remove(context, channel);
                handler.onClose();
            }
        };
    }

    /** The ready channel {@code channelId} of {@code session}, or null. */
    public synchronized C get(ClientSession session, int channelId) {
        return ready.get(new Key(session, channelId));
    }

    /** The ready channel 0 of {@code session}, or null. */
    public C get(ClientSession session) {
        return get(session, 0);
    }

    /** The ready channels of {@code session} by channel id. */
    public synchronized Map<Integer, C> all(ClientSession session) {
        Map<Integer, C> m = new TreeMap<>();
        ready.forEach((k, c) -> {
            if (k.session() == session) {
                m.put(k.channelId(), c);
            }
        });
        return m;
    }

    /**
     * Completes with the channel once it is ready, at once when it is; fails when the session closes first or the
     * channel closes before it was ready. Callers bound the wait ({@code get(timeout)}, {@code orTimeout}).
     */
    public CompletableFuture<C> linked(ClientSession session, int channelId) {
        CompletableFuture<C> f = new CompletableFuture<>();
        Key k = new Key(session, channelId);
        synchronized (this) {
            C c = ready.get(k);
            if (c != null) {
                f.complete(c);
                return f;
            }
            waiting.computeIfAbsent(k, x -> new ArrayList<>()).add(f);
        }
        session.closed().whenComplete((v, e) -> {
            synchronized (this) {
                List<CompletableFuture<C>> w = waiting.get(k);
                if (w != null && w.remove(f) && w.isEmpty()) {
                    waiting.remove(k);
                }
            }
            f.completeExceptionally(new IllegalStateException("the session closed"));
        });
        return f;
    }

    /**
     * {@link #linked}, linking the channel first when the server offers it and the session has not linked it;
     * fails at once when the server does not offer it.
     */
    public CompletableFuture<C> link(ClientSession session, int channelId) {
        if (session.main() != null && session.main().channels().stream()
                .noneMatch(c -> c.type() == channelType && c.id() == channelId)) {
            return CompletableFuture.failedFuture(new IllegalStateException("the server offers no "
                    + ChannelType.name(channelType) + ":" + channelId + " channel"));
        }
        CompletableFuture<C> f = linked(session, channelId);
        if (!f.isDone() && session.channels().stream()
                .noneMatch(c -> c.type() == channelType && c.id() == channelId)) {
            session.link(channelType, channelId).whenComplete((c, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                }
            });
        }
        return f;
    }

    private static Key key(ClientChannelContext context) {
        return new Key(context.session(), context.channelId());
    }
}
