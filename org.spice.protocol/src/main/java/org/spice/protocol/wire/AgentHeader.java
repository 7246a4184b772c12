package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.SpiceProtocolException;

/**
 * The header of one VD_AGENT message (spice-protocol vd_agent.h {@code VDAgentMessage}): protocol, type, opaque,
 * and the size of the body that follows. The main channel's agent_data messages carry a stream of such messages
 * cut into chunks of at most {@link #MAX_DATA_SIZE} bytes; the main channel reads this header to put the chunks
 * together again, and the agent bundle decodes the bodies.
 *
 * @param protocol {@link #PROTOCOL} in every valid message
 * @param type one of the VD_AGENT_* message types
 * @param opaque unused by the messages in use (always 0), carried through
 * @param size the body's length in bytes, an unsigned 32-bit number
 */
public record AgentHeader(long protocol, long type, long opaque, long size) {
    /** VD_AGENT_PROTOCOL. */
    public static final int PROTOCOL = 1;
    /** sizeof(VDAgentMessage). */
    public static final int SIZE = 20;
    /** VD_AGENT_MAX_DATA_SIZE: the most one agent_data message carries. */
    public static final int MAX_DATA_SIZE = 2048;

    public static AgentHeader of(int type, long size) {
        return new AgentHeader(PROTOCOL, type, 0, size);
    }

    public void encode(ByteBuf out) {
        out.writeIntLE((int) protocol).writeIntLE((int) type).writeLongLE(opaque).writeIntLE((int) size);
    }

    public static AgentHeader decode(ByteBuf in) {
        if (in.readableBytes() < SIZE) {
            throw new SpiceProtocolException("agent message header: truncated (needs " + SIZE + " bytes, "
                    + in.readableBytes() + " left)");
        }
        return new AgentHeader(in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readLongLE(),
                in.readUnsignedIntLE());
    }
}
