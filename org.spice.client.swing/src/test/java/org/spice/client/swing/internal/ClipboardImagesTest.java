package org.spice.client.swing.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.datatransfer.DataFlavor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Clipboard images to and from the agent's PNG, and their bounds. */
class ClipboardImagesTest {
    @Test
    void anImageGoesToPngAndBackWithItsPixels() throws IOException {
        BufferedImage image = pattern(37, 23);
        BufferedImage back = ClipboardImages.decode(ClipboardImages.encode(image));
        assertEquals(37, back.getWidth());
        assertEquals(23, back.getHeight());
        assertArrayEquals(image.getRGB(0, 0, 37, 23, null, 0, 37), back.getRGB(0, 0, 37, 23, null, 0, 37));
        assertEquals(ClipboardImages.fingerprint(image), ClipboardImages.fingerprint(back));
    }

    @Test
    void aChangedPixelChangesTheFingerprint() {
        BufferedImage a = pattern(20, 10);
        BufferedImage b = pattern(20, 10);
        b.setRGB(19, 9, b.getRGB(19, 9) ^ 1);
        assertNotEquals(ClipboardImages.fingerprint(a), ClipboardImages.fingerprint(b));
    }

    /** A PNG header saying 20000x20 is refused from the header, before its pixels are allocated. */
    @Test
    void aPngWiderThanTheLimitIsRefused() throws IOException {
        IOException e = assertThrows(IOException.class, () -> ClipboardImages.decode(pngHeader(20000, 20)));
        assertTrue(e.getMessage().contains("20000x20"), e.getMessage());
        assertThrows(IOException.class, () -> ClipboardImages.decode(pngHeader(20, 16385)));
    }

    @Test
    void aPngOverTheByteLimitIsRefusedUnread() {
        IOException e = assertThrows(IOException.class,
                () -> ClipboardImages.decode(new byte[ClipboardImages.MAX_PNG_BYTES + 1]));
        assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
    }

    @Test
    void bytesThatAreNoPngAreRefused() {
        assertThrows(IOException.class, () -> ClipboardImages.decode("not a png".getBytes()));
    }

    @Test
    void aLocalImageOverTheLimitIsNotEncoded() {
        assertThrows(IOException.class,
                () -> ClipboardImages.encode(new BufferedImage(ClipboardImages.MAX_SIDE + 1, 1,
                        BufferedImage.TYPE_INT_RGB)));
    }

    @Test
    void theSelectionOffersAnImage() throws Exception {
        BufferedImage image = pattern(3, 3);
        ClipboardImages.Selection s = new ClipboardImages.Selection(image);
        assertTrue(s.isDataFlavorSupported(DataFlavor.imageFlavor));
        assertEquals(image, s.getTransferData(DataFlavor.imageFlavor));
        assertThrows(java.awt.datatransfer.UnsupportedFlavorException.class,
                () -> s.getTransferData(DataFlavor.stringFlavor));
    }

    private static BufferedImage pattern(int width, int height) {
        BufferedImage b = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                b.setRGB(x, y, (x * 7) << 16 | (y * 11) << 8 | (x ^ y) * 5);
            }
        }
        return b;
    }

    /** The PNG signature and an IHDR chunk (8-bit RGB) for that size, and nothing more. */
    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream c = new DataOutputStream(chunk);
        c.writeBytes("IHDR");
        c.writeInt(width);
        c.writeInt(height);
        c.write(new byte[] {8, 2, 0, 0, 0});
        byte[] typeAndData = chunk.toByteArray();
        out.writeInt(typeAndData.length - 4);
        out.write(typeAndData);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }
}
