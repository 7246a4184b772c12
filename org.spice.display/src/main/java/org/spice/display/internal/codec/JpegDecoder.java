package org.spice.display.internal.codec;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
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
        ImageReader r = READER.get();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data, offset, length))) {
            r.setInput(in, true, true);
            ImageLimits.check(r.getWidth(0), r.getHeight(0), "JPEG");
            BufferedImage img = r.read(0);
            int w = img.getWidth();
            int h = img.getHeight();
            return new Pixels(w, h, packedBgr(img, w) ? fromBgr(img, w, h)
                    : opaque(img.getRGB(0, 0, w, h, null, 0, w)));
        } catch (IOException | RuntimeException e) {
            // a reader that failed half way may keep state from it: the next picture gets a fresh one
            READER.remove();
            r.dispose();
            r = null;
            if (e instanceof SpiceProtocolException s) {
                throw s;
            }
            throw new SpiceProtocolException("JPEG image does not decode: " + e.getMessage(), e);
        } finally {
            if (r != null) {
                r.setInput(null);
            }
        }
    }

    /**
     * One JPEG reader a thread, kept between pictures: looking one up per picture cost more than decoding a small
     * MJPEG frame. Pictures are read from memory: ImageIO.createImageInputStream would copy each through a
     * temporary file (its cache is on by default), a disk write per video frame.
     */
    private static final ThreadLocal<ImageReader> READER = ThreadLocal.withInitial(() -> {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        if (!readers.hasNext()) {
            throw new IllegalStateException("this JDK has no JPEG reader");
        }
        return readers.next();
    });

    /**
     * The colour JPEGs the reader returns hold b, g, r bytes a pixel: packed straight into ints, as getRGB's
     * per-pixel colour model calls took most of the decode.
     */
    private static boolean packedBgr(BufferedImage img, int w) {
        WritableRaster r = img.getRaster();
        return img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && r.getSampleModel() instanceof ComponentSampleModel sm && sm.getPixelStride() == 3
                && sm.getScanlineStride() == 3 * w && r.getDataBuffer().getOffset() == 0
                && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0;
    }

    private static int[] fromBgr(BufferedImage img, int w, int h) {
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        int[] px = new int[w * h];
        for (int i = 0, p = 0; i < px.length; i++, p += 3) {
            px[i] = 0xff000000 | (bgr[p + 2] & 0xff) << 16 | (bgr[p + 1] & 0xff) << 8 | (bgr[p] & 0xff);
        }
        return px;
    }

    private static int[] opaque(int[] px) {
        for (int i = 0; i < px.length; i++) {
            px[i] |= 0xff000000;
        }
        return px;
    }
}
