package org.spice.display.internal.raster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spice.desktop.Rect;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.wire.DisplayMessages;

/**
 * Images whose top byte is not alpha ({@link Pixels#opaque}: a 32BIT LZ4 image keeps SPICE's unused byte as sent)
 * read as alpha 0xff wherever they are drawn from: copied, scaled, sampled, tiled as a brush. Pixels whose top byte
 * is alpha keep it.
 */
class OpaqueImageTest {
    private static final int[] SENT = {0x00112233, 0x40445566};
    private static final Pixels OPAQUE = new Pixels(2, 1, SENT.clone(), true);
    private static final Pixels WITH_ALPHA = new Pixels(2, 1, SENT.clone());
    private static final Rect BOX = new Rect(0, 0, 2, 1);

    @Test
    void aCopyMakesTheUnusedByteOpaqueOnEverySurfaceFormat() {
        for (int format : new int[] {DisplayMessages.SURFACE_FMT_32_ARGB, DisplayMessages.SURFACE_FMT_32_XRGB}) {
            Surface s = new Surface(2, 1, format);
            s.put(OPAQUE, 0, 0, BOX, null);
            assertArrayEquals(new int[] {0xff112233, 0xff445566}, s.px, "format " + format);
        }
        Surface alpha = new Surface(2, 1, DisplayMessages.SURFACE_FMT_8_A);
        alpha.put(OPAQUE, 0, 0, BOX, null);
        assertArrayEquals(new int[] {0xff000000, 0xff000000}, alpha.px);
        Surface argb = new Surface(2, 1, DisplayMessages.SURFACE_FMT_32_ARGB);
        argb.put(WITH_ALPHA, 0, 0, BOX, null);
        assertArrayEquals(SENT, argb.px);
        // the image itself is left as decoded
        assertArrayEquals(SENT, OPAQUE.argb());
    }

    @Test
    void aScaledCopyMakesItOpaqueToo() {
        Surface s = new Surface(4, 1, DisplayMessages.SURFACE_FMT_32_ARGB);
        s.putScaled(OPAQUE, BOX, new Rect(0, 0, 4, 1), null);
        assertArrayEquals(new int[] {0xff112233, 0xff112233, 0xff445566, 0xff445566}, s.px);
    }

    @Test
    void samplingAndBrushPatternsReadItAsOpaque() {
        assertEquals(0xff445566L, Sampling.fetch(OPAQUE, 1, 0, Sampling.REPEAT_NONE, false));
        assertEquals(0x40445566L, Sampling.fetch(WITH_ALPHA, 1, 0, Sampling.REPEAT_NONE, false));
        assertEquals(0xff112233, new Brush(Brush.PATTERN, 0, OPAQUE, 0, 0).at(2, 0));
        assertEquals(0x00112233, new Brush(Brush.PATTERN, 0, WITH_ALPHA, 0, 0).at(2, 0));
    }
}
