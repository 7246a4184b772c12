package org.spice.playback.internal.client;

import org.spice.protocol.wire.AudioMessages;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.spice.audio.AudioModes;
import org.spice.audio.OpusCodec;
import org.spice.audio.Pcm;
import org.spice.playback.api.ClientPlayback;
import org.spice.playback.internal.wire.PlaybackMessages;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;

/** One session's playback: decodes what the server sends and hands it to an {@link AudioOutput}. */
final class PlaybackClientChannel implements ChannelHandler, ClientPlayback {
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private static final System.Logger LOG = System.getLogger("org.spice.playback");
    static final int MAX_CHANNELS = 8;

    interface Outputs {
        AudioOutput open(int rate, int channels);
    }

    private final ClientChannelContext ctx;
    private final boolean opusAnnounced;
    private final Outputs outputs;
    private volatile AudioOutput output;
    private OpusCodec decoder;
    private volatile boolean playing;
    private volatile int starts;
    private volatile int stops;
    private volatile int mode;
    private volatile int rate;
    private volatile int channels;
    private volatile long packets;
    private volatile long frames;
    private volatile int[] volume = new int[0];
    private volatile boolean muted;
    private volatile long latencyMs = -1;
    private final java.util.List<org.spice.playback.api.PcmListener> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    PlaybackClientChannel(ClientChannelContext ctx, boolean opusAnnounced, Outputs outputs) {
        this.ctx = ctx;
        this.opusAnnounced = opusAnnounced;
        this.outputs = outputs;
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        try {
            switch (type) {
                case PlaybackMessages.MODE -> mode(AudioMessages.Mode.decode(type, body));
                case PlaybackMessages.START -> start(PlaybackMessages.Start.decode(body));
                case PlaybackMessages.DATA -> data(AudioMessages.Data.decode(type, body));
                case PlaybackMessages.STOP -> {
                    stops++;
                    playing = false;
                    if (output != null) {
                        output.stop();
                    }
                }
                case PlaybackMessages.VOLUME -> volume = AudioMessages.Volume.decode(type, body).volume();
                case PlaybackMessages.MUTE -> muted = AudioMessages.Mute.decode(type, body).mute();
                case PlaybackMessages.LATENCY -> latencyMs = PlaybackMessages.Latency.decode(body).latencyMs();
                default -> throw ChannelHandler.unknownMessage(ctx, type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("playback output: " + e.getMessage(), e);
        }
    }

    private void mode(AudioMessages.Mode m) {
        if (m.mode() != AudioModes.MODE_RAW && !(m.mode() == AudioModes.MODE_OPUS && opusAnnounced)) {
            throw new SpiceProtocolException("playback mode " + AudioModes.name(m.mode())
                    + (m.mode() == AudioModes.MODE_OPUS ? " was not announced" : " is not supported"));
        }
        if (playing && m.mode() != mode) {
            throw new SpiceProtocolException("playback mode changed to " + AudioModes.name(m.mode())
                    + " while playing");
        }
        mode = m.mode();
        LOG.log(Level.DEBUG, () -> ctx.describe() + ": playback mode " + AudioModes.name(mode));
    }

    private void start(PlaybackMessages.Start s) throws IOException {
        if (s.format() != AudioModes.FMT_S16) {
            throw new SpiceProtocolException("playback start: audio format " + s.format() + " (only S16 exists)");
        }
        if (s.channels() < 1 || s.channels() > MAX_CHANNELS || s.frequency() < 1000 || s.frequency() > 192000) {
            throw new SpiceProtocolException("playback start: " + s.channels() + " channels at " + s.frequency()
                    + " Hz");
        }
        int r = (int) s.frequency();
        int ch = (int) s.channels();
        decoder = mode == AudioModes.MODE_OPUS ? OpusCodec.decoder(r, ch) : null;
        if (output == null) {
            output = outputs.open(r, ch);
        }
        output.start(r, ch);
        rate = r;
        channels = ch;
        playing = true;
        starts++;
        LOG.log(Level.DEBUG, () -> ctx.describe() + ": playback started, " + ch + " channels at " + r + " Hz, "
                + AudioModes.name(mode) + ", to " + output.describe());
    }

    private void data(AudioMessages.Data d) throws IOException {
        if (!playing) {
            throw new SpiceProtocolException("playback data before start");
        }
        short[] pcm;
        if (decoder != null) {
            pcm = decoder.decode(d.data());
        } else {
            if (d.data().length % (2 * channels) != 0) {
                throw new SpiceProtocolException("raw playback data of " + d.data().length + " bytes is not whole"
                        + " frames of " + channels + " S16 channels");
            }
            pcm = Pcm.fromBytes(d.data());
        }
        applyVolume(pcm);
        output.write(pcm);
        for (org.spice.playback.api.PcmListener l : listeners) {
            try {
                l.pcm(pcm, rate, channels);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, ctx.describe() + ": a PCM listener failed: " + e);
            }
        }
        packets++;
        frames += pcm.length / channels;
    }

    private void applyVolume(short[] pcm) {
        int[] v = volume;
        if (muted) {
            java.util.Arrays.fill(pcm, (short) 0);
            return;
        }
        if (v.length == 0) {
            return;
        }
        for (int i = 0; i < pcm.length; i++) {
            int vol = v[(i % channels) % v.length];
            if (vol != 65535) {
                pcm[i] = (short) (pcm[i] * (long) vol / 65535);
            }
        }
    }

    @Override
    public void addPcmListener(org.spice.playback.api.PcmListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removePcmListener(org.spice.playback.api.PcmListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void onClose() {
        playing = false;
        AudioOutput o = output;
        if (o != null) {
            try {
                o.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, ctx.describe() + ": closing " + o.describe() + ": " + e.getMessage());
            }
        }
        closed.complete(null);
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public boolean playing() {
        return playing;
    }

    @Override
    public int starts() {
        return starts;
    }

    @Override
    public int stops() {
        return stops;
    }

    @Override
    public int mode() {
        return mode;
    }

    @Override
    public int rate() {
        return rate;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public long packets() {
        return packets;
    }

    @Override
    public long frames() {
        return frames;
    }

    @Override
    public int[] volume() {
        return volume.clone();
    }

    @Override
    public boolean muted() {
        return muted;
    }

    @Override
    public long latencyMs() {
        return latencyMs;
    }

    @Override
    public String output() {
        AudioOutput o = output;
        return o == null ? "none" : o.describe();
    }

    @Override
    public Path wavFile() {
        AudioOutput o = output;
        return o == null ? null : o.file();
    }
}
