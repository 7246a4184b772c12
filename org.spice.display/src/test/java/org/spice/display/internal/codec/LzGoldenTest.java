package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.display.internal.codec.GoldenImages.*;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LZ images QEMU sent to spice-gtk, decoded and compared with what spicy-screenshot saved. */
class LzGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"lz-screenshot", "lz-screenshot-menu"})
    void wholeScreenImageEqualsTheScreenshot(String dir) {
        List<Draw> draws = draws(dir);
        assertEquals(1, draws.size());
        Draw d = draws.get(0);
        assertEquals(IMAGE_LZ_RGB, d.imageType());
        Pixels expected = reference(dir);

        Pixels px = LzDecoder.decode(d.data(), 0, d.data().length, null);

        assertEquals(720, px.width());
        assertEquals(400, px.height());
        assertEquals(0, rgbDifferences(px, expected), () -> firstDifference(px, expected));
        assertTrue(Arrays.stream(px.argb()).allMatch(p -> p >>> 24 == 0xff), "RGB32 decodes opaque");
    }

    @Test
    void headerOfTheCapturedStream() {
        byte[] data = draws("lz-screenshot").get(0).data();
        // "  ZL", version 1.1, RGB32, 720 x 400, stride 2880, top_down 1
        assertEquals("20205a4c0001000100000008000002d0000001900000" + "0b4000000001",
                java.util.HexFormat.of().formatHex(data, 0, LzDecoder.HEADER_SIZE));
    }

    @Test
    void sessionOfSmallImagesComposesTheScreenshot() {
        List<Draw> draws = draws("lz-session");
        Pixels screen = blackScreen();
        // Draw 0 is the 640x480 surface QEMU had before SeaBIOS set the 720x400 text mode.
        Draw first = draws.get(0);
        Pixels before = LzDecoder.decode(first.data(), 0, first.data().length, null);
        assertEquals(640, before.width());
        assertEquals(480, before.height());
        for (Draw d : draws.subList(1, draws.size())) {
            assertEquals(IMAGE_LZ_RGB, d.imageType());
            Pixels px = LzDecoder.decode(d.data(), 0, d.data().length, null);
            assertEquals(d.width(), px.width());
            assertEquals(d.height(), px.height());
            blit(screen, d, px);
        }
        Pixels expected = reference("lz-session");
        assertEquals(0, rgbDifferences(screen, expected), () -> firstDifference(screen, expected));
    }

    static Pixels blackScreen() {
        int[] argb = new int[720 * 400];
        Arrays.fill(argb, 0xff000000);
        return new Pixels(720, 400, argb);
    }
}
