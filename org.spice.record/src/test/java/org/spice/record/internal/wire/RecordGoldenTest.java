package org.spice.record.internal.wire;

import org.spice.protocol.wire.AudioMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.spice.audio.AudioModes;
import org.spice.audio.OpusCodec;

/**
 * Message bodies spice-gtk 0.42 (spicy, GStreamer's fake source, libopus 1.3.1) sent on the record channel to
 * our server, taken from a tshark capture, and the bodies our server sends, byte for byte as spice.proto lays
 * them out.
 */
class RecordGoldenTest {
    private static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(h));
    }

    private static String encode(io.netty.buffer.ByteBuf b, org.spice.protocol.wire.SpiceMessage m) {
        m.encode(b);
        String s = ByteBufUtil.hexDump(b);
        b.release();
        return s;
    }

    @Test
    void spiceGtksRecordMessagesDecode() {
        ByteBuf mode = hex("000000000300");
        AudioMessages.Mode m = AudioMessages.Mode.decode(RecordMessages.C_MODE, mode);
        assertEquals(AudioModes.MODE_OPUS, m.mode());
        assertEquals(0, m.data().length);
        mode.release();
        ByteBuf mark = hex("00000000");
        assertEquals(0, RecordMessages.StartMark.decode(mark).time());
        mark.release();
        // A 10 ms libopus packet of silence (TOC 0xf4: CELT, fullband, 10 ms, stereo) decodes with Concentus.
        ByteBuf data = hex("00000000f4fffe");
        AudioMessages.Data d = AudioMessages.Data.decode(RecordMessages.C_DATA, data);
        data.release();
        short[] pcm = OpusCodec.decoder(48000, 2).decode(d.data());
        assertEquals(AudioModes.FRAME_SAMPLES * 2, pcm.length);
        assertArrayEquals(new short[pcm.length], pcm);
    }

    @Test
    void ourServerMessagesHaveSpiceProtoLayout() {
        assertEquals("02000000" + "0100" + "80bb0000", encode(Unpooled.buffer(),
                new RecordMessages.Start(2, AudioModes.FMT_S16, 48000)));
        assertEquals("02" + "ffff" + "ffff", encode(Unpooled.buffer(), new AudioMessages.Volume(RecordMessages.VOLUME,
                new int[] {65535, 65535})));
        assertEquals("01", encode(Unpooled.buffer(), new AudioMessages.Mute(RecordMessages.MUTE, true)));
    }
}
