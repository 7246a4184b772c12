package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.display.internal.codec.GoldenImages.*;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spice.protocol.SpiceProtocolException;

/**
 * GLZ sessions QEMU sent to spice-gtk: every image decoded through one window, in order, drawn at its box, must
 * give what spicy-screenshot saved afterwards.
 */
class GlzGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"glz-session", "zlib-glz-session"})
    void sessionComposesTheScreenshot(String dir) {
        List<Draw> draws = draws(dir);
        GlzDecoder glz = new GlzDecoder(new GlzWindow());
        Pixels screen = LzGoldenTest.blackScreen();
        assertEquals(IMAGE_LZ_RGB, draws.get(0).imageType(), "the surface before the text mode");
        int zlib = 0;
        for (Draw d : draws.subList(1, draws.size())) {
            Pixels px = decode(glz, d);
            if (d.imageType() == IMAGE_ZLIB_GLZ_RGB) {
                zlib++;
            }
            assertEquals(d.width(), px.width());
            assertEquals(d.height(), px.height());
            assertTrue(Arrays.stream(px.argb()).allMatch(p -> p >>> 24 == 0xff), "RGB32 decodes opaque");
            blit(screen, d, px);
        }
        Pixels expected = reference(dir);
        assertEquals(0, rgbDifferences(screen, expected), () -> firstDifference(screen, expected));
        assertEquals(draws.size() - 1, glz.window().size(), "the server's window reached back to the first image");
        assertEquals(dir.startsWith("zlib"), zlib > 0, zlib + " ZLIB_GLZ_RGB images");
    }

    @Test
    void theCapturedImagesCopyFromEarlierImages() {
        List<Draw> draws = draws("glz-session");
        int crossImage = 0;
        for (Draw d : draws.subList(1, draws.size())) {
            GlzDecoder alone = new GlzDecoder(new GlzWindow());
            try {
                alone.decode(d.data(), 0, d.data().length, null);
            } catch (SpiceProtocolException e) {
                assertTrue(e.getMessage().contains("not in the window"), e.getMessage());
                crossImage++;
            }
        }
        assertEquals(37, crossImage);
    }

    @Test
    void headerOfACapturedStream() {
        byte[] data = draws("glz-session").get(1).data();
        // "  ZL", version 1.1, RGB32 | top_down << 4, 32 x 2, stride 128, id 0, win_head_dist 0
        assertEquals("20205a4c" + "00010001" + "18" + "00000020" + "00000002" + "00000080" + "0000000000000000"
                + "00000000", java.util.HexFormat.of().formatHex(data, 0, GlzDecoder.HEADER_SIZE));
    }

    @Test
    void aWindowTooSmallForTheSessionFailsCleanly() {
        List<Draw> draws = draws("glz-session");
        // Room for one 32x10 tile besides the newest image: the older ones the stream copies from are gone.
        GlzDecoder glz = new GlzDecoder(new GlzWindow(320));
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class, () -> {
            for (Draw d : draws.subList(1, draws.size())) {
                decode(glz, d);
                assertTrue(glz.window().storedPixels() <= 320 + 32 * 13, glz.window().storedPixels() + " pixels");
            }
        });
        assertTrue(e.getMessage().contains("not in the window"), e.getMessage());
    }

    @Test
    void theWindowDropsImagesOutOfTheServersReach() {
        List<Draw> draws = draws("glz-session");
        GlzWindow window = new GlzWindow();
        GlzDecoder glz = new GlzDecoder(window);
        for (Draw d : draws.subList(1, draws.size())) {
            decode(glz, d);
        }
        assertTrue(window.contains(0));
        // An image whose win_head_dist says the server's window starts at the newest image: all older go.
        byte[] next = LzStreams.glz(LzFormat.RGB32, true, 1, 1, 4, 72, 0).rgbLiterals(0x123456).toBytes();
        glz.decode(next, 0, next.length, null);
        assertEquals(1, window.size());
        assertTrue(window.contains(72));
    }

    static Pixels decode(GlzDecoder glz, Draw d) {
        return switch (d.imageType()) {
            case IMAGE_GLZ_RGB -> glz.decode(d.data(), 0, d.data().length, null);
            case IMAGE_ZLIB_GLZ_RGB -> glz.decodeZlibGlz(d.data(), 0, d.data().length, d.glzSize(), null);
            default -> throw new AssertionError("image type " + d.imageType());
        };
    }
}
