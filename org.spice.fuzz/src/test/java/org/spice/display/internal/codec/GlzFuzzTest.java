package org.spice.display.internal.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.protocol.SpiceProtocolException;

/**
 * GLZ and ZLIB_GLZ images (GlzDecoder) decoded one after the other into one GlzWindow, so that later images copy
 * from earlier ones (and from images the window lacks or dropped). Input: [palette entries n u8][n x u32 LE], then
 * images, each [kind u8: bit 0 ZLIB_GLZ][length u16 LE][payload]; a ZLIB_GLZ payload is [glz_data_size u32 LE]
 * [zlib data]. Only SpiceProtocolException may escape, and a failed image leaves the window usable.
 */
class GlzFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void glz(byte[] input) {
        run(input, false);
    }

    @FuzzTest(maxDuration = "10m")
    void zlibGlz(byte[] input) {
        run(input, true);
    }

    private static void run(byte[] input, boolean zlibAllowed) {
        FuzzInput in = new FuzzInput(input);
        int[] palette = in.palette();
        // A small window: dropping images for room is exercised too.
        GlzDecoder decoder = new GlzDecoder(new GlzWindow(1 << 14));
        while (in.remaining() > 0) {
            boolean zlib = zlibAllowed && (in.u8() & 1) != 0;
            if (!zlibAllowed) {
                in.u8();
            }
            FuzzInput payload = new FuzzInput(in.bytes(in.u16()));
            try {
                Pixels p;
                if (zlib) {
                    int glzSize = payload.i32();
                    byte[] z = payload.rest();
                    p = decoder.decodeZlibGlz(z, 0, z.length, glzSize, palette);
                } else {
                    byte[] g = payload.rest();
                    p = decoder.decode(g, 0, g.length, palette);
                }
                FuzzChecks.consistent(p);
            } catch (SpiceProtocolException expected) {
                // refused; the next image may still decode
            }
        }
    }
}
