package org.spice.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** PNG files as ImageIO (an independent reader) sees them, and their chunks as the PNG specification lays them out. */
class PngFileTest {
    private static final int[][] SIZES = {{1, 1}, {1, 9}, {9, 1}, {7, 5}, {300, 200}};

    @Test
    void imageIoReadsBackEveryRgbPixel() throws Exception {
        for (int[] size : SIZES) {
            int[] px = random(size[0] * size[1], size[0]);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png(size[0], size[1], px, false)));
            assertEquals(size[0], img.getWidth());
            assertEquals(size[1], img.getHeight());
            assertEquals(false, img.getColorModel().hasAlpha());
            for (int i = 0; i < px.length; i++) {
                assertEquals(px[i] & 0xffffff, img.getRGB(i % size[0], i / size[0]) & 0xffffff,
                        size[0] + "x" + size[1] + " pixel " + i);
            }
        }
    }

    @Test
    void imageIoReadsBackEveryArgbPixelWithItsAlpha() throws Exception {
        for (int[] size : SIZES) {
            int[] px = random(size[0] * size[1], size[0] + 1);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png(size[0], size[1], px, true)));
            assertTrue(img.getColorModel().hasAlpha());
            for (int i = 0; i < px.length; i++) {
                assertEquals(px[i], img.getRGB(i % size[0], i / size[0]), size[0] + "x" + size[1] + " pixel " + i);
            }
        }
    }

    @Test
    void chunksAreIhdrThenIdatsThenIendEachWithItsCrc() throws Exception {
        // 300x200 random pixels do not compress: their data spans several 64 KiB IDAT chunks
        byte[] file = png(300, 200, random(300 * 200, 3), false);
        ByteBuffer b = ByteBuffer.wrap(file);
        byte[] signature = new byte[8];
        b.get(signature);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, signature);
        List<String> types = new ArrayList<>();
        while (b.hasRemaining()) {
            int length = b.getInt();
            byte[] typeAndData = new byte[4 + length];
            b.get(typeAndData);
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            String type = new String(typeAndData, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals((int) crc.getValue(), b.getInt(), "CRC of chunk " + types.size() + " " + type);
            if (type.equals("IHDR")) {
                ByteBuffer h = ByteBuffer.wrap(typeAndData, 4, length);
                assertEquals(13, length);
                assertEquals(300, h.getInt());
                assertEquals(200, h.getInt());
                assertArrayEquals(new byte[] {8, 2, 0, 0, 0}, new byte[] {h.get(), h.get(), h.get(), h.get(), h.get()});
            }
            if (type.equals("IDAT")) {
                assertTrue(length > 0 && length <= 1 << 16, "IDAT of " + length + " bytes");
            }
            types.add(type);
        }
        assertEquals("IHDR", types.get(0));
        assertEquals("IEND", types.get(types.size() - 1));
        assertTrue(types.size() >= 5, "several IDAT chunks: " + types);
        assertTrue(types.subList(1, types.size() - 1).stream().allMatch("IDAT"::equals), types.toString());
    }

    @Test
    void refusesSizesThePixelsDoNotHold() {
        assertThrows(IllegalArgumentException.class, () -> png(0, 1, new int[1], false));
        assertThrows(IllegalArgumentException.class, () -> png(1, 0, new int[1], false));
        assertThrows(IllegalArgumentException.class, () -> png(4, 4, new int[15], true));
    }

    private static byte[] png(int width, int height, int[] px, boolean alpha) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PngFile.write(out, width, height, px, alpha);
        return out.toByteArray();
    }

    private static int[] random(int n, long seed) {
        Random r = new Random(seed);
        int[] px = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = r.nextInt();
        }
        return px;
    }
}
