package org.spice.tunnel.internal;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.wire.Wire;
import org.spice.tunnel.api.PortHandler;
import org.spice.tunnel.api.PortPeer;
import org.spice.tunnel.api.ServerPort;

/** The server side of the port channel: one channel id per registered {@link ServerPort}. */
@Component(property = ServerChannelFactory.CHANNEL_TYPE + ":Integer=" + ChannelType.PORT)
public final class PortServerFactory implements ServerChannelFactory {
    private static final Logger LOG = Logger.getLogger(PortServerFactory.class.getName());
    private final Map<Integer, ServerPort> ports = new ConcurrentSkipListMap<>();
    private final Map<ServerPort, Set<ServerChannelContext>> open = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public synchronized void addPort(ServerPort port) {
        int id = 0;
        while (ports.containsKey(id)) {
            id++;
        }
        ports.put(id, port);
        open.put(port, ConcurrentHashMap.newKeySet());
        LOG.info("port " + port.name() + " offered as port:" + id);
    }

    public synchronized void removePort(ServerPort port) {
        ports.values().remove(port);
        Set<ServerChannelContext> s = open.remove(port);
        if (s != null) {
            s.forEach(c -> c.close("port " + port.name() + " withdrawn"));
        }
    }

    @Override
    public int channelType() {
        return ChannelType.PORT;
    }

    @Override
    public List<Integer> channelIds() {
        return List.copyOf(ports.keySet());
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public ChannelHandler open(ServerChannelContext ctx) {
        ServerPort port = ports.get(ctx.channelId());
        Set<ServerChannelContext> contexts = port == null ? null : open.get(port);
        if (contexts == null) {
            ctx.close("no port has id " + ctx.channelId() + " any more");
            return (type, body) -> body.skipBytes(body.readableBytes());
        }
        contexts.add(ctx);
        Peer peer = new Peer(ctx, port);
        // INIT carries the state at link time, as spice-server sends it; later changes go as PORT_EVENT (Peer.event).
        ctx.send(new PortMessages.Init(port.name(), port.opened()));
        peer.handler = port.open(peer);
        return peer;
    }

    private final class Peer implements PortPeer, ChannelHandler {
        private final ServerChannelContext ctx;
        private final ServerPort port;
        private volatile boolean clientOpened;
        PortHandler handler;

        Peer(ServerChannelContext ctx, ServerPort port) {
            this.ctx = ctx;
            this.port = port;
        }

        @Override
        public void onMessage(int type, ByteBuf body) {
            switch (type) {
                case PortMessages.DATA -> handler.onData(Wire.bytes(body, body.readableBytes(), "port data"));
                case PortMessages.COMPRESSED_DATA -> handler.onData(PortMessages.decodeCompressed(body));
                case PortMessages.CLIENT_EVENT -> {
                    int e = PortMessages.Event.decode(type, body).event();
                    if (e == PortMessages.EVENT_OPENED) {
                        clientOpened = true;
                    } else if (e == PortMessages.EVENT_CLOSED) {
                        clientOpened = false;
                    }
                    handler.onEvent(e);
                }
                default -> throw ChannelHandler.unknownMessage(ctx, type);
            }
        }

        @Override
        public void onClose() {
            Set<ServerChannelContext> s = open.get(port);
            if (s != null) {
                s.remove(ctx);
            }
            handler.onClose();
        }

        @Override
        public void send(byte[] data) {
            for (int i = 0; i < data.length; i += PortClientFactory.CHUNK) {
                int n = Math.min(PortClientFactory.CHUNK, data.length - i);
                byte[] c = n == data.length ? data : java.util.Arrays.copyOfRange(data, i, i + n);
                ctx.send(new PortMessages.Data(c));
            }
        }

        @Override
        public void event(int event) {
            if (event != PortMessages.EVENT_OPENED && event != PortMessages.EVENT_CLOSED
                    && event != PortMessages.EVENT_BREAK) {
                throw new IllegalArgumentException("no port event " + event + " (0 opened, 1 closed, 2 break)");
            }
            ctx.send(new PortMessages.Event(PortMessages.SERVER_EVENT, event));
        }

        @Override
        public void close() {
            ctx.close("port " + port.name() + " closed by the server");
        }

        @Override
        public boolean clientOpened() {
            return clientOpened;
        }

        @Override
        public String describe() {
            return ctx.describe() + " port " + port.name();
        }
    }
}
