package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.TunnelMessages;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.tunnel.api.TunnelServer;

/**
 * The server side of the tunnel channel. Each service a client adds gets a listener on 127.0.0.1 (an ephemeral
 * port, logged and listed by {@link #listeners()}); every connection to it is relayed to the client.
 */
@Component
@SpiceChannel(type = ChannelType.TUNNEL)
public final class TunnelServerFactory implements ServerChannelFactory, TunnelServer {
    static final int MAX_SOCKETS = 256;
    static final int MAX_DATA = 32 * 1024;
    static final int MAX_SERVICES = 64;

    final Map<String, InetSocketAddress> listeners = new ConcurrentHashMap<>();

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public Map<String, InetSocketAddress> listeners() {
        return Map.copyOf(new TreeMap<>(listeners));
    }

    @Override
    public ChannelHandler open(ServerChannelContext ctx) {
        ctx.send(new TunnelMessages.Init(MAX_SOCKETS, MAX_DATA));
        return new TunnelServerChannel(this, ctx);
    }
}
