package org.spice.record.api;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/** What one client session's record channel is sending, as of now. */
@ProviderType
public interface ClientRecord {
    /** Whether the server has started recording and not stopped it. */
    boolean recording();

    /** How many start and stop messages the server has sent on this channel. */
    int starts();

    int stops();

    /** The data mode this client chose (org.spice.audio.AudioModes), 0 before the server's start. */
    int mode();

    /** Rate and channels of the server's last start message; 0 before one. */
    int rate();

    int channels();

    /** Data messages sent and samples per channel in them. */
    long packets();

    long frames();

    /** Whether the microphone file has been sent to its end (without one nothing is sent, and nothing ends). */
    boolean sourceEnded();

    /** What is sent: the source, the WAV file, or "nothing (no microphone)". */
    String source();

    /** Per-channel volume (0..65535) of the server's last volume message, empty before one. */
    int[] volume();

    boolean muted();

    /**
     * From now on the channel sends what {@code source} gives instead of the configured microphone file; null goes
     * back to the file (or to sending nothing).
     */
    void source(Source source);

    /** Sound the channel takes, in 10 ms frames, while the server records. */
    @ConsumerType
    interface Source {
        /**
         * Fills {@code frame} (interleaved, {@code rate} and {@code channels} of the server's start) and returns
         * true, or returns false when it has no whole frame now. Every 10 ms the channel sends frames until this
         * returns false (20 at most), so the source sets the pace: a relay forwards sound as it arrives. Called on
         * the channel's thread; must not block.
         */
        boolean read(short[] frame, int rate, int channels);
    }
}
