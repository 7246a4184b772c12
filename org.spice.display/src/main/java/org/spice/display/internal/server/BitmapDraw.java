package org.spice.display.internal.server;

import io.netty.buffer.ByteBuf;
import org.spice.display.api.Frame;
import org.spice.display.api.Rect;
import org.spice.display.internal.codec.BitmapCodec;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.wire.SpiceMessage;

/**
 * A draw_copy of one rectangle of a frame as an uncompressed 32-bit top-down bitmap (image-compression=off):
 * lossless, and what every client decodes.
 */
record BitmapDraw(Rect box, Frame frame) implements SpiceMessage {
    /** DisplayBase (21) + src pointer (4) + src_area (16) + rop (2) + scale (1) + mask (13). */
    static final int IMAGE_OFFSET = 57;
    private static final int BITMAP_TOP_DOWN = 4;

    @Override
    public int type() {
        return DisplayMessages.DRAW_COPY;
    }

    @Override
    public void encode(ByteBuf out) {
        int w = box.width();
        int h = box.height();
        out.writeIntLE(0); // primary surface
        DisplayMessages.writeRect(out, box);
        out.writeByte(0); // no clip
        out.writeIntLE(IMAGE_OFFSET);
        DisplayMessages.writeRect(out, new Rect(0, 0, w, h));
        out.writeShortLE(DisplayMessages.ROPD_OP_PUT).writeByte(0);
        out.writeByte(0).writeIntLE(0).writeIntLE(0).writeIntLE(0); // no mask
        // SpiceImage: descriptor, then BitmapData with the pixels inline
        out.writeLongLE(0).writeByte(0).writeByte(0).writeIntLE(w).writeIntLE(h);
        out.writeByte(BitmapCodec.FMT_32BIT).writeByte(BITMAP_TOP_DOWN).writeIntLE(w).writeIntLE(h)
                .writeIntLE(4 * w).writeIntLE(0);
        out.ensureWritable(4 * w * h);
        // One bulk write a row: per-pixel writes cost a bounds check (and, under the leak detector, a record)
        // each.
        int[] rgb = frame.rgb();
        byte[] row = new byte[4 * w];
        for (int y = box.y(); y < box.bottom(); y++) {
            int src = y * frame.width() + box.x();
            for (int x = 0; x < w; x++) {
                int p = rgb[src + x];
                row[4 * x] = (byte) p;
                row[4 * x + 1] = (byte) (p >> 8);
                row[4 * x + 2] = (byte) (p >> 16);
            }
            out.writeBytes(row);
        }
    }
}
