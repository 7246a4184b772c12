package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.display.internal.codec.GoldenImages.draws;
import static org.spice.display.internal.codec.GoldenImages.reference;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The LZ4 images QEMU 7.2 sent our client that asked for LZ4 (the SeaBIOS screen, then its blinking text cursor),
 * decoded and compared with spicy-screenshot's picture of the same screen.
 */
class Lz4GoldenTest {
    static final int IMAGE_LZ4 = 109;

    /**
     * Draw 0 is the whole screen; draws 1..13 are the text cursor's 9x2 box at (0,77), on and off in turn. The
     * screen equals spicy-screenshot's picture outside that box, and each cursor image is either the picture's box
     * (cursor on) or black (off); both occur.
     */
    @Test
    void theImagesAreTheScreenshotAndItsBlinkingCursor() {
        List<GoldenImages.Draw> draws = draws("lz4-screenshot");
        assertEquals(14, draws.size());
        Pixels expected = reference("lz4-screenshot");
        Pixels[] px = new Pixels[draws.size()];
        for (int i = 0; i < px.length; i++) {
            GoldenImages.Draw d = draws.get(i);
            assertEquals(IMAGE_LZ4, d.imageType());
            byte[] data = d.data();
            assertEquals(1, data[0], "top-down");
            assertEquals(BitmapCodec.FMT_32BIT, data[1], "RGB32");
            px[i] = Lz4Decoder.decode(data, 0, data.length, d.right() - d.left(), d.bottom() - d.top());
        }
        assertEquals(720, px[0].width());
        assertEquals(400, px[0].height());
        int outside = 0;
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 720; x++) {
                boolean cursorBox = x < 9 && y >= 77 && y < 79;
                if (!cursorBox && (px[0].argb()[y * 720 + x] & 0xffffff) != (expected.argb()[y * 720 + x] & 0xffffff)) {
                    outside++;
                }
            }
        }
        assertEquals(0, outside, "pixels of the screen image that differ from the screenshot outside the cursor");
        int on = 0;
        int off = 0;
        for (int i = 1; i < px.length; i++) {
            GoldenImages.Draw d = draws.get(i);
            assertEquals(List.of(77, 0, 79, 9), List.of(d.top(), d.left(), d.bottom(), d.right()));
            boolean black = true;
            boolean same = true;
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 9; x++) {
                    int v = px[i].argb()[y * 9 + x] & 0xffffff;
                    black &= v == 0;
                    same &= v == (expected.argb()[(77 + y) * 720 + x] & 0xffffff);
                }
            }
            assertTrue(black || same, "cursor image " + i + " is neither the screenshot's cursor nor black");
            on += same && !black ? 1 : 0;
            off += black ? 1 : 0;
        }
        assertTrue(on > 0 && off > 0, "the cursor never blinks: on " + on + ", off " + off);
    }
}
