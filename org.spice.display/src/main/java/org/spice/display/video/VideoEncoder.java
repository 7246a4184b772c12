package org.spice.display.video;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Encodes the frames of one video stream, all of the size given when it was opened. Not thread-safe; the display
 * calls it from one encoding task at a time and closes it when the stream ends.
 */
@ConsumerType
public interface VideoEncoder extends AutoCloseable {
    /**
     * Encodes the {@code width} x {@code height} pixels at {@code offset} of {@code argb}, rows {@code stride} ints
     * apart.
     *
     * @return one frame's data for STREAM_DATA, or an empty array when the encoder's rate control skipped the frame
     *     (encoders are set up not to hold frames back, so a frame's data never arrives with a later one)
     */
    byte[] encode(int[] argb, int offset, int stride);

    /** A new target, in bits per second, for the frames from now on (from the client's stream reports). */
    void bitRate(long bitsPerSecond);

    @Override
    void close();
}
