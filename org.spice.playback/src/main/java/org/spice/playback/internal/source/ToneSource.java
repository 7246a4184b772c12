package org.spice.playback.internal.source;

import org.osgi.service.component.annotations.Component;
import org.spice.playback.api.AudioSource;

/**
 * The demo sound: a 440 Hz sine at a quarter of full scale (-12 dBFS) on both channels, without end. Ranked
 * below any other source, so that registering one replaces it.
 */
@Component(property = "service.ranking:Integer=-100")
public final class ToneSource implements AudioSource {
    public static final double HZ = 440;
    public static final double AMPLITUDE = 0.25;

    private final double hz;
    private final double amplitude;
    private final long frames;

    public ToneSource() {
        this(HZ, AMPLITUDE, Long.MAX_VALUE);
    }

    /** A tone that ends after {@code frames} 10 ms frames. */
    public static ToneSource ending(double hz, double amplitude, long frames) {
        return new ToneSource(hz, amplitude, frames);
    }

    private ToneSource(double hz, double amplitude, long frames) {
        this.hz = hz;
        this.amplitude = amplitude;
        this.frames = frames;
    }

    @Override
    public Stream open() {
        return new Stream() {
            private long sample;
            private long read;

            @Override
            public boolean read(short[] frame) {
                if (read++ >= frames) {
                    return false;
                }
                double step = 2 * Math.PI * hz / RATE;
                for (int i = 0; i < FRAME_SAMPLES; i++) {
                    // The phase from the sample index modulo one period keeps the tone exact however long it runs.
                    double phase = step * (sample++ % (long) (RATE * 100));
                    short v = (short) Math.round(Math.sin(phase) * amplitude * 32767);
                    for (int c = 0; c < CHANNELS; c++) {
                        frame[i * CHANNELS + c] = v;
                    }
                }
                return true;
            }
        };
    }
}
