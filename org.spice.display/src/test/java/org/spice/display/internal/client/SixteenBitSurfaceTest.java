package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spice.display.internal.wire.DisplayMessages;

/**
 * 16-bit surfaces as spice-gtk's canvas keeps them: brush colours are pixel values of the surface's format (555 or
 * 565, written unconverted at its depth), 32-bit pictures drawn on it are truncated to its bits, and everything
 * reads back widened by repeating the top bits.
 */
class SixteenBitSurfaceTest {
    private static int fill(TestDisplay d, int color, int rop) {
        d.feed(DisplayMessages.DRAW_FILL, new Msg().base(0, 0, 4, 1).solid(color).u16(rop).noMask());
        return d.rgb(0, 0);
    }

    @Test
    void brushColoursAreX1R5G5B5PixelsOnA555Surface() {
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_16_555)) {
            assertEquals(0xff0000, fill(d, 0x7c00, DrawOpsTest.PUT));
            assertEquals(0x00ff00, fill(d, 0x03e0, DrawOpsTest.PUT));
            assertEquals(0x0000ff, fill(d, 0x001f, DrawOpsTest.PUT));
            assertEquals(0x080808, fill(d, 0x0421, DrawOpsTest.PUT)); // 1 in each channel: 00001 -> 00001000
            assertEquals(0xffffff, fill(d, 0x7fff, DrawOpsTest.PUT));
            // XOR of white with red leaves cyan, as XOR of the 16-bit values would
            assertEquals(0x00ffff, fill(d, 0x7c00, DisplayMessages.ROPD_OP_XOR));
        }
    }

    @Test
    void brushColoursAreR5G6B5PixelsOnA565Surface() {
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_16_565)) {
            assertEquals(0xff0000, fill(d, 0xf800, DrawOpsTest.PUT));
            assertEquals(0x00ff00, fill(d, 0x07e0, DrawOpsTest.PUT));
            assertEquals(0x000400, fill(d, 0x0020, DrawOpsTest.PUT)); // green 1 of 63: 000001 -> 00000100
            assertEquals(0x0000ff, fill(d, 0x001f, DrawOpsTest.PUT));
        }
    }

    @Test
    void aThirtyTwoBitPictureIsTruncatedToTheSurfacesBits() {
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_16_555)) {
            d.feed(DisplayMessages.DRAW_COPY, new Msg().base(0, 0, 2, 1).ptr(Msg.bitmap(2, 1, 0x123456, 0xffffff))
                    .area(0, 0, 2, 1).u16(DrawOpsTest.PUT).u8(1).noMask());
            // 0x12 -> 00010 -> 0x10, 0x34 -> 00110 -> 0x31, 0x56 -> 01010 -> 0x52
            assertEquals(0x103152, d.rgb(0, 0));
            assertEquals(0xffffff, d.rgb(1, 0));
        }
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_16_565)) {
            d.feed(DisplayMessages.DRAW_COPY, new Msg().base(0, 0, 1, 1).ptr(Msg.bitmap(1, 1, 0x123456))
                    .area(0, 0, 1, 1).u16(DrawOpsTest.PUT).u8(1).noMask());
            assertEquals(0x103452, d.rgb(0, 0)); // green 0x34 -> 001101 (6 bits) -> 0x34
        }
    }

    @Test
    void theTransparentKeyIsASixteenBitColour() {
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_16_555)) {
            d.feed(DisplayMessages.DRAW_TRANSPARENT, new Msg().base(0, 0, 3, 1)
                    .ptr(Msg.bitmap(3, 1, 0xfc0004, 0x00ff00, 0xff0000)).area(0, 0, 3, 1).u32(0).u32(0x7c00));
            // 0xfc0004 and 0xff0000 are both 0x7c00 in 555: the key; the green pixel is drawn
            assertArrayEquals(new int[] {0, 0x00ff00, 0, 0}, java.util.Arrays.copyOf(d.rgb(), 4));
        }
    }
}
