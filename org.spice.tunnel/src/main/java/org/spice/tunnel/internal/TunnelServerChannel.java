package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.TunnelMessages;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;

/** One client's tunnel channel. */
final class TunnelServerChannel implements ChannelHandler, Relay.Owner {
    private static final System.Logger LOG = System.getLogger("org.spice.tunnel");

    private final TunnelServerFactory owner;
    private final ServerChannelContext ctx;
    private final Map<Long, Service> services = new ConcurrentHashMap<>();
    private final Relay[] relays = new Relay[TunnelServerFactory.MAX_SOCKETS];
    /** Sockets accepted but not yet acknowledged by the client. */
    private final Map<Integer, Socket> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TunnelServerChannel(TunnelServerFactory owner, ServerChannelContext ctx) {
        this.owner = owner;
        this.ctx = ctx;
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case TunnelMessages.C_SERVICE_ADD -> add(TunnelMessages.ServiceAdd.decode(body));
            case TunnelMessages.C_SERVICE_REMOVE -> {
                Service s = services.remove(TunnelMessages.ServiceRemove.decode(body).id());
                if (s != null) {
                    s.close();
                }
            }
            case TunnelMessages.C_SOCKET_OPEN_ACK -> {
                TunnelMessages.SocketOpenAck a = TunnelMessages.SocketOpenAck.decode(body);
                Relay r;
                synchronized (relays) { // with allocate(): the id is never free between pending and open
                    Socket s = pending.remove(a.connectionId());
                    if (s == null) {
                        throw new SpiceProtocolException("socket_open_ack for socket " + a.connectionId()
                                + ", which is not opening");
                    }
                    r = new Relay(a.connectionId(), ctx, Relay.Types.SERVER, s, TunnelServerFactory.MAX_DATA,
                            a.tokens(), this);
                    relays[a.connectionId()] = r;
                }
                r.start();
            }
            case TunnelMessages.C_SOCKET_OPEN_NACK -> {
                int id = TunnelMessages.Socket.decode(type, body).connectionId();
                Socket s = pending.remove(id);
                if (s == null) {
                    throw new SpiceProtocolException("socket_open_nack for socket " + id + ", which is not opening");
                }
                LOG.log(Level.INFO, ctx.describe() + ": the client could not reach the service for socket " + id);
                closeQuietly(s);
                release(id);
            }
            case TunnelMessages.C_SOCKET_DATA -> {
                TunnelMessages.SocketData d = TunnelMessages.SocketData.decode(type, body,
                        TunnelServerFactory.MAX_DATA);
                Relay r = relay(d.connectionId());
                if (r != null) {
                    r.onData(d.data());
                }
            }
            case TunnelMessages.C_SOCKET_FIN -> {
                Relay r = relay(TunnelMessages.Socket.decode(type, body).connectionId());
                if (r != null) {
                    r.onFin();
                }
            }
            case TunnelMessages.C_SOCKET_CLOSED -> {
                Relay r = relay(TunnelMessages.Socket.decode(type, body).connectionId());
                if (r != null) {
                    r.onClose();
                }
            }
            case TunnelMessages.C_SOCKET_CLOSED_ACK -> {
                Relay r = relay(TunnelMessages.Socket.decode(type, body).connectionId());
                if (r != null) {
                    r.onClosedAck();
                }
            }
            case TunnelMessages.C_SOCKET_TOKEN -> {
                TunnelMessages.SocketToken t = TunnelMessages.SocketToken.decode(type, body);
                Relay r = relay(t.connectionId());
                if (r != null) {
                    r.onToken(t.tokens());
                }
            }
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    private Relay relay(int id) {
        if (id >= TunnelServerFactory.MAX_SOCKETS) {
            throw new SpiceProtocolException("socket " + id + " is beyond the " + TunnelServerFactory.MAX_SOCKETS
                    + " sockets allowed");
        }
        synchronized (relays) {
            Relay r = relays[id];
            if (r == null) {
                LOG.log(Level.DEBUG, () -> ctx.describe() + ": message for socket " + id + ", which is not open");
            }
            return r;
        }
    }

    private void add(TunnelMessages.ServiceAdd a) {
        if (services.containsKey(a.id())) {
            throw new SpiceProtocolException("service_add: service id " + a.id() + " is already in use");
        }
        if (services.size() >= TunnelServerFactory.MAX_SERVICES) {
            throw new SpiceProtocolException("service_add: more than " + TunnelServerFactory.MAX_SERVICES
                    + " services");
        }
        ServerSocket ss;
        try {
            ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            ctx.close("cannot listen for service " + a.name() + ": " + e.getMessage());
            return;
        }
        String key = a.name();
        for (int i = 2; owner.listeners.containsKey(key); i++) {
            key = a.name() + "#" + i;
        }
        Service s = new Service(a, ss, key);
        services.put(a.id(), s);
        InetSocketAddress addr = (InetSocketAddress) ss.getLocalSocketAddress();
        owner.listeners.put(key, addr);
        LOG.log(Level.INFO, ctx.describe() + ": tunnel service " + key + " (" + a.description() + ", client port "
                + a.port() + ") listens on " + addr.getAddress().getHostAddress() + ":" + addr.getPort());
        ctx.send(new TunnelMessages.ServiceIpMap(a.id(), addr.getAddress().getAddress()));
        s.start();
    }

    private int allocate(Socket s) {
        synchronized (relays) {
            for (int i = 0; i < TunnelServerFactory.MAX_SOCKETS; i++) {
                if (relays[i] == null && !pending.containsKey(i)) {
                    pending.put(i, s);
                    return i;
                }
            }
        }
        return -1;
    }

    private void release(int id) {
        synchronized (relays) {
            relays[id] = null;
        }
    }

    @Override
    public void released(Relay r) {
        release(r.id);
    }

    @Override
    public void onClose() {
        closed = true;
        services.values().forEach(Service::close);
        services.clear();
        pending.values().forEach(TunnelServerChannel::closeQuietly);
        pending.clear();
        synchronized (relays) {
            for (int i = 0; i < TunnelServerFactory.MAX_SOCKETS; i++) {
                if (relays[i] != null) {
                    relays[i].channelClosed();
                    relays[i] = null;
                }
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One shared service: its listener and accept thread. */
    private final class Service {
        private final TunnelMessages.ServiceAdd add;
        private final ServerSocket ss;
        private final String key;

        Service(TunnelMessages.ServiceAdd add, ServerSocket ss, String key) {
            this.add = add;
            this.ss = ss;
            this.key = key;
        }

        void start() {
            Thread t = new Thread(this::acceptLoop, "tunnel-accept-" + key);
            t.setDaemon(true);
            t.start();
        }

        private void acceptLoop() {
            while (!closed && !ss.isClosed()) {
                Socket s;
                try {
                    s = ss.accept();
                } catch (IOException e) {
                    return;
                }
                int id = allocate(s);
                if (id < 0 || closed) {
                    LOG.log(Level.WARNING, ctx.describe() + ": service " + key + ": all "
                            + TunnelServerFactory.MAX_SOCKETS + " sockets are in use; refusing a connection");
                    closeQuietly(s);
                    continue;
                }
                try {
                    s.setTcpNoDelay(true);
                } catch (IOException ignored) {
                    // not important
                }
                ctx.send(new TunnelMessages.SocketOpen(id, add.id(), Relay.WINDOW));
            }
        }

        void close() {
            owner.listeners.remove(key, (InetSocketAddress) ss.getLocalSocketAddress());
            closeQuietly(ss);
        }
    }
}
