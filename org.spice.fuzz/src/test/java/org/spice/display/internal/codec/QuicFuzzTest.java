package org.spice.display.internal.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.protocol.SpiceProtocolException;

/**
 * QUIC images (QuicDecoder): the input is the image's data, after its data_size. Only SpiceProtocolException may
 * escape; a decoded image must have the size its header announced.
 */
class QuicFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void quic(byte[] data) {
        try {
            Pixels p = QuicDecoder.decode(data, 0, data.length);
            FuzzChecks.consistent(p);
        } catch (SpiceProtocolException expected) {
            // refused: the contract
        }
    }
}
