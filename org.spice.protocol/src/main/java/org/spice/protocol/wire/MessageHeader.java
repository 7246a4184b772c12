package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;

/**
 * The header before every message once a channel is linked: the 6-byte mini header (type, size) when both
 * sides have {@link Link#CAP_MINI_HEADER}, otherwise the 18-byte full header (serial, type, size, sub_list).
 */
public record MessageHeader(long serial, int type, long size) {
    public static final int MINI_SIZE = 6;
    public static final int FULL_SIZE = 18;

    public static int size(boolean mini) {
        return mini ? MINI_SIZE : FULL_SIZE;
    }

    /** Decodes a header; the caller has checked that {@link #size(boolean)} bytes are readable. */
    public static MessageHeader decode(ByteBuf in, boolean mini) {
        if (mini) {
            Wire.need(in, MINI_SIZE, "mini header");
            int type = in.readUnsignedShortLE();
            return new MessageHeader(0, type, in.readUnsignedIntLE());
        }
        Wire.need(in, FULL_SIZE, "data header");
        long serial = in.readLongLE();
        int type = in.readUnsignedShortLE();
        long size = in.readUnsignedIntLE();
        in.skipBytes(4); // sub_list: offset of sub-messages, which no current peer sends
        return new MessageHeader(serial, type, size);
    }

    public void encode(ByteBuf out, boolean mini) {
        if (!mini) {
            out.writeLongLE(serial);
        }
        out.writeShortLE(type).writeIntLE((int) size);
        if (!mini) {
            out.writeIntLE(0);
        }
    }
}
