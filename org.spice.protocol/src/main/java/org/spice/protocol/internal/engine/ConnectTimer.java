package org.spice.protocol.internal.engine;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.net.SocketAddress;

/**
 * Times a client connection's TCP connect: from the connect leaving (after the host name was resolved) to the
 * connection being up, the SYN / SYN-ACK round trip to the server (or to the proxy), which the kernel answers without
 * the server's own work in it. A SPICE client can time no other round trip: pings go only from server to client,
 * and the link reply waits for the server's per-link RSA key. First in the pipeline; leaves it once connected.
 */
final class ConnectTimer extends ChannelDuplexHandler {
    private long start;
    private volatile long roundTripNanos = -1;

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
        start = System.nanoTime();
        ctx.connect(remote, local, promise);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (start != 0) {
            roundTripNanos = System.nanoTime() - start;
        }
        super.channelActive(ctx);
        ctx.pipeline().remove(this);
    }

    /** The connect's round trip in nanoseconds, -1 before the connection is up. */
    long roundTripNanos() {
        return roundTripNanos;
    }
}
