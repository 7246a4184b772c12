package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes a client session's connections read from the network (TLS and proxy bytes included: what the
 * link carried), for {@link org.spice.protocol.client.ClientSession#bytesReceived()}. First in every pipeline of
 * the session; shared by its connections, each adding from its own event loop.
 */
@ChannelHandler.Sharable
final class ReceivedBytes extends ChannelInboundHandlerAdapter {
    private final LongAdder total = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            total.add(b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    long total() {
        return total.sum();
    }
}
