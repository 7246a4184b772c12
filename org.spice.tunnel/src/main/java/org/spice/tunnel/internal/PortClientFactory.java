package org.spice.tunnel.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Component;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.LinkedChannel;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.protocol.wire.MainMessages.ChannelId;
import org.spice.tunnel.api.ClientPorts;
import org.spice.tunnel.api.PortConnection;

/** The client side of the port channel: each linked port is found by the name its server init announces. */
@Component
@SpiceChannel(type = ChannelType.PORT)
public final class PortClientFactory implements ClientChannelFactory, ClientPorts {
    private static final Logger LOG = Logger.getLogger(PortClientFactory.class.getName());
    /**
     * Bytes from the server that the reader has not taken yet: beyond {@link #PAUSE_AT} this side stops reading
     * from the server until the reader is back under {@link #RESUME_BELOW}, so TCP holds the server back. What
     * arrives while paused (Netty's last read) still fits; a queue past MAX_BUFFERED means that failed, and the
     * channel is closed.
     */
    static final long PAUSE_AT = 1L << 20;
    static final long RESUME_BELOW = 256L << 10;
    static final long MAX_BUFFERED = 16L << 20;
    /** Bytes per data message we send. */
    static final int CHUNK = 64 * 1024;

    private final Map<ClientSession, Map<Integer, Port>> ports = new ConcurrentHashMap<>();
    private final Map<ClientSession, List<Waiter>> waiters = new ConcurrentHashMap<>();

    private record Waiter(String name, CompletableFuture<PortConnection> future) {
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        Port p = new Port(context);
        ports.computeIfAbsent(context.session(), s -> new ConcurrentHashMap<>()).put(context.channelId(), p);
        return p;
    }

    @Override
    public List<String> names(ClientSession session) {
        List<String> names = new ArrayList<>();
        ports.getOrDefault(session, Map.of()).values().forEach(p -> {
            if (p.name != null) {
                names.add(p.name);
            }
        });
        return names;
    }

    @Override
    public CompletableFuture<PortConnection> open(ClientSession session, String name) {
        CompletableFuture<PortConnection> f = new CompletableFuture<>();
        waiters.computeIfAbsent(session, s -> new CopyOnWriteArrayList<>()).add(new Waiter(name, f));
        Set<Integer> linked = ConcurrentHashMap.newKeySet();
        for (LinkedChannel c : session.channels()) {
            if (c.type() == ChannelType.PORT) {
                linked.add(c.id());
            }
        }
        List<CompletableFuture<?>> links = new ArrayList<>();
        for (ChannelId c : session.main().channels()) {
            if (c.type() == ChannelType.PORT && !linked.contains(c.id())
                    && !ports.getOrDefault(session, Map.of()).containsKey(c.id())) {
                links.add(session.link(ChannelType.PORT, c.id()));
            }
        }
        CompletableFuture.allOf(links.toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> check(session));
        check(session);
        f.whenComplete((v, e) -> {
            List<Waiter> w = waiters.get(session);
            if (w != null) {
                w.removeIf(x -> x.future == f);
            }
        });
        return f;
    }

    /** Completes the waiters whose port has announced itself, and fails them once every port has and none fits. */
    private void check(ClientSession session) {
        List<Waiter> w = waiters.get(session);
        if (w == null || w.isEmpty()) {
            return;
        }
        Map<Integer, Port> mine = ports.getOrDefault(session, Map.of());
        long expected = session.main().channels().stream().filter(c -> c.type() == ChannelType.PORT).count();
        boolean allKnown = mine.size() >= expected && mine.values().stream().allMatch(p -> p.name != null);
        for (Waiter x : w) {
            Port match = mine.values().stream().filter(p -> x.name.equals(p.name)).findFirst().orElse(null);
            if (match != null) {
                match.openPort();
                x.future.complete(match);
            } else if (allKnown) {
                x.future.completeExceptionally(new NoSuchElementException("no port named " + x.name + " (the server has "
                        + names(session) + ")"));
            }
        }
    }

