package org.spice.playback.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the server's playback channel plays: 48 kHz stereo S16 in frames of 10 ms. Register one as a service;
 * the one with the highest service ranking is used (the bundle's demo tone ranks -100). Each client's playback
 * channel opens its own stream, and reads it from that channel's thread at the pace of real time.
 */
@ConsumerType
public interface AudioSource {
    int RATE = 48000;
    int CHANNELS = 2;
    /** Samples per channel in one frame: 10 ms. */
    int FRAME_SAMPLES = 480;

    /** A new stream, from its beginning. */
    Stream open();

    /** One client's stream. */
    @ConsumerType
    interface Stream extends AutoCloseable {
        /**
         * Fills {@code frame} ({@link #FRAME_SAMPLES} x {@link #CHANNELS} samples, interleaved) with the next
         * 10 ms. Returns false when the sound has ended: the server then sends playback stop.
         */
        boolean read(short[] frame);

        @Override
        default void close() {
        }
    }
}
