package org.spice.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.protocol.SpiceProtocolException;

class OpusCodecTest {
    static final int RATE = AudioModes.RATE;
    static final int CH = AudioModes.CHANNELS;
    static final int FRAME = AudioModes.FRAME_SAMPLES;

    /** Encodes {@code pcm} frame by frame and decodes it again. */
    static Pcm roundTrip(Pcm pcm) {
        OpusCodec enc = OpusCodec.encoder(RATE, CH);
        OpusCodec dec = OpusCodec.decoder(RATE, CH);
        short[] out = new short[pcm.samples().length];
        for (int f = 0; f + FRAME <= pcm.frames(); f += FRAME) {
            byte[] packet = enc.encode(pcm.slice(f, f + FRAME).samples());
            assertTrue(packet.length > 0 && packet.length <= OpusCodec.MAX_PACKET_BYTES, "packet " + packet.length);
            short[] d = dec.decode(packet);
            assertEquals(FRAME * CH, d.length);
            System.arraycopy(d, 0, out, f * CH, d.length);
        }
        return new Pcm(RATE, CH, out);
    }

    @Test
    void a440HzToneSurvivesOpus() {
        Pcm tone = Pcm.tone(440, 0.25, RATE, CH, RATE);
        Pcm back = roundTrip(tone).slice(RATE / 10, RATE); // past the codec's start-up
        Pcm ref = tone.slice(RATE / 10, RATE);
        for (int c = 0; c < CH; c++) {
            assertEquals(440, back.zeroCrossingHz(c), 1.0, "channel " + c);
            assertTrue(back.goertzel(c, 440) > 0.8 * ref.goertzel(c, 440), "440 Hz power");
            assertTrue(back.goertzel(c, 1000) < 0.01 * ref.goertzel(c, 440), "no 1 kHz");
        }
        assertEquals(ref.rms(), back.rms(), ref.rms() * 0.1, "level within 10 %");
    }

    @Test
    void silenceStaysSilent() {
        Pcm back = roundTrip(new Pcm(RATE, CH, new short[RATE / 10 * CH]));
        assertTrue(back.rms() < 1e-4, "rms " + back.rms());
    }

    @Test
    void framesOfTheWrongSizeAreRefused() {
        OpusCodec enc = OpusCodec.encoder(RATE, CH);
        assertThrows(SpiceProtocolException.class, () -> enc.encode(new short[FRAME * CH - 2]));
        assertThrows(SpiceProtocolException.class, () -> enc.encode(new short[FRAME * CH * 2]));
    }

    @Test
    void garbageIsRefused() {
        OpusCodec dec = OpusCodec.decoder(RATE, CH);
        assertThrows(SpiceProtocolException.class, () -> dec.decode(new byte[0]), "empty");
        assertThrows(SpiceProtocolException.class, () -> dec.decode(new byte[1276]), "over 1275 bytes");
        assertThrows(SpiceProtocolException.class, () -> dec.decode(new byte[] {(byte) 0xff}), "code 3, no count");
        assertThrows(SpiceProtocolException.class, () -> dec.decode(new byte[] {(byte) 0xff, 0}), "zero frames");
        // Three 20 ms CELT frames: 60 ms, more than the 20 ms this decoder takes.
        assertThrows(SpiceProtocolException.class, () -> dec.decode(new byte[] {(byte) 0xff, 3, 1, 2, 3}), "60 ms");
        // And the decoder still works afterwards.
        byte[] ok = OpusCodec.encoder(RATE, CH).encode(new short[FRAME * CH]);
        assertEquals(FRAME * CH, dec.decode(ok).length);
    }

    @Test
    void unsupportedRatesAreRefused() {
        assertThrows(SpiceProtocolException.class, () -> OpusCodec.decoder(44100, 2));
        assertThrows(SpiceProtocolException.class, () -> OpusCodec.encoder(48000, 3));
        assertEquals(160, OpusCodec.decoder(16000, 1).frameSamples());
    }

    @Test
    void wavFilesRoundTrip(@TempDir Path dir) throws Exception {
        Pcm tone = Pcm.tone(1000, 0.5, 22050, 1, 2205);
        Path f = dir.resolve("t.wav");
        Wav.write(f, tone);
        assertEquals(44 + 2205 * 2, Files.size(f));
        Pcm back = Wav.read(f);
        assertEquals(22050, back.rate());
        assertEquals(1, back.channels());
        assertArrayEquals(tone.samples(), back.samples());
        Files.write(dir.resolve("bad.wav"), new byte[] {1, 2, 3});
        assertThrows(java.io.IOException.class, () -> Wav.read(dir.resolve("bad.wav")));
    }

    @Test
    void conversionKeepsTheTone() {
        Pcm mono = Pcm.tone(440, 0.3, 44100, 1, 44100);
        Pcm st = mono.convert(48000, 2);
        assertEquals(48000, st.frames());
        assertEquals(440, st.zeroCrossingHz(1), 1.0);
        assertEquals(mono.rms(), st.rms(), 0.005);
    }
}
