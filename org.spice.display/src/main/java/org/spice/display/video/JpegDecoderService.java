package org.spice.display.video;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A JPEG decoder that a client's display uses, where one is registered, for the JPEG of SPICE {@code JPEG} and
 * {@code JPEG_ALPHA} images and of MJPEG stream frames instead of its own (the JDK's ImageIO, much slower than
 * libjpeg-turbo). Thread-safe: display channels decode on their own threads.
 */
@ConsumerType
public interface JpegDecoderService {
    /**
     * Decodes {@code data[offset, offset + length)}.
     *
     * @return the pixels, opaque, top row first; or null when this decoder cannot run here (its native library did
     *     not load), and the display decodes with its own
     * @throws VideoCodecException when the data is not a JPEG this decoder decodes, or the size in its header is over
     *     {@code maxSide} per side or {@code maxPixels} in all, which is checked before the picture is allocated
     */
    VideoPicture decode(byte[] data, int offset, int length, int maxSide, long maxPixels);

    /**
     * As {@link #decode(byte[], int, int, int, long)}, writing the picture into {@code into} where that holds exactly
     * the picture's pixels and this decoder can, and returning it as the picture's array (MJPEG frames decode into
     * the arrays of pictures the display no longer shows). The default ignores it.
     *
     * @param into an array this decoder may fill and return, or null
     */
    default VideoPicture decode(byte[] data, int offset, int length, int maxSide, long maxPixels, int[] into) {
        return decode(data, offset, length, maxSide, maxPixels);
    }
}
