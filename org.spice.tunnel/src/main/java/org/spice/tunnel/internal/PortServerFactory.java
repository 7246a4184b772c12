package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.PortMessages;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.tunnel.api.ServerPort;

/** The server side of the port channel: one channel id per registered {@link ServerPort}. */
@Component
@SpiceChannel(type = ChannelType.PORT)
public final class PortServerFactory implements ServerChannelFactory {
    private static final System.Logger LOG = System.getLogger("org.spice.tunnel");
    private final Map<Integer, ServerPort> ports = new ConcurrentSkipListMap<>();
    final Map<ServerPort, Set<ServerChannelContext>> open = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public synchronized void addPort(ServerPort port) {
        int id = 0;
        while (ports.containsKey(id)) {
            id++;
        }
        ports.put(id, port);
        open.put(port, ConcurrentHashMap.newKeySet());
        LOG.log(Level.INFO, "port " + port.name() + " offered as port:" + id);
    }

    public synchronized void removePort(ServerPort port) {
        ports.values().remove(port);
        Set<ServerChannelContext> s = open.remove(port);
        if (s != null) {
            s.forEach(c -> c.close("port " + port.name() + " withdrawn"));
        }
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
        PortServerChannel peer = new PortServerChannel(this, ctx, port);
        // INIT carries the state at link time, as spice-server sends it; later changes go as PORT_EVENT.
        ctx.send(new PortMessages.Init(port.name(), port.opened()));
        peer.handler = port.open(peer);
        return peer;
    }
}
