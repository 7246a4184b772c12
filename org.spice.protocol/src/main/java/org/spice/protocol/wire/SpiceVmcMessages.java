package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.SpiceProtocolException;

/**
 * SPICE's spicevmc sub-protocol (spice.proto {@code SpicevmcChannel}): a byte stream between a client and a
 * character device of the guest, which the usbredir, smartcard, port and webdav channels carry. Both messages have
 * the same type numbers in both directions. We never announce {@link #CAP_DATA_COMPRESS_LZ4}, so a peer's
 * compressed data may only be of type {@link #COMPRESSION_NONE}.
 */
public final class SpiceVmcMessages {
    /** SPICE_MSG_SPICEVMC_DATA and SPICE_MSGC_SPICEVMC_DATA: a piece of the byte stream. */
    public static final int DATA = 101;
    /** SPICE_MSG(C)_SPICEVMC_COMPRESSED_DATA: {u8 type, [u32 uncompressed size], data}. */
    public static final int COMPRESSED_DATA = 102;
    /** SPICE_SPICEVMC_CAP_DATA_COMPRESS_LZ4, which we do not announce. */
    public static final int CAP_DATA_COMPRESS_LZ4 = 0;

    public static final int COMPRESSION_NONE = 0;
    public static final int COMPRESSION_LZ4 = 1;

    /** The largest piece a sender here puts in one data message. */
    public static final int MAX_CHUNK = 64 * 1024;

    private SpiceVmcMessages() {
    }

    /** A piece of the stream: {@code length} bytes of {@code data} from {@code offset}, not copied. */
    public record Data(byte[] data, int offset, int length) implements SpiceMessage {
        public Data {
            if (offset < 0 || length < 0 || offset + length > data.length) {
                throw new IllegalArgumentException("slice " + offset + "+" + length + " of " + data.length + " bytes");
            }
        }

        /** All of {@code data}. */
        public Data(byte[] data) {
            this(data, 0, data.length);
        }

        @Override
        public int type() {
            return DATA;
        }

        @Override
        public void encode(ByteBuf out) {
            out.writeBytes(data, offset, length);
        }

        /** The whole body of a data message (bounded by the message size the engine accepted). */
        public static Data decode(ByteBuf in) {
            return new Data(Wire.bytes(in, in.readableBytes(), "spicevmc data"));
        }
    }

    /** The payload of a compressed_data message; only type NONE is accepted, as we announce no compression. */
    public static byte[] decodeCompressed(ByteBuf in) {
        int t = Wire.u8(in, "spicevmc compressed_data type");
        if (t == COMPRESSION_LZ4) {
            throw new SpiceProtocolException(
                    "spicevmc compressed_data with LZ4 is not supported (no LZ4 capability was announced)");
        }
        if (t != COMPRESSION_NONE) {
            throw new SpiceProtocolException("spicevmc compressed_data: unknown compression type " + t);
        }
        return Wire.bytes(in, in.readableBytes(), "spicevmc compressed_data");
    }
}
