package org.spice.display.internal.codec;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.spice.protocol.SpiceProtocolException;

/**
 * Decodes the JPEG of SPICE {@code JPEG} and {@code JPEG_ALPHA} images and of MJPEG stream frames with the JDK's
 * ImageIO reader. The size in the JPEG header is checked against {@link ImageLimits} before any pixel is decoded.
 */
public final class JpegDecoder {
    private JpegDecoder() {
    }

    /**
     * @return the pixels, opaque, top row first
     * @throws SpiceProtocolException when the data is not a JPEG the JDK decodes, or its size is outside the limits
     */
    public static Pixels decode(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data, offset, length))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
            if (!readers.hasNext()) {
                throw new IllegalStateException("this JDK has no JPEG reader");
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                ImageLimits.check(r.getWidth(0), r.getHeight(0), "JPEG");
                BufferedImage img = r.read(0);
                int w = img.getWidth();
                int h = img.getHeight();
                int[] px = img.getRGB(0, 0, w, h, null, 0, w);
                for (int i = 0; i < px.length; i++) {
                    px[i] |= 0xff000000;
                }
                return new Pixels(w, h, px);
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SpiceProtocolException s) {
                throw s;
            }
            throw new SpiceProtocolException("JPEG image does not decode: " + e.getMessage(), e);
        }
    }
}