    /** One port channel. */
    private final class Port implements ChannelHandler, PortConnection {
        private final ClientChannelContext ctx;
        private final ByteQueue in = new ByteQueue(MAX_BUFFERED);
        private volatile String name;
        private volatile boolean serverOpened;
        private volatile boolean opened;
        /** Whether reading from the server is paused until the reader catches up. */
        private volatile boolean paused;

        Port(ClientChannelContext ctx) {
            this.ctx = ctx;
        }

        synchronized void openPort() {
            if (!opened) {
                opened = true;
                ctx.send(new PortMessages.Event(PortMessages.CLIENT_EVENT, PortMessages.EVENT_OPENED));
            }
        }

        @Override
        public void onMessage(int type, ByteBuf body) {
            switch (type) {
                case PortMessages.INIT -> {
                    PortMessages.Init init = PortMessages.Init.decode(body);
                    serverOpened = init.opened();
                    name = init.name();
                    LOG.fine(() -> ctx.describe() + ": port " + init.name() + (init.opened() ? " (open)" : ""));
                    check(ctx.session());
                }
                case PortMessages.SERVER_EVENT -> {
                    int e = PortMessages.Event.decode(type, body).event();
                    if (e == PortMessages.EVENT_OPENED) {
                        serverOpened = true;
                    } else if (e == PortMessages.EVENT_CLOSED) {
                        serverOpened = false;
                    }
                    LOG.fine(() -> ctx.describe() + ": port " + name + " " + PortMessages.eventName(e));
                }
                case PortMessages.DATA -> data(org.spice.protocol.wire.Wire.bytes(body, body.readableBytes(), "port data"));
                case PortMessages.COMPRESSED_DATA -> data(PortMessages.decodeCompressed(body));
                default -> throw ChannelHandler.unknownMessage(ctx, type);
            }
        }

        private void data(byte[] b) {
            if (!in.offer(b)) {
                ctx.close("port " + name + ": the reader fell " + MAX_BUFFERED + " bytes behind");
                return;
            }
            if (!paused && in.queued() >= PAUSE_AT) {
                paused = true;
                ctx.pauseReading(true);
                in.whenDrainedBelow(RESUME_BELOW, () -> {
                    paused = false;
                    ctx.pauseReading(false);
                });
            }
        }

        @Override
        public void onClose() {
            in.end();
            Map<Integer, Port> m = ports.get(ctx.session());
            if (m != null) {
                m.remove(ctx.channelId(), this);
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean serverOpened() {
            return serverOpened;
        }

        @Override
        public InputStream input() {
            return in;
        }

        @Override
        public OutputStream output() {
            return out;
        }

        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            /** Blocks while the connection's outbound buffer is full, so a slow server slows the writer. */
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (ctx.executor() instanceof EventExecutor e && e.inEventLoop()) {
                    throw new IllegalStateException("port output written on the channel's own thread would block it");
                }
                for (int i = 0; i < len; i += CHUNK) {
                    try {
                        ctx.writable().get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("port " + name + ": interrupted while the server was slow");
                    } catch (ExecutionException e) {
                        throw new IOException("port " + name + ": " + e.getCause(), e.getCause());
                    }
                    if (!ctx.isOpen()) {
                        throw new IOException("port " + name + " is closed");
                    }
                    int n = Math.min(CHUNK, len - i);
                    byte[] c = new byte[n];
                    System.arraycopy(b, off + i, c, 0, n);
                    ctx.send(new PortMessages.Data(c));
                }
            }
        };

        @Override
        public synchronized void close() {
            if (opened) {
                opened = false;
                ctx.send(new PortMessages.Event(PortMessages.CLIENT_EVENT, PortMessages.EVENT_CLOSED));
            }
            in.end();
        }
    }
}
