package org.spice.audio;

import java.util.Arrays;

/**
 * Interleaved signed 16-bit PCM with its rate and channel count, and the measurements the tests and the
 * {@code spice listen} command report: level and dominant frequency.
 */
public record Pcm(int rate, int channels, short[] samples) {

    public Pcm {
        if (rate <= 0 || channels <= 0 || samples.length % channels != 0) {
            throw new IllegalArgumentException(channels + " channels at " + rate + " Hz with " + samples.length
                    + " samples");
        }
    }

    /** Samples per channel. */
    public int frames() {
        return samples.length / channels;
    }

    public double seconds() {
        return frames() / (double) rate;
    }

    /** A sine of {@code hz} at {@code amplitude} (0..1 of full scale) on every channel. */
    public static Pcm tone(double hz, double amplitude, int rate, int channels, int frames) {
        short[] s = new short[frames * channels];
        for (int i = 0; i < frames; i++) {
            short v = (short) Math.round(Math.sin(2 * Math.PI * hz * i / rate) * amplitude * 32767);
            for (int c = 0; c < channels; c++) {
                s[i * channels + c] = v;
            }
        }
        return new Pcm(rate, channels, s);
    }

    /** Frames {@code from} (inclusive) to {@code to} (exclusive). */
    public Pcm slice(int from, int to) {
        return new Pcm(rate, channels, Arrays.copyOfRange(samples, from * channels, to * channels));
    }

    /** One channel's samples. */
    public short[] channel(int c) {
        short[] out = new short[frames()];
        for (int i = 0; i < out.length; i++) {
            out[i] = samples[i * channels + c];
        }
        return out;
    }

    /** Root mean square over all channels, 0..1 of full scale. */
    public double rms() {
        if (samples.length == 0) {
            return 0;
        }
        double sum = 0;
        for (short v : samples) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / samples.length) / 32768.0;
    }

    /** The frequency of channel {@code c} estimated from its rising zero crossings, in Hz; 0 for silence. */
    public double zeroCrossingHz(int c) {
        short[] x = channel(c);
        int first = -1;
        int last = -1;
        int crossings = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                if (first < 0) {
                    first = i;
                } else {
                    crossings++;
                }
                last = i;
            }
        }
        return crossings == 0 ? 0 : crossings * (double) rate / (last - first);
    }

    /** The relative power of {@code hz} in channel {@code c} (Goertzel), normalised so a full-scale sine is 1. */
    public double goertzel(int c, double hz) {
        short[] x = channel(c);
        if (x.length == 0) {
            return 0;
        }
        double w = 2 * Math.PI * hz / rate;
        double k = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (short v : x) {
            double s0 = v / 32768.0 + k * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - k * s1 * s2;
        return 4 * power / ((double) x.length * x.length);
    }

    /** This sound with {@code toChannels} channels at {@code toRate} Hz (channel mix and linear interpolation). */
    public Pcm convert(int toRate, int toChannels) {
        Pcm p = this;
        if (toChannels != channels) {
            short[] s = new short[frames() * toChannels];
            for (int i = 0; i < frames(); i++) {
                for (int c = 0; c < toChannels; c++) {
                    int v;
                    if (channels == 1) {
                        v = samples[i];
                    } else if (toChannels == 1) {
                        int sum = 0;
                        for (int k = 0; k < channels; k++) {
                            sum += samples[i * channels + k];
                        }
                        v = sum / channels;
                    } else {
                        v = samples[i * channels + Math.min(c, channels - 1)];
                    }
                    s[i * toChannels + c] = (short) v;
                }
            }
            p = new Pcm(rate, toChannels, s);
        }
        if (toRate != rate) {
            int n = (int) ((long) p.frames() * toRate / rate);
            short[] s = new short[n * toChannels];
            for (int i = 0; i < n; i++) {
                double pos = (double) i * rate / toRate;
                int i0 = (int) pos;
                int i1 = Math.min(i0 + 1, p.frames() - 1);
                double f = pos - i0;
                for (int c = 0; c < toChannels; c++) {
                    double v = p.samples[i0 * toChannels + c] * (1 - f) + p.samples[i1 * toChannels + c] * f;
                    s[i * toChannels + c] = (short) Math.round(v);
                }
            }
            p = new Pcm(toRate, toChannels, s);
        }
        return p;
    }

    /** Little-endian bytes of {@code s[off..off+len)}. */
    public static byte[] toBytes(short[] s, int off, int len) {
        byte[] b = new byte[len * 2];
        for (int i = 0; i < len; i++) {
            b[2 * i] = (byte) s[off + i];
            b[2 * i + 1] = (byte) (s[off + i] >> 8);
        }
        return b;
    }

    /** Samples from little-endian bytes; the length must be even. */
    public static short[] fromBytes(byte[] b) {
        if ((b.length & 1) != 0) {
            throw new IllegalArgumentException("odd byte count " + b.length);
        }
        short[] s = new short[b.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
        }
        return s;
    }
}
