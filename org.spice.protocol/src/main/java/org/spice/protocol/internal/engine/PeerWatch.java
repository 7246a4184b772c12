package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one linked server connection from holding memory or a socket for a peer that does not keep up, first in
 * the pipeline (next to the socket, after TLS): it closes the connection, with the reason logged, when more than
 * {@link ServerEngine.PeerLimits#maxQueuedBytes} wait to be written to the peer, when bytes wait and the peer has
 * taken none for {@link ServerEngine.PeerLimits#stallTimeout} (it stopped reading, or vanished without a FIN),
 * or when a message from the peer is still incomplete after {@link ServerEngine.PeerLimits#messageTime} and
 * comes slower than {@link ServerEngine.PeerLimits#slowestBytesPerSecond} beyond it (a trickle, one byte at a time,
 * whatever size its header claims). A peer that sent nothing for {@link ServerEngine.PeerLimits#pingAfter} gets a
 * PING, which every client answers; when nothing at all arrives within {@link ServerEngine.PeerLimits#silenceTimeout}
 * of the socket taking that PING, the peer is gone without a FIN (half-open TCP: a vanished host or link, a killed
 * VM's network) or frozen, and the connection is closed too, where otherwise only the next write would notice.
 * Other connections are not touched.
 */
final class PeerWatch extends ChannelDuplexHandler {
    private final ServerEngine.PeerLimits limits;
    private final ServerConnection connection;
    private final MessageFrameDecoder frames;
    /** Bytes of whole writes the socket took; touched on the event loop only. */
    private long taken;
    private long progressAtLastTick;
    private long stalledSinceNanos;
    private ScheduledFuture<?> tick;

    /** When the last bytes came from the peer (System.nanoTime). */
    private long lastReadNanos = System.nanoTime();
    /** The PING waiting for an answer: its id, or 0 for none. */
    private long pingId;
    private long nextPingId = 1;
    /** Bytes taken by the socket once our PING is (everything queued before it and itself). */
    private long pingTakenAt;
    /** When the socket took that PING (System.nanoTime), or -1 while it still waits behind other bytes. */
    private long pingTakenNanos = -1;

    PeerWatch(ServerEngine.PeerLimits limits, ServerConnection connection, MessageFrameDecoder frames) {
        this.limits = limits;
        this.connection = connection;
        this.frames = frames;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long shortest = Math.min(Math.min(limits.stallTimeout().toMillis(), limits.messageTime().toMillis()),
                Math.min(limits.pingAfter().toMillis(), limits.silenceTimeout().toMillis()));
        long period = Math.max(50, shortest / 4);
        tick = ctx.executor().scheduleAtFixedRate(() -> check(ctx), period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        tick.cancel(false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        tick.cancel(false);
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastReadNanos = System.nanoTime();
        pingId = 0;
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        long queued = queued(ctx);
        if (queued > limits.maxQueuedBytes()) {
            connection.close(Level.WARNING, "the peer does not keep up: " + queued + " bytes wait to be sent to it,"
                    + " over the limit of " + limits.maxQueuedBytes());
            promise.tryFailure(new ClosedChannelException());
            ReferenceCountUtil.release(msg);
            return;
        }
        long size = msg instanceof ByteBuf b ? b.readableBytes()
                : msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
        ChannelPromise p = promise.unvoid();
        p.addListener(f -> {
            if (f.isSuccess()) {
                taken += size;
            }
        });
        ctx.write(msg, p);
    }

    private static long queued(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        long queued = queued(ctx);
        // whole writes taken plus the part of the current one, which a slow reader takes piece by piece
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long progress = taken + (out == null ? 0 : out.currentProgress());
        if (queued == 0 || progress != progressAtLastTick) {
            progressAtLastTick = progress;
            stalledSinceNanos = now;
        } else if (now - stalledSinceNanos >= limits.stallTimeout().toNanos()) {
            connection.close(Level.WARNING, "the peer stopped reading: " + queued + " bytes wait to be sent to it"
                    + " and it took none for " + limits.stallTimeout().toMillis() + " ms");
            return;
        }
        String late = frames.lateMessage(now, limits);
        if (late != null) {
            connection.close(Level.WARNING, "the peer sends too slowly: " + late);
            return;
        }
        checkSilence(ctx, now);
    }

    /** Pings a peer that went silent, and closes it when the ping brings nothing back in time. */
    private void checkSilence(ChannelHandlerContext ctx, long now) {
        if (pingId == 0) {
            if (now - lastReadNanos >= limits.pingAfter().toNanos()) {
                pingId = nextPingId++;
                pingTakenNanos = -1;
                connection.ping(pingId);
                pingTakenAt = taken + queued(ctx);
            }
            return;
        }
        if (pingTakenNanos < 0) {
            // the answer can only come once the PING left; a peer that takes nothing is the stall check's case
            if (taken >= pingTakenAt) {
                pingTakenNanos = now;
            }
            return;
        }
        if (now - pingTakenNanos >= limits.silenceTimeout().toNanos()) {
            connection.close(Level.WARNING, "the peer is silent: nothing came from it for "
                    + (now - lastReadNanos) / 1_000_000 + " ms, not even the answer to a ping sent "
                    + (now - pingTakenNanos) / 1_000_000 + " ms ago (gone without closing, or frozen)");
        }
    }
}
