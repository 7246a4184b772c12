package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.spice.protocol.wire.MessageHeader;
import org.spice.protocol.wire.SpiceMessage;

/** Writes header and body of each outgoing message; the body's size is patched in after encoding it. */
final class MessageFrameEncoder extends MessageToByteEncoder<SpiceMessage> {
    private final boolean mini;
    private long serial;

    MessageFrameEncoder(boolean mini) {
        super(SpiceMessage.class);
        this.mini = mini;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SpiceMessage msg, ByteBuf out) {
        int headerAt = out.writerIndex();
        new MessageHeader(++serial, msg.type(), 0).encode(out, mini);
        int bodyAt = out.writerIndex();
        msg.encode(out);
        int sizeAt = headerAt + (mini ? 2 : 10);
        out.setIntLE(sizeAt, out.writerIndex() - bodyAt);
    }
}
