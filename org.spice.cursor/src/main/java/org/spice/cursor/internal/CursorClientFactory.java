package org.spice.cursor.internal;

import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Component;
import org.spice.cursor.api.ClientCursor;
import org.spice.cursor.api.ClientCursors;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ClientChannels;
import org.spice.protocol.spi.SpiceChannel;

/** The client side of the cursor channel: position, visibility and shape, with the cursor cache. */
@Component
@SpiceChannel(type = ChannelType.CURSOR)
public final class CursorClientFactory implements ClientChannelFactory, ClientCursors {
    private final ClientChannels<CursorClientChannel> cursors = new ClientChannels<>(ChannelType.CURSOR);

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        CursorClientChannel c = new CursorClientChannel(context);
        return cursors.track(context, c, c);
    }

    @Override
    public ClientCursor cursor(ClientSession session) {
        return cursors.get(session);
    }

    @Override
    public CompletableFuture<ClientCursor> linked(ClientSession session) {
        return cursors.link(session, 0).thenApply(c -> c);
    }
}
