package org.spice.tunnel.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Component;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.tunnel.api.TunnelClient;
import org.spice.tunnel.api.TunnelShare;

/** The client side of the tunnel channel: shares local TCP services and connects the sockets the server opens. */
@Component
@SpiceChannel(type = ChannelType.TUNNEL)
public final class TunnelClientFactory implements ClientChannelFactory, TunnelClient {
    private static final Logger LOG = Logger.getLogger(TunnelClientFactory.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final Map<ClientSession, Tunnel> tunnels = new ConcurrentHashMap<>();
    private final Map<ClientSession, CompletableFuture<Tunnel>> waiting = new ConcurrentHashMap<>();

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        Tunnel t = new Tunnel(context);
        tunnels.put(context.session(), t);
        return t;
    }

    @Override
    public CompletableFuture<TunnelShare> share(ClientSession session, String name, InetSocketAddress target) {
        return tunnel(session).thenApply(t -> t.share(name, target));
    }

    /** The session's tunnel once the server's init has arrived, linking the channel if needed. */
    private CompletableFuture<Tunnel> tunnel(ClientSession session) {
        CompletableFuture<Tunnel> f = waiting.computeIfAbsent(session, s -> new CompletableFuture<>());
        Tunnel t = tunnels.get(session);
        if (t != null && t.maxData > 0) {
            f.complete(t);
        } else if (t == null) {
            if (session.main().channels().stream().noneMatch(c -> c.type() == ChannelType.TUNNEL)) {
                f.completeExceptionally(new IllegalStateException("the server offers no tunnel channel"));
            } else if (session.channels().stream().noneMatch(c -> c.type() == ChannelType.TUNNEL)) {
                session.link(ChannelType.TUNNEL, 0).whenComplete((c, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    }
                });
            }
        }
        return f;
    }

    /** One session's tunnel channel. */
    private final class Tunnel implements ChannelHandler, Relay.Owner {
        private final ClientChannelContext ctx;
        private final Map<Long, Share> shares = new ConcurrentHashMap<>();
        private final Map<Integer, Relay> relays = new ConcurrentHashMap<>();
        private final Map<Integer, Share> socketShares = new ConcurrentHashMap<>();
        private final AtomicInteger nextId = new AtomicInteger(1);
        volatile int maxData;
        private volatile int maxSockets;

        Tunnel(ClientChannelContext ctx) {
            this.ctx = ctx;
        }

        Share share(String name, InetSocketAddress target) {
            if (!ctx.isOpen()) {
                throw new IllegalStateException("the tunnel channel is closed");
            }
            Share s = new Share(this, nextId.getAndIncrement(), name, target);
            shares.put((long) s.id, s);
            ctx.send(new TunnelMessages.ServiceAdd(TunnelMessages.SERVICE_GENERIC, s.id, 0, target.getPort(), name,
                    target.getHostString() + ":" + target.getPort(), null));
            return s;
        }

        @Override
        public void onMessage(int type, ByteBuf body) {
            switch (type) {
                case TunnelMessages.INIT -> {
                    TunnelMessages.Init i = TunnelMessages.Init.decode(body);
                    if (i.maxSocketDataSize() == 0) {
                        throw new SpiceProtocolException("tunnel init: max_socket_data_size 0");
                    }
                    maxData = (int) Math.min(i.maxSocketDataSize(), 1 << 20);
                    maxSockets = i.maxSockets();
                    CompletableFuture<Tunnel> f = waiting.computeIfAbsent(ctx.session(), s -> new CompletableFuture<>());
                    f.complete(this);
                }
                case TunnelMessages.SERVICE_IP_MAP -> {
                    TunnelMessages.ServiceIpMap m = TunnelMessages.ServiceIpMap.decode(body);
                    LOG.fine(() -> ctx.describe() + ": service " + m.serviceId() + " mapped");
                }
                case TunnelMessages.SOCKET_OPEN -> open(TunnelMessages.SocketOpen.decode(body));
                case TunnelMessages.SOCKET_DATA -> {
                    TunnelMessages.SocketData d = TunnelMessages.SocketData.decode(type, body, TunnelServerFactory.MAX_DATA);
                    Relay r = relays.get(d.connectionId());
                    if (r != null) {
                        r.onData(d.data());
                    }
                }
                case TunnelMessages.SOCKET_FIN -> {
                    Relay r = relays.get(TunnelMessages.Socket.decode(type, body).connectionId());
                    if (r != null) {
                        r.onFin();
                    }
                }
                case TunnelMessages.SOCKET_CLOSE -> {
                    Relay r = relays.get(TunnelMessages.Socket.decode(type, body).connectionId());
                    if (r != null) {
                        r.onClose();
                    }
                }
                case TunnelMessages.SOCKET_CLOSED_ACK -> {
                    Relay r = relays.get(TunnelMessages.Socket.decode(type, body).connectionId());
                    if (r != null) {
                        r.onClosedAck();
                    }
                }
                case TunnelMessages.SOCKET_TOKEN -> {
                    TunnelMessages.SocketToken t = TunnelMessages.SocketToken.decode(type, body);
                    Relay r = relays.get(t.connectionId());
                    if (r != null) {
                        r.onToken(t.tokens());
                    }
                }
                default -> throw ChannelHandler.unknownMessage(ctx, type);
            }
        }

        private void open(TunnelMessages.SocketOpen o) {
            if (maxData == 0) {
                throw new SpiceProtocolException("socket_open before tunnel init");
            }
            if (o.connectionId() >= Math.max(maxSockets, 1) || relays.containsKey(o.connectionId())) {
                throw new SpiceProtocolException("socket_open: connection id " + o.connectionId()
                        + (relays.containsKey(o.connectionId()) ? " is in use" : " is beyond max_num_of_sockets"));
            }
            Share share = shares.get(o.serviceId());
            if (share == null) {
                ctx.send(new TunnelMessages.Socket(TunnelMessages.C_SOCKET_OPEN_NACK, o.connectionId()));
                return;
            }
            Socket s = new Socket();
            // Placeholder until connected, so that a second open with the same id is refused.
            Relay r = new Relay(o.connectionId(), ctx, Relay.Types.CLIENT, s, maxData, o.tokens(), this);
            relays.put(o.connectionId(), r);
            Thread t = new Thread(() -> {
                try {
                    s.connect(share.target, CONNECT_TIMEOUT_MS);
                    s.setTcpNoDelay(true);
                } catch (IOException e) {
                    LOG.info(ctx.describe() + ": service " + share.name + ": cannot reach " + share.target + ": "
                            + e.getMessage());
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                    ctx.executor().execute(() -> {
                        relays.remove(o.connectionId(), r);
                        socketShares.remove(o.connectionId());
                        ctx.send(new TunnelMessages.Socket(TunnelMessages.C_SOCKET_OPEN_NACK, o.connectionId()));
                    });
                    return;
                }
                try {
                    ctx.executor().execute(() -> {
                        if (!ctx.isOpen() || relays.get(o.connectionId()) != r) {
                            r.channelClosed(); // the channel went away while connecting
                            return;
                        }
                        share.open.incrementAndGet();
                        ctx.send(new TunnelMessages.SocketOpenAck(o.connectionId(), Relay.WINDOW));
                        r.start();
                    });
                } catch (java.util.concurrent.RejectedExecutionException gone) {
                    r.channelClosed();
                }
            }, "tunnel-connect-" + o.connectionId());
            socketShares.put(o.connectionId(), share);
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void released(Relay r) {
            relays.remove(r.id, r);
            Share s = socketShares.remove(r.id);
            if (s != null) {
                s.open.decrementAndGet();
            }
        }

        @Override
        public void onClose() {
            tunnels.remove(ctx.session(), this);
            CompletableFuture<Tunnel> f = waiting.remove(ctx.session());
            if (f != null) {
                f.completeExceptionally(new IllegalStateException("the tunnel channel closed"));
            }
            relays.values().forEach(Relay::channelClosed);
            relays.clear();
        }
    }

    private static final class Share implements TunnelShare {
        private final Tunnel tunnel;
        private final int id;
        private final String name;
        private final InetSocketAddress target;
        final AtomicInteger open = new AtomicInteger();

        Share(Tunnel tunnel, int id, String name, InetSocketAddress target) {
            this.tunnel = tunnel;
            this.id = id;
            this.name = name;
            this.target = target;
        }

        @Override
        public int serviceId() {
            return id;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public InetSocketAddress target() {
            return target;
        }

        @Override
        public int openSockets() {
            return open.get();
        }

        @Override
        public void close() {
            if (tunnel.shares.remove((long) id, this)) {
                tunnel.ctx.send(new TunnelMessages.ServiceRemove(id));
            }
        }
    }
}
