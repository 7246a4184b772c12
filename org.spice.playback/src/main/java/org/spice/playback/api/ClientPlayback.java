package org.spice.playback.api;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** What one client session's playback channel has received, as of now. */
@ProviderType
public interface ClientPlayback {
    /** Whether the server has started playback and not stopped it. */
    boolean playing();

    /** How many start and stop messages the server has sent on this channel. */
    int starts();

    int stops();

    /** The data mode the server chose (org.spice.playback.audio.AudioModes), 0 before its mode message. */
    int mode();

    /** Rate and channels of the last start message; 0 before one. */
    int rate();

    int channels();

    /** Data messages received and samples per channel decoded from them. */
    long packets();

    long frames();

    /** Per-channel volume (0..65535) of the last volume message, empty before one. */
    int[] volume();

    boolean muted();

    /** The latency the server last asked for, in ms, or -1. */
    long latencyMs();

    /** Where the sound goes: the WAV file, "device: NAME", or "none". */
    String output();

    /** The WAV file written, or null when the sound goes to a device or nowhere. */
    Path wavFile();

    /** Hands every decoded packet to {@code listener} from now on. */
    void addPcmListener(PcmListener listener);

    void removePcmListener(PcmListener listener);

    /** Completes once the channel has closed and its output is complete (a WAV file then has its final header). */
    CompletableFuture<Void> closed();
}
