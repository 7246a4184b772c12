package org.spice.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.protocol.Golden.decodeHex;
import static org.spice.protocol.Golden.hex;

import io.netty.buffer.ByteBuf;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.spice.protocol.SpiceProtocolException;

/** The audio layouts playback and record share: spice.proto bytes both ways, and bad lengths refused by name. */
class AudioMessagesTest {
    private static final int PLAYBACK_VOLUME = 105;
    private static final int RECORD_DATA = 101;

    @Test
    void dataAndModeRoundTripUnderTheChannelsTypeNumber() {
        AudioMessages.Data d = decodeHex("e9030000" + "0102", in -> AudioMessages.Data.decode(RECORD_DATA, in));
        assertEquals(RECORD_DATA, d.type());
        assertEquals(1001, d.time());
        assertArrayEquals(new byte[] {1, 2}, d.data());
        assertEquals("e9030000" + "0102", hex(d));

        AudioMessages.Mode m = decodeHex("e8030000" + "0300" + "aa", in -> AudioMessages.Mode.decode(102, in));
        assertEquals(102, m.type());
        assertEquals(1000, m.time());
        assertEquals(3, m.mode());
        assertArrayEquals(new byte[] {(byte) 0xaa}, m.data());
        assertEquals("e8030000" + "0300" + "aa", hex(m));
    }

    @Test
    void volumeAndMuteRoundTrip() {
        AudioMessages.Volume v = decodeHex("02" + "0080" + "ffff",
                in -> AudioMessages.Volume.decode(PLAYBACK_VOLUME, in));
        assertEquals(PLAYBACK_VOLUME, v.type());
        assertArrayEquals(new int[] {0x8000, 0xffff}, v.volume());
        assertEquals("02" + "0080" + "ffff", hex(v));

        AudioMessages.Mute m = decodeHex("01", in -> AudioMessages.Mute.decode(106, in));
        assertTrue(m.mute());
        assertEquals("01", hex(m));
    }

    @Test
    void truncatedAndLyingMessagesAreRefusedByName() {
        assertTrue(refused("e903", in -> AudioMessages.Data.decode(RECORD_DATA, in))
                .startsWith("audio data: truncated"));
        assertTrue(refused("e8030000" + "03", in -> AudioMessages.Mode.decode(102, in))
                .startsWith("audio mode: truncated"));
        // claims three channels, carries one
        assertTrue(refused("03" + "0080", in -> AudioMessages.Volume.decode(PLAYBACK_VOLUME, in))
                .startsWith("audio volume: truncated"));
        assertTrue(refused("01" + "0080" + "00", in -> AudioMessages.Volume.decode(PLAYBACK_VOLUME, in))
                .contains("trailing"));
        assertTrue(refused("", in -> AudioMessages.Mute.decode(106, in)).startsWith("audio mute: truncated"));

        String tooLong = "00000000" + "00".repeat(AudioMessages.MAX_DATA + 1);
        assertTrue(refused(tooLong, in -> AudioMessages.Data.decode(RECORD_DATA, in)).contains("exceed the limit"));
        assertThrows(IllegalArgumentException.class, () -> new AudioMessages.Volume(PLAYBACK_VOLUME, new int[256]));
    }

    private static String refused(String hex, Function<ByteBuf, ?> decoder) {
        return assertThrows(SpiceProtocolException.class, () -> decodeHex(hex, decoder)).getMessage();
    }
}
