package org.spice.display.internal.server;

import io.netty.buffer.ByteBuf;
import org.spice.desktop.Rect;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.wire.SpiceMessage;

/** A draw_copy of an image to {@code box} of the primary surface: no clip, no mask, rop PUT. */
record ImageDraw(Rect box, SpiceImage image) implements SpiceMessage {
    /** The image follows the DisplayBase (surface 4, box 16, clip type 1) and the Copy. */
    static final int IMAGE_OFFSET = 21 + DisplayMessages.Copy.SIZE;

    @Override
    public int type() {
        return DisplayMessages.DRAW_COPY;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeIntLE(0); // primary surface
        DisplayMessages.writeRect(out, box);
        out.writeByte(0); // no clip
        new DisplayMessages.Copy(IMAGE_OFFSET, new Rect(0, 0, box.width(), box.height()), DisplayMessages.ROPD_OP_PUT,
                0, DisplayMessages.QMask.NONE).encode(out);
        image.write(out);
    }
}
