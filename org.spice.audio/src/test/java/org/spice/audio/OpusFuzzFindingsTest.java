package org.spice.audio;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.spice.protocol.SpiceProtocolException;

/**
 * What the playback fuzz test found (docs/fuzzing.md): two Opus packets after which Concentus's SILK decoder throws
 * {@code AssertionError} (its invariant checks are unconditional, enabled or not), which escaped the decoder. The
 * second is refused as every malformed packet is, and the decoder goes on with the next.
 */
class OpusFuzzFindingsTest {
    static byte[] resource(String name) throws IOException {
        try (InputStream in = OpusFuzzFindingsTest.class.getResourceAsStream("/fuzz-findings/opus/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aPacketThatBreaksConcentusInvariantsIsRefused() throws IOException {
        OpusCodec decoder = OpusCodec.decoder(48000, 2);
        decoder.decode(resource("silk-assertion-48000-stereo-1.opus"));
        byte[] second = resource("silk-assertion-48000-stereo-2.opus");
        assertThrows(SpiceProtocolException.class, () -> decoder.decode(second));
        // a good packet still decodes afterwards
        OpusCodec encoder = OpusCodec.encoder(48000, 2);
        decoder.decode(encoder.encode(new short[AudioModes.FRAME_SAMPLES * 2]));
    }
}
