package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** One framed message as read from the wire: its type and body. Netty releases it if nobody consumes it. */
final class RawMessage extends DefaultByteBufHolder {
    final int type;

    RawMessage(int type, ByteBuf body) {
        super(body);
        this.type = type;
    }
}
