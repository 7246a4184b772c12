package org.spice.record.internal.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.wire.AudioMessages;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.Wire;

/**
 * The record channel's messages (spice.proto {@code RecordChannel}). Volume and mute (server) and data and mode
 * (client) are the shared audio layouts of {@link AudioMessages}, under this channel's type numbers.
 */
public final class RecordMessages {
    // server -> client
    public static final int START = 101;
    public static final int STOP = 102;
    public static final int VOLUME = 103;
    public static final int MUTE = 104;
    // client -> server
    public static final int C_DATA = 101;
    public static final int C_MODE = 102;
    public static final int C_START_MARK = 103;

    // channel capabilities (spice/enums.h SPICE_RECORD_CAP_*)
    public static final int CAP_CELT_0_5_1 = 0;
    public static final int CAP_VOLUME = 1;
    public static final int CAP_OPUS = 2;

    public static final SpiceMessage STOP_MESSAGE = new SpiceMessage.Empty(STOP);

    private RecordMessages() {
    }

    public record Start(long channels, int format, long frequency) implements SpiceMessage {
        public int type() {
            return START;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) channels).writeShortLE(format).writeIntLE((int) frequency);
        }

        public static Start decode(ByteBuf in) {
            Start s = new Start(Wire.u32(in, "record start"), Wire.u16(in, "record start"),
                    Wire.u32(in, "record start"));
            Wire.end(in, "record start");
            return s;
        }
    }

    public record StartMark(long time) implements SpiceMessage {
        public int type() {
            return C_START_MARK;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) time);
        }

        public static StartMark decode(ByteBuf in) {
            StartMark m = new StartMark(Wire.u32(in, "record start_mark"));
            Wire.end(in, "record start_mark");
            return m;
        }
    }
}
