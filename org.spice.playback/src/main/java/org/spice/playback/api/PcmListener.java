package org.spice.playback.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the sound a client's playback channel decoded, after the server's volume and mute were applied: what the
 * client plays, e.g. for a gateway that plays it on to its own clients.
 */
@ConsumerType
public interface PcmListener {
    /**
     * {@code samples} are 16-bit samples, {@code channels} interleaved, at {@code rate} Hz. Called on the channel's
     * thread: must return quickly and must not keep or change the array.
     */
    void pcm(short[] samples, int rate, int channels);
}
