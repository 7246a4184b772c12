package org.spice.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VgaRampTest {
    /** QEMU's VGA widens the DAC's 6 bits as (v << 2) | (v & 1) << 1 | (v & 1). */
    @Test
    void greysWidenAsQemusVgaDoes() {
        assertEquals(0, VgaRamp.grey(0));
        assertEquals(0, VgaRamp.grey(3));
        assertEquals(7, VgaRamp.grey(4));
        assertEquals(8, VgaRamp.grey(8));
        assertEquals(255, VgaRamp.grey(255));
    }

    @Test
    void everyFrameIsFoundAgainInItsOwnPictureAndInAnyArea() {
        int[] rgb = new int[VgaRamp.WIDTH * VgaRamp.HEIGHT];
        for (int t : new int[] {0, 1, 2, 37, 255, 256, 510, 511}) {
            for (boolean noisy : new boolean[] {false, true}) {
                VgaRamp.draw(t, noisy, rgb);
                assertEquals(t, VgaRamp.frameOf(rgb, 0, 0, VgaRamp.WIDTH, VgaRamp.HEIGHT, noisy), "whole, t " + t);
                assertEquals(t, VgaRamp.frameOf(rgb, 0, 380, VgaRamp.WIDTH, 20, noisy), "a strip, t " + t);
                assertEquals(0, VgaRamp.squaredError(rgb, 0, 0, VgaRamp.WIDTH, VgaRamp.HEIGHT, t, noisy));
            }
        }
    }

    @Test
    void psnrOfACopyIsInfiniteAndOfAFrameOffByOneLevelIs48Db() {
        assertEquals(Double.POSITIVE_INFINITY, VgaRamp.psnr(0, 100));
        assertEquals(48.13, VgaRamp.psnr(300, 300), 0.01);
        int[] rgb = new int[VgaRamp.WIDTH * VgaRamp.HEIGHT];
        VgaRamp.draw(9, false, rgb);
        long e = VgaRamp.squaredError(rgb, 0, 0, VgaRamp.WIDTH, VgaRamp.HEIGHT, 10, false);
        assertTrue(e > 0, "the next frame differs");
    }
}
