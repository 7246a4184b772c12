package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.MessageHeader;

/**
 * Splits the byte stream of a linked channel into messages. The size in each header is checked against the
 * channel's limit before anything is waited for or allocated, so a lying header costs nothing.
 */
final class MessageFrameDecoder extends ByteToMessageDecoder {
    private final boolean mini;
    private final long maxMessageSize;
    /** When the first bytes of the message now arriving came (System.nanoTime), or -1 between messages. */
    private long partialSince = -1;
    private long partialSize;
    private int partialType;

    MessageFrameDecoder(boolean mini, long maxMessageSize) {
        this.mini = mini;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * What is late when the message now arriving comes slower than {@code limits} allow (a trickle), or null.
     * Called on the event loop.
     */
    String lateMessage(long nowNanos, ServerEngine.PeerLimits limits) {
        if (partialSince < 0) {
            return null;
        }
        ByteBuf pending = internalBuffer();
        if (!limits.tooSlow(nowNanos - partialSince, pending.readableBytes())) {
            return null;
        }
        return (partialType < 0 ? "a message header" : "message type " + partialType + " of " + partialSize
                + " bytes") + " is incomplete after " + (nowNanos - partialSince) / 1_000_000 + " ms ("
                + pending.readableBytes() + " bytes came)";
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int headerSize = MessageHeader.size(mini);
        if (in.readableBytes() < headerSize) {
            if (in.isReadable() && partialSince < 0) {
                partialSince = System.nanoTime();
                partialSize = headerSize;
                partialType = -1;
            }
            return;
        }
        int start = in.readerIndex();
        MessageHeader h = MessageHeader.decode(in, mini);
        if (h.size() > maxMessageSize) {
            throw new SpiceProtocolException("message type " + h.type() + " claims " + h.size()
                    + " bytes, over this channel's limit of " + maxMessageSize);
        }
        if (in.readableBytes() < h.size()) {
            if (partialSince < 0) {
                partialSince = System.nanoTime();
            }
            partialSize = headerSize + h.size();
            partialType = h.type();
            in.readerIndex(start);
            return;
        }
        partialSince = in.readableBytes() > h.size() ? System.nanoTime() : -1;
        out.add(new RawMessage(h.type(), in.readRetainedSlice((int) h.size())));
    }
}
