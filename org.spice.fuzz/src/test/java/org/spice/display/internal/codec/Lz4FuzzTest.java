package org.spice.display.internal.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.protocol.SpiceProtocolException;

/**
 * LZ4 images (Lz4Decoder: the four bitmap formats, blocks copying from earlier blocks). Input: [width u16 LE]
 * [height u16 LE][the LZ4 image as in SPICE_IMAGE_TYPE_LZ4's data]; the size comes from the image descriptor on the
 * wire, so the fuzzer may lie about it as a server could. Only SpiceProtocolException may escape.
 */
class Lz4FuzzTest {
    @FuzzTest(maxDuration = "10m")
    void lz4(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int width = in.u16();
        int height = in.u16();
        byte[] lz4 = in.rest();
        try {
            Pixels p = Lz4Decoder.decode(lz4, 0, lz4.length, width, height);
            FuzzChecks.consistent(p);
            if (p.width() != width || p.height() != height) {
                throw new AssertionError("decoded " + p.width() + "x" + p.height() + " for " + width + "x" + height);
            }
        } catch (SpiceProtocolException expected) {
            // refused
        }
    }
}
