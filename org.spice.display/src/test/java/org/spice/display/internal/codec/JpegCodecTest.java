package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spice.protocol.SpiceProtocolException;

/** JPEG encoder to decoder: lossy, so judged by PSNR; sizes; the decoder's checks before it decodes. */
class JpegCodecTest {
    /** Peak signal to noise ratio over the colour components, in dB. */
    static double psnr(int[] a, int[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift < 24; shift += 8) {
                int d = ((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff);
                se += d * d;
            }
        }
        double mse = se / (3.0 * a.length);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255 * 255 / mse);
    }

    @ParameterizedTest
    @ValueSource(strings = { "photo", "gradient", "flat", "desktop" })
    void picturesComeBackClose(String kind) {
        int w = 333;
        int h = 211;
        int[] src = TestPictures.picture(kind, w, h, 3);
        byte[] jpeg = JpegEncoder.encode(w, h, src, 0, w, JpegEncoder.DEFAULT_QUALITY);
        Pixels p = JpegDecoder.decode(jpeg, 0, jpeg.length);
        assertEquals(w, p.width());
        assertEquals(h, p.height());
        assertTrue(Arrays.stream(p.argb()).allMatch(v -> v >>> 24 == 0xff), "opaque");
        double db = psnr(src, p.argb());
        assertTrue(db > 30, kind + ": " + db + " dB");
        assertTrue(jpeg.length < 4 * w * h / 4, jpeg.length + " bytes");
    }

    @Test
    void qualityTradesSizeForFidelity() {
        int[] src = TestPictures.picture("photo", 400, 300, 4);
        byte[] low = JpegEncoder.encode(400, 300, src, 0, 400, 30);
        byte[] high = JpegEncoder.encode(400, 300, src, 0, 400, 95);
        assertTrue(low.length < high.length);
        assertTrue(psnr(src, JpegDecoder.decode(low, 0, low.length).argb())
                < psnr(src, JpegDecoder.decode(high, 0, high.length).argb()));
    }

    /**
     * The encoder hands the JDK's writer bytes, not ints; the JPEG is the one the writer makes of the same area as an
     * int RGB image (the top byte of each pixel ignored).
     */
    @Test
    void theSameJpegAsTheWriterMakesOfAnIntImage() throws Exception {
        int[] big = TestPictures.picture("photo", 300, 200, 5);
        for (int i = 0; i < big.length; i += 7) {
            big[i] ^= 0x5a000000;
        }
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(100, 50,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 100; x++) {
                img.setRGB(x, y, big[(20 + y) * 300 + 30 + x]);
            }
        }
        javax.imageio.ImageWriter w = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.MemoryCacheImageOutputStream out =
                new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            javax.imageio.ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.85f);
            w.setOutput(out);
            w.write(null, new javax.imageio.IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        assertTrue(Arrays.equals(bytes.toByteArray(), JpegEncoder.encode(100, 50, big, 20 * 300 + 30, 300, 85)));
    }

    @Test
    void edgeSizesAndSubRectangles() {
        for (int[] s : new int[][] { { 1, 1 }, { 1, 17 }, { 17, 1 }, { 15, 9 }, { 2000, 3 } }) {
            int[] src = TestPictures.picture("gradient", s[0], s[1], 1);
            byte[] jpeg = JpegEncoder.encode(s[0], s[1], src, 0, s[0], 90);
            Pixels p = JpegDecoder.decode(jpeg, 0, jpeg.length);
            assertEquals(s[0], p.width());
            assertEquals(s[1], p.height());
        }
        int[] big = TestPictures.picture("photo", 300, 200, 2);
        byte[] jpeg = JpegEncoder.encode(100, 50, big, 20 * 300 + 30, 300, 95);
        assertTrue(psnr(TestPictures.crop(big, 300, 30, 20, 100, 50), JpegDecoder.decode(jpeg, 0, jpeg.length).argb())
                > 30);
        assertThrows(IllegalArgumentException.class, () -> JpegEncoder.encode(4, 4, new int[16], 0, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> JpegEncoder.encode(4, 4, new int[16], 0, 4, 101));
        assertThrows(IllegalArgumentException.class, () -> JpegEncoder.encode(0, 4, new int[16], 0, 4, 85));
        assertThrows(IndexOutOfBoundsException.class, () -> JpegEncoder.encode(4, 4, new int[15], 0, 4, 85));
    }

    @Test
    void theDecoderRefusesTruncatedGarbageAndOversizedImages() {
        int[] src = TestPictures.picture("photo", 64, 64, 1);
        byte[] jpeg = JpegEncoder.encode(64, 64, src, 0, 64, 85);
        assertThrows(SpiceProtocolException.class, () -> JpegDecoder.decode(jpeg, 0, 100));
        assertThrows(SpiceProtocolException.class, () -> JpegDecoder.decode(new byte[50], 0, 50));
        assertThrows(SpiceProtocolException.class, () -> JpegDecoder.decode(new byte[0], 0, 0));
        // the frame header (SOF0: FF C0, length, precision, height, width) made to say 20000 x 20000
        byte[] huge = jpeg.clone();
        int sof = -1;
        for (int i = 0; i + 1 < huge.length; i++) {
            if ((huge[i] & 0xff) == 0xff && (huge[i + 1] & 0xff) == 0xc0) {
                sof = i;
                break;
            }
        }
        assertTrue(sof > 0, "no SOF0 marker");
        huge[sof + 5] = (byte) (20000 >> 8);
        huge[sof + 6] = (byte) 20000;
        huge[sof + 7] = (byte) (20000 >> 8);
        huge[sof + 8] = (byte) 20000;
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class,
                () -> JpegDecoder.decode(huge, 0, huge.length));
        assertTrue(e.getMessage().contains("outside the limits"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> JpegDecoder.decode(jpeg, 10, jpeg.length));
    }
}
