package org.spice.display.video;

/**
 * Encodes the frames of one video stream, all of the size given when it was opened. Not thread-safe; the display
 * calls it from one encoding task at a time and closes it when the stream ends.
 */
public interface VideoEncoder extends AutoCloseable {
    /**
     * Encodes the {@code width} x {@code height} pixels at {@code offset} of {@code argb}, rows {@code stride} ints
     * apart.
     *
     * @return one frame's data for STREAM_DATA; never empty (an encoder that buffers frames is configured not to)
     */
    byte[] encode(int[] argb, int offset, int stride);

    /** A new target, in bits per second, for the frames from now on (from the client's stream reports). */
    void bitRate(long bitsPerSecond);

    @Override
    void close();
}
