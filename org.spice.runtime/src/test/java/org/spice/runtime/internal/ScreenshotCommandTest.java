package org.spice.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.desktop.Frame;

/** The PNG screenshot writes: the frame's pixels exactly, whatever their unused top byte holds. */
class ScreenshotCommandTest {
    @Test
    void thePngHoldsTheFramesPixelsAndIgnoresTheirTopByte(@TempDir Path dir) throws Exception {
        int w = 7;
        int h = 5;
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 0x1f3b97) & 0xffffff | (i % 3 == 0 ? 0xff000000 : i % 3 == 1 ? 0x5a000000 : 0);
        }
        Path out = dir.resolve("shot.png");
        ScreenshotCommand.write(new Frame(w, h, px, 1), out);
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        assertEquals(false, img.getColorModel().hasAlpha());
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i] & 0xffffff, img.getRGB(i % w, i / w) & 0xffffff, "pixel " + i);
        }
    }
}
