package org.spice.playback.internal.wire;

import org.spice.protocol.wire.AudioMessages;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.spice.audio.AudioModes;
import org.spice.protocol.wire.SpiceMessage;

/**
 * The playback mode QEMU 7.2 (spice-server 0.15) sent our client, which announced Opus, taken from a tshark
 * capture; and our server's messages, byte for byte as spice.proto lays them out.
 */
class PlaybackGoldenTest {
    private static String encode(SpiceMessage m) {
        ByteBuf b = Unpooled.buffer();
        m.encode(b);
        String s = ByteBufUtil.hexDump(b);
        b.release();
        return s;
    }

    @Test
    void qemusModeDecodes() {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("235831000300"));
        AudioMessages.Mode m = AudioMessages.Mode.decode(PlaybackMessages.MODE, b);
        b.release();
        assertEquals(0x315823, m.time());
        assertEquals(AudioModes.MODE_OPUS, m.mode());
        assertEquals(0, m.data().length);
    }

    @Test
    void ourServerMessagesHaveSpiceProtoLayout() {
        assertEquals("e8030000" + "0300", encode(new AudioMessages.Mode(PlaybackMessages.MODE, 1000,
                AudioModes.MODE_OPUS, new byte[0])));
        assertEquals("02000000" + "0100" + "80bb0000" + "e8030000", encode(new PlaybackMessages.Start(2,
                AudioModes.FMT_S16, 48000, 1000)));
        assertEquals("e9030000" + "0102", encode(new AudioMessages.Data(PlaybackMessages.DATA, 1001,
                new byte[] {1, 2})));
        assertEquals("02" + "0080" + "0080", encode(new AudioMessages.Volume(PlaybackMessages.VOLUME,
                new int[] {0x8000, 0x8000})));
        assertEquals("00", encode(new AudioMessages.Mute(PlaybackMessages.MUTE, false)));
        assertEquals("64000000", encode(new PlaybackMessages.Latency(100)));
    }
}
