package org.spice.playback.internal.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.Wire;

/** The playback channel's messages (spice.proto {@code PlaybackChannel}); the server sends all of them. */
public final class PlaybackMessages {
    public static final int DATA = 101;
    public static final int MODE = 102;
    public static final int START = 103;
    public static final int STOP = 104;
    public static final int VOLUME = 105;
    public static final int MUTE = 106;
    public static final int LATENCY = 107;

    // channel capabilities (spice/enums.h SPICE_PLAYBACK_CAP_*)
    public static final int CAP_CELT_0_5_1 = 0;
    public static final int CAP_VOLUME = 1;
    public static final int CAP_LATENCY = 2;
    public static final int CAP_OPUS = 3;

    /** Far above a 10 ms raw frame (1920 bytes); a data or mode message claiming more is refused. */
    public static final int MAX_DATA = 64 * 1024;

    public static final SpiceMessage STOP_MESSAGE = new SpiceMessage.Empty(STOP);

    private PlaybackMessages() {
    }

    static byte[] rest(ByteBuf in, String what) {
        int n = in.readableBytes();
        if (n > MAX_DATA) {
            throw new SpiceProtocolException(what + ": " + n + " bytes exceed the limit of " + MAX_DATA);
        }
        return Wire.bytes(in, n, what);
    }

    public record Data(long time, byte[] data) implements SpiceMessage {
        public int type() {
            return DATA;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) time).writeBytes(data);
        }

        public static Data decode(ByteBuf in) {
            return new Data(Wire.u32(in, "playback data"), rest(in, "playback data"));
        }
    }

    public record Mode(long time, int mode, byte[] data) implements SpiceMessage {
        public int type() {
            return MODE;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) time).writeShortLE(mode).writeBytes(data);
        }

        public static Mode decode(ByteBuf in) {
            return new Mode(Wire.u32(in, "playback mode"), Wire.u16(in, "playback mode"), rest(in, "playback mode"));
        }
    }

    public record Start(long channels, int format, long frequency, long time) implements SpiceMessage {
        public int type() {
            return START;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) channels).writeShortLE(format).writeIntLE((int) frequency).writeIntLE((int) time);
        }

        public static Start decode(ByteBuf in) {
            Start s = new Start(Wire.u32(in, "playback start"), Wire.u16(in, "playback start"),
                    Wire.u32(in, "playback start"), Wire.u32(in, "playback start"));
            Wire.end(in, "playback start");
            return s;
        }
    }

    /** spice.proto {@code AudioVolume}: one uint16 per channel. Also the record channel's volume layout. */
    public record Volume(int type, int[] volume) implements SpiceMessage {
        public Volume {
            if (volume.length > 255) {
                throw new IllegalArgumentException(volume.length + " channels");
            }
        }

        public void encode(ByteBuf out) {
            out.writeByte(volume.length);
            for (int v : volume) {
                out.writeShortLE(v);
            }
        }

        public static Volume decode(int type, ByteBuf in) {
            int n = Wire.u8(in, "audio volume");
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                v[i] = Wire.u16(in, "audio volume");
            }
            Wire.end(in, "audio volume");
            return new Volume(type, v);
        }
    }

    /** spice.proto {@code AudioMute}. */
    public record Mute(int type, boolean mute) implements SpiceMessage {
        public void encode(ByteBuf out) {
            out.writeByte(mute ? 1 : 0);
        }

        public static Mute decode(int type, ByteBuf in) {
            Mute m = new Mute(type, Wire.u8(in, "audio mute") != 0);
            Wire.end(in, "audio mute");
            return m;
        }
    }

    public record Latency(long latencyMs) implements SpiceMessage {
        public int type() {
            return LATENCY;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) latencyMs);
        }

        public static Latency decode(ByteBuf in) {
            Latency l = new Latency(Wire.u32(in, "playback latency"));
            Wire.end(in, "playback latency");
            return l;
        }
    }
}
