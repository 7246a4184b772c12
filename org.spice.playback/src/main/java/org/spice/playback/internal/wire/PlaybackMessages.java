package org.spice.playback.internal.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.wire.AudioMessages;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.Wire;

/**
 * The playback channel's messages (spice.proto {@code PlaybackChannel}); the server sends all of them. Data, mode,
 * volume and mute are the shared audio layouts of {@link AudioMessages}, under this channel's type numbers.
 */
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

    public static final SpiceMessage STOP_MESSAGE = new SpiceMessage.Empty(STOP);

    private PlaybackMessages() {
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
