package org.spice.display.internal.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.protocol.SpiceProtocolException;

/**
 * Uncompressed bitmaps (BitmapCodec), every format with and without palettes, sizes and strides that lie. Input:
 * [format u8][flags u8: bit 0 top-down][width i32 LE][height i32 LE][stride i32 LE][palette: 0 none, else
 * 1 + entries (u8)][entries x u32 LE][rows]. Only SpiceProtocolException may escape.
 */
class BitmapFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void bitmap(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int format = in.u8();
        boolean topDown = (in.u8() & 1) != 0;
        int width = in.i32();
        int height = in.i32();
        int stride = in.i32();
        int n = in.u8();
        int[] palette = null;
        if (n > 0) {
            palette = new int[n - 1];
            for (int i = 0; i < palette.length; i++) {
                palette[i] = in.i32();
            }
        }
        byte[] rows = in.rest();
        try {
            FuzzChecks.consistent(BitmapCodec.decode(format, width, height, stride, topDown, rows, 0, palette));
        } catch (SpiceProtocolException expected) {
            // refused
        }
    }
}
