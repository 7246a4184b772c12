package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.PortMessages;
import org.spice.protocol.wire.SpiceVmcMessages;
import io.netty.buffer.ByteBuf;
import java.util.Set;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.tunnel.api.PortHandler;
import org.spice.tunnel.api.PortPeer;
import org.spice.tunnel.api.ServerPort;

/** One client's port channel: the {@link PortPeer} its {@link org.spice.tunnel.api.ServerPort} talks to. */
final class PortServerChannel implements PortPeer, ChannelHandler {
    private final PortServerFactory owner;
    private final ServerChannelContext ctx;
    private final ServerPort port;
    private volatile boolean clientOpened;
    PortHandler handler;

    PortServerChannel(PortServerFactory owner, ServerChannelContext ctx, ServerPort port) {
        this.owner = owner;
        this.ctx = ctx;
        this.port = port;
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case SpiceVmcMessages.DATA -> handler.onData(SpiceVmcMessages.Data.decode(body).data());
            case SpiceVmcMessages.COMPRESSED_DATA -> handler.onData(SpiceVmcMessages.decodeCompressed(body));
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
        Set<ServerChannelContext> s = owner.open.get(port);
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
            ctx.send(new SpiceVmcMessages.Data(c));
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
    public long connectionId() {
        return ctx.connectionId();
    }

    @Override
    public String describe() {
        return ctx.describe() + " port " + port.name();
    }
}
