package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.SpiceProtocolException;

/**
 * SPICE's audio sub-protocol, the message layouts the playback and record channels share (spice.proto
 * {@code AudioVolume}, {@code AudioMute}, and the data and mode messages). The channels number them differently
 * (playback's server sends data as 101, record's client sends it as 101 too, but volume is 105 on one and 103 on
 * the other), so every record carries the type number its channel gives it; the channels' own messages (start,
 * stop, latency, start_mark) stay in their {@code PlaybackMessages} and {@code RecordMessages}.
 */
public final class AudioMessages {
    /** Far above a 10 ms raw frame (1920 bytes); a data or mode message claiming more is refused. */
    public static final int MAX_DATA = 64 * 1024;
    /** AudioVolume's channel count is a uint8. */
    public static final int MAX_VOLUME_CHANNELS = 255;

    private AudioMessages() {
    }

    /** The rest of a data or mode message, refused past {@link #MAX_DATA}. */
    static byte[] rest(ByteBuf in, String what) {
        int n = in.readableBytes();
        if (n > MAX_DATA) {
            throw new SpiceProtocolException(what + ": " + n + " bytes exceed the limit of " + MAX_DATA);
        }
        return Wire.bytes(in, n, what);
    }

    /** {uint32 time; uint8 data[]}: one encoded audio frame, stamped with the session's multimedia time. */
    public record Data(int type, long time, byte[] data) implements SpiceMessage {
        @Override
        public void encode(ByteBuf out) {
            out.writeIntLE((int) time).writeBytes(data);
        }

        public static Data decode(int type, ByteBuf in) {
            return new Data(type, Wire.u32(in, "audio data"), rest(in, "audio data"));
        }
    }

    /** {uint32 time; uint16 mode; uint8 data[]}: the data mode (raw, Opus, ...) of the data that follows. */
    public record Mode(int type, long time, int mode, byte[] data) implements SpiceMessage {
        @Override
        public void encode(ByteBuf out) {
            out.writeIntLE((int) time).writeShortLE(mode).writeBytes(data);
        }

        public static Mode decode(int type, ByteBuf in) {
            return new Mode(type, Wire.u32(in, "audio mode"), Wire.u16(in, "audio mode"), rest(in, "audio mode"));
        }
    }

    /** spice.proto {@code AudioVolume}: {uint8 nchannels; uint16 volume[nchannels]}. */
    public record Volume(int type, int[] volume) implements SpiceMessage {
        public Volume {
            if (volume.length > MAX_VOLUME_CHANNELS) {
                throw new IllegalArgumentException(volume.length + " channels");
            }
        }

        @Override
        public void encode(ByteBuf out) {
            out.writeByte(volume.length);
            for (int v : volume) {
                out.writeShortLE(v);
            }
        }

        public static Volume decode(int type, ByteBuf in) {
            int n = Wire.u8(in, "audio volume");
            Wire.need(in, 2L * n, "audio volume");
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                v[i] = in.readUnsignedShortLE();
            }
            Wire.end(in, "audio volume");
            return new Volume(type, v);
        }
    }

    /** spice.proto {@code AudioMute}: {uint8 mute}. */
    public record Mute(int type, boolean mute) implements SpiceMessage {
        @Override
        public void encode(ByteBuf out) {
            out.writeByte(mute ? 1 : 0);
        }

        public static Mute decode(int type, ByteBuf in) {
            Mute m = new Mute(type, Wire.u8(in, "audio mute") != 0);
            Wire.end(in, "audio mute");
            return m;
        }
    }
}
