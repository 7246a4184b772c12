package org.spice.display.internal.codec;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG (baseline JFIF, YCbCr 4:2:0) of opaque pixels through the JDK's ImageIO writer: the data of SPICE's
 * {@code JPEG} images and of MJPEG stream frames. Lossy: the server uses it only where the user allows it.
 */
public final class JpegEncoder {
    /** spice-server's default JPEG quality. */
    public static final int DEFAULT_QUALITY = 85;

    private JpegEncoder() {
    }

    /** One JPEG writer a thread, kept between pictures (a lookup per picture cost about as much as a small one). */
    private static final ThreadLocal<ImageWriter> WRITER = ThreadLocal.withInitial(() -> {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JDK has no JPEG writer");
        }
        return writers.next();
    });

    /**
     * Encodes the {@code width x height} pixels at {@code offset} (rows {@code stride} apart; the top byte of each
     * pixel is ignored) at {@code quality} 1 to 100.
     */
    public static byte[] encode(int width, int height, int[] pixels, int offset, int stride, int quality) {
        QuicEncoder.checkArea(width, height, pixels, offset, stride, "JPEG");
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality " + quality + " outside 1..100");
        }
        // Bytes in the order the writer reads them: from an int image it converts each row through the generic
        // raster path, a sample at a time into fresh arrays (most of an MJPEG frame's encode); the JPEG is the same
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        int j = 0;
        for (int y = 0; y < height; y++) {
            for (int i = offset + y * stride, end = i + width; i < end; i++) {
                int p = pixels[i];
                data[j++] = (byte) p;
                data[j++] = (byte) (p >> 8);
                data[j++] = (byte) (p >> 16);
            }
        }
        ImageWriter w = WRITER.get();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, width * height / 4));
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            w.setOutput(out);
            w.write(null, new IIOImage(img, null, null), p);
        } catch (IOException | RuntimeException e) {
            WRITER.remove(); // a writer that failed half way may keep state from it
            w.dispose();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        } finally {
            w.setOutput(null);
        }
        return bytes.toByteArray();
    }
}
