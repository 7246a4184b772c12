package org.spice.record.internal.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.Wire;

/** The record channel's messages (spice.proto {@code RecordChannel}). */
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

    /** Far above a 10 ms raw frame (1920 bytes); a data or mode message claiming more is refused. */
    public static final int MAX_DATA = 64 * 1024;

    public static final SpiceMessage STOP_MESSAGE = new SpiceMessage.Empty(STOP);

    private RecordMessages() {
    }

    static byte[] rest(ByteBuf in, String what) {
        int n = in.readableBytes();
        if (n > MAX_DATA) {
            throw new SpiceProtocolException(what + ": " + n + " bytes exceed the limit of " + MAX_DATA);
        }
        return Wire.bytes(in, n, what);
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

    /** spice.proto {@code AudioVolume}. */
    public record Volume(int[] volume) implements SpiceMessage {
        public int type() {
            return VOLUME;
        }

        public void encode(ByteBuf out) {
            out.writeByte(volume.length);
            for (int v : volume) {
                out.writeShortLE(v);
            }
        }

        public static Volume decode(ByteBuf in) {
            int n = Wire.u8(in, "record volume");
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                v[i] = Wire.u16(in, "record volume");
            }
            Wire.end(in, "record volume");
            return new Volume(v);
        }
    }

    /** spice.proto {@code AudioMute}. */
    public record Mute(boolean mute) implements SpiceMessage {
        public int type() {
            return MUTE;
        }

        public void encode(ByteBuf out) {
            out.writeByte(mute ? 1 : 0);
        }

        public static Mute decode(ByteBuf in) {
            Mute m = new Mute(Wire.u8(in, "record mute") != 0);
            Wire.end(in, "record mute");
            return m;
        }
    }

    public record Data(long time, byte[] data) implements SpiceMessage {
        public int type() {
            return C_DATA;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) time).writeBytes(data);
        }

        public static Data decode(ByteBuf in) {
            return new Data(Wire.u32(in, "record data"), rest(in, "record data"));
        }
    }

    public record Mode(long time, int mode, byte[] data) implements SpiceMessage {
        public int type() {
            return C_MODE;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) time).writeShortLE(mode).writeBytes(data);
        }

        public static Mode decode(ByteBuf in) {
            return new Mode(Wire.u32(in, "record mode"), Wire.u16(in, "record mode"), rest(in, "record mode"));
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
