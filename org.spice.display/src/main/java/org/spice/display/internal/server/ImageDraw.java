package org.spice.display.internal.server;

import io.netty.buffer.ByteBuf;
import org.spice.desktop.Rect;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.wire.SpiceMessage;

/** A draw_copy of an image to {@code box} of the primary surface: no clip, no mask, rop PUT. */
record ImageDraw(Rect box, SpiceImage image) implements SpiceMessage {
    /** DisplayBase (21) + src pointer (4) + src_area (16) + rop (2) + scale (1) + mask (13). */
    static final int IMAGE_OFFSET = 57;

    @Override
    public int type() {
        return DisplayMessages.DRAW_COPY;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeIntLE(0); // primary surface
        DisplayMessages.writeRect(out, box);
        out.writeByte(0); // no clip
        out.writeIntLE(IMAGE_OFFSET);
        DisplayMessages.writeRect(out, new Rect(0, 0, box.width(), box.height()));
        out.writeShortLE(DisplayMessages.ROPD_OP_PUT).writeByte(0);
        out.writeByte(0).writeIntLE(0).writeIntLE(0).writeIntLE(0); // no mask
        image.write(out);
    }
}
