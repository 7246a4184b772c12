package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.TunnelMessages;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannels;

/** One session's tunnel channel; ready for shares once the server's init has arrived. */
final class TunnelClientChannel implements ChannelHandler, Relay.Owner {
    private static final System.Logger LOG = System.getLogger("org.spice.tunnel");
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final ClientChannelContext ctx;
    private final ClientChannels<TunnelClientChannel> tunnels;
    private final Map<Long, TunnelClientShare> shares = new ConcurrentHashMap<>();
    private final Map<Integer, Relay> relays = new ConcurrentHashMap<>();
    private final Map<Integer, TunnelClientShare> socketShares = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    volatile int maxData;
    private volatile int maxSockets;

    TunnelClientChannel(ClientChannelContext ctx, ClientChannels<TunnelClientChannel> tunnels) {
        this.ctx = ctx;
        this.tunnels = tunnels;
    }

    TunnelClientShare share(String name, InetSocketAddress target) {
        if (!ctx.isOpen()) {
            throw new IllegalStateException("the tunnel channel is closed");
        }
        TunnelClientShare s = new TunnelClientShare(this, nextId.getAndIncrement(), name, target);
        shares.put((long) s.id, s);
        ctx.send(new TunnelMessages.ServiceAdd(TunnelMessages.SERVICE_GENERIC, s.id, 0, target.getPort(), name,
                target.getHostString() + ":" + target.getPort(), null));
        return s;
    }

    /** Stops sharing {@code s}: the server removes its service. */
    void unshare(TunnelClientShare s) {
        if (shares.remove((long) s.id, s)) {
            ctx.send(new TunnelMessages.ServiceRemove(s.id));
        }
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
                tunnels.ready(ctx, this);
            }
            case TunnelMessages.SERVICE_IP_MAP -> {
                TunnelMessages.ServiceIpMap m = TunnelMessages.ServiceIpMap.decode(body);
                LOG.log(Level.DEBUG, () -> ctx.describe() + ": service " + m.serviceId() + " mapped");
            }
            case TunnelMessages.SOCKET_OPEN -> open(TunnelMessages.SocketOpen.decode(body));
            case TunnelMessages.SOCKET_DATA -> {
                TunnelMessages.SocketData d = TunnelMessages.SocketData.decode(type, body,
                        TunnelServerFactory.MAX_DATA);
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
        TunnelClientShare share = shares.get(o.serviceId());
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
                LOG.log(Level.INFO, ctx.describe() + ": service " + share.name + ": cannot reach " + share.target + ": "
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
        TunnelClientShare s = socketShares.remove(r.id);
        if (s != null) {
            s.open.decrementAndGet();
        }
    }

    @Override
    public void onClose() {
        relays.values().forEach(Relay::channelClosed);
        relays.clear();
    }
}
