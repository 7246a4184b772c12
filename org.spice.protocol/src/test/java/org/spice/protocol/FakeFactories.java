package org.spice.protocol;

import java.util.function.Function;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;

/** Channel factories for tests that play a peer by hand: a type, capabilities and what opening a channel does. */
public final class FakeFactories {
    private FakeFactories() {
    }

    public static ServerChannelFactory server(int channelType, Capabilities caps,
            Function<ServerChannelContext, ChannelHandler> open) {
        return new ServerChannelFactory() {
            @Override
            public int channelType() {
                return channelType;
            }

            @Override
            public Capabilities channelCapabilities() {
                return caps;
            }

            @Override
            public ChannelHandler open(ServerChannelContext ctx) {
                return open.apply(ctx);
            }
        };
    }

    public static ClientChannelFactory client(int channelType, Capabilities caps,
            Function<ClientChannelContext, ChannelHandler> open) {
        return new ClientChannelFactory() {
            @Override
            public int channelType() {
                return channelType;
            }

            @Override
            public Capabilities channelCapabilities() {
                return caps;
            }

            @Override
            public ChannelHandler open(ClientChannelContext ctx) {
                return open.apply(ctx);
            }
        };
    }
}
