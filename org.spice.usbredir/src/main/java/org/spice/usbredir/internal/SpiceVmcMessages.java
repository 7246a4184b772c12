package org.spice.usbredir.internal;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.wire.SpiceMessage;

/** The spicevmc messages that carry a usbredir byte stream, the same type numbers in both directions. */
public final class SpiceVmcMessages {
    /** SPICE_MSG_SPICEVMC_DATA and SPICE_MSGC_SPICEVMC_DATA: a piece of the byte stream. */
    public static final int DATA = 101;
    /** SPICE_MSG(C)_SPICEVMC_COMPRESSED_DATA: only sent to peers that announce LZ4, which we never do. */
    public static final int COMPRESSED_DATA = 102;
    /** SPICE_SPICEVMC_CAP_DATA_COMPRESS_LZ4, which we do not announce. */
    public static final int CAP_DATA_COMPRESS_LZ4 = 0;
    /** The largest piece we send in one message. */
    public static final int MAX_CHUNK = 64 * 1024;

    private SpiceVmcMessages() {
    }

    /** A piece of the stream; {@code bytes} is not copied. */
    public record Data(byte[] bytes, int offset, int length) implements SpiceMessage {
        @Override
        public int type() {
            return DATA;
        }

        @Override
        public void encode(ByteBuf out) {
            out.writeBytes(bytes, offset, length);
        }
    }
}
