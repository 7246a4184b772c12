package org.spice.audio;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import org.spice.protocol.SpiceProtocolException;

/**
 * Opus as spice-common's snd_codec uses it: one encoder or decoder per stream, application AUDIO, interleaved
 * S16 frames of {@link AudioModes#FRAME_SAMPLES} samples per channel, packets of at most
 * {@link #MAX_PACKET_BYTES}. An instance keeps the codec state of one stream, so it is not thread-safe; its
 * methods do no I/O. Malformed input throws {@link SpiceProtocolException}.
 */
public final class OpusCodec {
    /** spice-server's SND_CODEC_OPUS_COMPRESSED_FRAME_BYTES: the largest packet it makes. */
    public static final int MAX_PACKET_BYTES = 480;
    /** The largest packet this decoder accepts (Opus' own limit for one frame). */
    public static final int MAX_DECODE_PACKET_BYTES = 1275;
    /** The longest frame this decoder accepts, in samples per channel: 20 ms at 48 kHz. */
    public static final int MAX_DECODE_FRAME_SAMPLES = 960;

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    private final int rate;
    private final int channels;
    private final OpusEncoder encoder;
    private final OpusDecoder decoder;

    private OpusCodec(int rate, int channels, boolean encode) {
        if (!isCapable(rate) || channels < 1 || channels > 2) {
            throw new SpiceProtocolException("Opus cannot code " + channels + " channels at " + rate + " Hz");
        }
        this.rate = rate;
        this.channels = channels;
        try {
            if (encode) {
                encoder = new OpusEncoder(rate, channels, OpusApplication.OPUS_APPLICATION_AUDIO);
                decoder = null;
            } else {
                encoder = null;
                decoder = new OpusDecoder(rate, channels);
            }
        } catch (OpusException e) {
            throw new SpiceProtocolException("Opus codec for " + channels + " channels at " + rate + " Hz: "
                    + e.getMessage(), e);
        }
    }

    /** The rates spice-common's snd_codec_is_capable accepts for Opus. */
    public static boolean isCapable(int rate) {
        return rate == 48000 || rate == 24000 || rate == 16000 || rate == 12000 || rate == 8000;
    }

    public static OpusCodec encoder(int rate, int channels) {
        return new OpusCodec(rate, channels, true);
    }

    public static OpusCodec decoder(int rate, int channels) {
        return new OpusCodec(rate, channels, false);
    }

    /**
     * Codes two seconds of a tone once per JVM on a background thread, so that the JIT has compiled the codec
     * before a real stream needs it: a cold encoder is slower than real time for its first second or so.
     */
    public static void warmUp() {
        if (!WARMED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            OpusCodec enc = encoder(AudioModes.RATE, AudioModes.CHANNELS);
            OpusCodec dec = decoder(AudioModes.RATE, AudioModes.CHANNELS);
            Pcm tone = Pcm.tone(440, 0.25, AudioModes.RATE, AudioModes.CHANNELS, AudioModes.RATE * 2);
            for (int f = 0; f + AudioModes.FRAME_SAMPLES <= tone.frames(); f += AudioModes.FRAME_SAMPLES) {
                dec.decode(enc.encode(tone.slice(f, f + AudioModes.FRAME_SAMPLES).samples()));
            }
        }, "opus-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Samples per channel of one frame at this codec's rate (10 ms). */
    public int frameSamples() {
        return rate / 100;
    }

    public int channels() {
        return channels;
    }

    /** Encodes exactly one frame of {@link #frameSamples()} interleaved samples per channel. */
    public byte[] encode(short[] pcm) {
        if (encoder == null) {
            throw new IllegalStateException("a decoder cannot encode");
        }
        if (pcm.length != frameSamples() * channels) {
            throw new SpiceProtocolException("Opus frame of " + pcm.length + " samples; expected "
                    + frameSamples() * channels);
        }
        byte[] out = new byte[MAX_PACKET_BYTES];
        try {
            int n = encoder.encode(pcm, 0, frameSamples(), out, 0, out.length);
            return java.util.Arrays.copyOf(out, n);
        } catch (OpusException | RuntimeException | AssertionError e) {
            throw new SpiceProtocolException("Opus encode failed: " + e, e);
        }
    }

    /** Decodes one packet to interleaved samples; garbage, empty or oversized packets throw. */
    public short[] decode(byte[] packet) {
        if (decoder == null) {
            throw new IllegalStateException("an encoder cannot decode");
        }
        if (packet.length == 0 || packet.length > MAX_DECODE_PACKET_BYTES) {
            throw new SpiceProtocolException("Opus packet of " + packet.length + " bytes");
        }
        int max = MAX_DECODE_FRAME_SAMPLES * rate / 48000;
        short[] out = new short[max * channels];
        int n;
        try {
            n = decoder.decode(packet, 0, packet.length, out, 0, max, false);
        } catch (OpusException | RuntimeException | AssertionError e) {
            // Concentus checks its invariants with AssertionError, enabled or not: a malformed packet breaks them
            throw new SpiceProtocolException("Opus packet does not decode: " + e, e);
        }
        if (n <= 0) {
            throw new SpiceProtocolException("Opus packet decoded to " + n + " samples");
        }
        return java.util.Arrays.copyOf(out, n * channels);
    }
}
