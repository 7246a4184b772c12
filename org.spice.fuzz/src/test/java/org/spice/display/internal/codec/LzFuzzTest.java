package org.spice.display.internal.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.protocol.SpiceProtocolException;

/**
 * LZ images (LzDecoder: LZ_RGB, LZ_PLT and every other LZ type, and the XXXA alpha of JPEG_ALPHA). Input:
 * [palette entries n u8][n x u32 LE][the LZ stream]. Only SpiceProtocolException may escape.
 */
class LzFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void lz(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int[] palette = in.palette();
        byte[] lz = in.rest();
        try {
            FuzzChecks.consistent(LzDecoder.decode(lz, 0, lz.length, palette));
        } catch (SpiceProtocolException expected) {
            // refused
        }
        // The same stream as the alpha of a picture of the size its header claims (when that size is small).
        if (lz.length >= LzDecoder.HEADER_SIZE) {
            long w = LzFormat.u32(lz, 12);
            long h = LzFormat.u32(lz, 16);
            if (w > 0 && h > 0 && w <= 1 << 16 && h <= 1 << 16 && w * h <= 1 << 16) {
                Pixels target = new Pixels((int) w, (int) h, new int[(int) (w * h)]);
                try {
                    LzDecoder.decodeAlpha(lz, 0, lz.length, target);
                } catch (SpiceProtocolException expected) {
                    // refused
                }
            }
        }
    }
}
