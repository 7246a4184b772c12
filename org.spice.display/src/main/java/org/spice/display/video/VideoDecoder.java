package org.spice.display.video;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decodes the frames of one video stream in the order they arrive. Not thread-safe: one stream, one thread at a
 * time. Native resources are freed by {@link #close()}, which the display calls when the stream ends or the
 * channel closes.
 */
@ConsumerType
public interface VideoDecoder extends AutoCloseable {
    /**
     * Decodes one frame (the data of one STREAM_DATA message).
     *
     * @return the picture, or null when the codec holds it back (it has not produced a picture yet)
     * @throws VideoCodecException for a frame that cannot be decoded (truncated, garbage, a size over the limits);
     *     the display then ends the stream
     */
    VideoPicture decode(byte[] frame);

    /**
     * As {@link #decode(byte[])}, writing the picture into {@code into} where that holds exactly the picture's
     * pixels and this decoder can, and returning it as the picture's array: the display passes the array of a
     * picture it no longer shows, which spares allocating (and zeroing) one a frame. The default ignores it.
     *
     * @param into an array this decoder may fill and return, or null
     */
    default VideoPicture decode(byte[] frame, int[] into) {
        return decode(frame);
    }

    @Override
    void close();
}
