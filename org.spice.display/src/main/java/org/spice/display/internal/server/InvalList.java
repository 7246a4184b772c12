package org.spice.display.internal.server;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.wire.SpiceMessage;

/** INVAL_LIST: the client drops these images from its pixmap cache (resource type 1, pixmap). */
record InvalList(List<Long> ids) implements SpiceMessage {
    static final int RES_TYPE_PIXMAP = 1;

    InvalList {
        if (ids.size() > 0xffff) {
            throw new IllegalArgumentException(ids.size() + " ids in one INVAL_LIST");
        }
        ids = List.copyOf(ids);
    }

    @Override
    public int type() {
        return DisplayMessages.INVAL_LIST;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeShortLE(ids.size());
        for (long id : ids) {
            out.writeByte(RES_TYPE_PIXMAP).writeLongLE(id);
        }
    }
}
