package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spice.playback.api.AudioSource;

class GatewayAudioTest {
    private static final int FRAME = AudioSource.FRAME_SAMPLES * AudioSource.CHANNELS;

    /** {@code ms} of stereo 48 kHz sound whose samples count up from {@code first}. */
    private static short[] counting(int first, int ms) {
        short[] s = new short[ms * 96];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (first + i);
        }
        return s;
    }

    @Test
    void aStreamPlaysTheVmsSoundAfterItsCushionAndSilenceWhenItRunsDry() {
        GatewayAudio audio = new GatewayAudio();
        AudioSource.Stream viewer = audio.open();
        short[] frame = new short[FRAME];
        int before = GatewayAudio.CUSHION_MS - 10;
        audio.pcm(counting(1, before), 48000, 2);
        viewer.read(frame);
        assertArrayEquals(new short[FRAME], frame, "silence until the cushion is buffered");
        audio.pcm(counting(1 + before * 96, 20), 48000, 2);
        int frames = (before + 20) / 10;
        viewer.read(frame);
        assertEquals(1, frame[0]);
        assertEquals(FRAME, frame[FRAME - 1]);
        for (int i = 1; i < frames; i++) {
            viewer.read(frame);
        }
        assertEquals((short) (1 + (frames - 1) * FRAME), frame[0], "every frame of the sound played in order");
        viewer.read(frame);
        assertArrayEquals(new short[FRAME], frame, "dry: silence");
    }

    @Test
    void aStreamFarBehindJumpsAheadAndOtherFormatsAreNotPlayed() {
        GatewayAudio audio = new GatewayAudio();
        AudioSource.Stream slow = audio.open();
        audio.pcm(counting(0, 1500), 48000, 2);
        short[] frame = new short[FRAME];
        slow.read(frame);
        assertEquals((short) (1500 * 96 - GatewayAudio.CUSHION_MS * 96), frame[0], "jumped to the cushion's start");
        AudioSource.Stream late = audio.open();
        audio.pcm(counting(5, 100), 44100, 2);
        late.read(frame);
        assertArrayEquals(new short[FRAME], frame, "44.1 kHz sound is not relayed");
    }
}
