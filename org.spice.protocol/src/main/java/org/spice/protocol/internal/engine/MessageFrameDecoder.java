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

    MessageFrameDecoder(boolean mini, long maxMessageSize) {
        this.mini = mini;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int headerSize = MessageHeader.size(mini);
        if (in.readableBytes() < headerSize) {
            return;
        }
        int start = in.readerIndex();
        MessageHeader h = MessageHeader.decode(in, mini);
        if (h.size() > maxMessageSize) {
            throw new SpiceProtocolException("message type " + h.type() + " claims " + h.size()
                    + " bytes, over this channel's limit of " + maxMessageSize);
        }
        if (in.readableBytes() < h.size()) {
            in.readerIndex(start);
            return;
        }
        out.add(new RawMessage(h.type(), in.readRetainedSlice((int) h.size())));
    }
}
