package org.spice.tunnel.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Component;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ClientChannels;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.tunnel.api.TunnelClient;
import org.spice.tunnel.api.TunnelShare;

/** The client side of the tunnel channel: shares local TCP services and connects the sockets the server opens. */
@Component
@SpiceChannel(type = ChannelType.TUNNEL)
public final class TunnelClientFactory implements ClientChannelFactory, TunnelClient {
    private final ClientChannels<TunnelClientChannel> tunnels = new ClientChannels<>(ChannelType.TUNNEL);

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        TunnelClientChannel t = new TunnelClientChannel(context, tunnels);
        tunnels.add(context, t);
        return tunnels.removingOnClose(context, t, t);
    }

    /** Shares once the session's tunnel channel has the server's init, linking the channel if needed. */
    @Override
    public CompletableFuture<TunnelShare> share(ClientSession session, String name, InetSocketAddress target) {
        return tunnels.link(session, 0).thenApply(t -> t.share(name, target));
    }
}
