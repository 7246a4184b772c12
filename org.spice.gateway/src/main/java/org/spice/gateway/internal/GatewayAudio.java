package org.spice.gateway.internal;

import java.lang.System.Logger.Level;
import org.spice.playback.api.AudioSource;
import org.spice.playback.api.PcmListener;

/**
 * The VM's sound as our server plays it to every viewer: the upstream playback channel's decoded PCM goes into a
 * ring of {@value #RING_MS} ms, and each viewer's stream reads it at its own pace from where the sound is when it
 * starts, {@value #CUSHION_MS} ms behind. A stream that falls more than {@value #MAX_BEHIND_MS} ms behind jumps ahead (a stopped viewer never holds
 * the sound back), and one that is ahead of the VM gets silence, so viewers hear silence while the VM plays none.
 * Registered with a ranking above the playback bundle's demo tone, so viewers never hear that instead.
 */
final class GatewayAudio implements AudioSource, PcmListener {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");
    static final int RING_MS = 2000;
    static final int MAX_BEHIND_MS = 1000;
    /** Sound buffered before a stream plays, against the jitter between the VM's packets and our frames. */
    static final int CUSHION_MS = 150;
    private static final int SAMPLES_PER_MS = RATE * CHANNELS / 1000;

    private final short[] ring = new short[RING_MS * SAMPLES_PER_MS];
    /** Samples written since the start, over all channels. */
    private long written;
    private boolean toldFormat;

    @Override
    public void pcm(short[] samples, int rate, int channels) {
        if (rate != RATE || channels != CHANNELS) {
            synchronized (this) {
                if (!toldFormat) {
                    toldFormat = true;
                    LOG.log(Level.WARNING, "gateway: the VM plays " + channels + " channels at " + rate + " Hz; only "
                            + CHANNELS + " at " + RATE + " Hz is relayed to viewers, who hear silence");
                }
            }
            return;
        }
        synchronized (this) {
            for (short s : samples) {
                ring[(int) (written++ % ring.length)] = s;
            }
        }
    }

    @Override
    public Stream open() {
        return new Stream() {
            private long at = position();
            /** Silence until {@value #CUSHION_MS} ms are buffered, at the start and after running dry. */
            private boolean waiting = true;

            @Override
            public boolean read(short[] frame) {
                synchronized (GatewayAudio.this) {
                    if (written - at > (long) MAX_BEHIND_MS * SAMPLES_PER_MS) {
                        at = written - (long) CUSHION_MS * SAMPLES_PER_MS;
                    }
                    long buffered = written - at;
                    if (waiting && buffered >= (long) CUSHION_MS * SAMPLES_PER_MS) {
                        waiting = false;
                    }
                    if (waiting || buffered < frame.length) {
                        waiting = true;
                        java.util.Arrays.fill(frame, (short) 0);
                        return true;
                    }
                    for (int i = 0; i < frame.length; i++) {
                        frame[i] = ring[(int) (at++ % ring.length)];
                    }
                    return true;
                }
            }
        };
    }

    private synchronized long position() {
        return written;
    }
}
