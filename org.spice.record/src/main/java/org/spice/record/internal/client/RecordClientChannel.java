package org.spice.record.internal.client;

import org.spice.protocol.wire.AudioMessages;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.spice.audio.AudioModes;
import org.spice.audio.OpusCodec;
import org.spice.audio.Pcm;
import org.spice.audio.Wav;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.record.api.ClientRecord;
import org.spice.record.internal.wire.RecordMessages;

/**
 * One session's record channel. On the server's start it picks Opus when both sides announced it (as
 * spice-gtk does), sends mode and start mark, then until stop a 10 ms frame every 10 ms from the microphone file
 * (converted to the server's rate and channels), or, from a {@link ClientRecord.Source} set on it, every frame the
 * source has at each tick. Without either it sends no sound at all, as spice-gtk without an audio backend: encoding
 * silence cost a client that only looks (a screenshot) a quarter of its CPU.
 */
final class RecordClientChannel implements ChannelHandler, ClientRecord {
    private static final System.Logger LOG = System.getLogger("org.spice.record");
    private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int AHEAD = 2;
    private static final int MAX_BURST = 20;

    private final ClientChannelContext ctx;
    private final RecordClientFactory.Settings settings;
    private final long openNanos = System.nanoTime();
    private Pcm mic;
    private int micFrame;
    private OpusCodec encoder;
    private ScheduledFuture<?> ticker;
    private long startNanos;
    private long due;
    private volatile boolean recording;
    private volatile int starts;
    private volatile int stops;
    private volatile boolean sourceEnded;
    private volatile int mode;
    private volatile int rate;
    private volatile int channels;
    private volatile long packets;
    private volatile long frames;
    private volatile int[] volume = new int[0];
    private volatile boolean muted;
    private volatile Source source;

    RecordClientChannel(ClientChannelContext ctx, RecordClientFactory.Settings settings) {
        this.ctx = ctx;
        this.settings = settings;
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case RecordMessages.START -> start(RecordMessages.Start.decode(body));
            case RecordMessages.STOP -> {
                stops++;
                stop();
            }
            case RecordMessages.VOLUME -> volume = AudioMessages.Volume.decode(type, body).volume();
            case RecordMessages.MUTE -> muted = AudioMessages.Mute.decode(type, body).mute();
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    /** The session's multimedia time as this client estimates it. */
    private long time() {
        long base = ctx.session() == null || ctx.session().main() == null ? 0 : ctx.session().main().multiMediaTime();
        return (base + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openNanos)) & 0xffffffffL;
    }

    private void start(RecordMessages.Start s) {
        if (s.format() != AudioModes.FMT_S16) {
            throw new SpiceProtocolException("record start: audio format " + s.format() + " (only S16 exists)");
        }
        if (s.channels() < 1 || s.channels() > 2 || s.frequency() < 8000 || s.frequency() > 192000) {
            throw new SpiceProtocolException("record start: " + s.channels() + " channels at " + s.frequency()
                    + " Hz");
        }
        int r = (int) s.frequency();
        int ch = (int) s.channels();
        if (recording) {
            stop();
        }
        boolean opus = settings.opus() && ctx.remoteChannelCaps().has(RecordMessages.CAP_OPUS)
                && OpusCodec.isCapable(r);
        mode = opus ? AudioModes.MODE_OPUS : AudioModes.MODE_RAW;
        encoder = opus ? OpusCodec.encoder(r, ch) : null;
        if (mic == null || mic.rate() != r || mic.channels() != ch) {
            mic = loadMic(r, ch);
            micFrame = 0;
        }
        rate = r;
        channels = ch;
        long t = time();
        ctx.send(new AudioMessages.Mode(RecordMessages.C_MODE, t, mode, new byte[0]));
        ctx.send(new RecordMessages.StartMark(t));
        recording = true;
        starts++;
        startNanos = System.nanoTime();
        due = 0;
        ticker = ctx.executor().scheduleAtFixedRate(this::pump, 0, 10, TimeUnit.MILLISECONDS);
        LOG.log(Level.DEBUG, () -> ctx.describe() + ": recording " + ch + " channels at " + r + " Hz, "
                + AudioModes.name(mode) + ", from " + source());
    }

    private Pcm loadMic(int r, int ch) {
        if (settings.mic() == null) {
            return null;
        }
        try {
            return Wav.read(settings.mic()).convert(r, ch);
        } catch (IOException e) {
            LOG.log(Level.WARNING, ctx.describe() + ": microphone file: " + e.getMessage() + "; sending nothing");
            return null;
        }
    }

    private void stop() {
        recording = false;
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    /** Runs on the channel's executor: sends the frames that are due. */
    private void pump() {
        Source pulled = source;
        if (!recording || !ctx.isOpen() || sourceEnded && pulled == null) {
            return;
        }
        int frameSamples = rate / 100;
        if (pulled != null) {
            relay(pulled, frameSamples);
            return;
        }
        if (mic == null) {
            return; // no microphone: nothing to send
        }
        long now = (System.nanoTime() - startNanos) / FRAME_NANOS + AHEAD;
        if (now - due > MAX_BURST) {
            due = now - AHEAD;
        }
        while (due < now) {
            short[] frame = new short[frameSamples * channels];
            int from = micFrame * frameSamples;
            if (from >= mic.frames()) {
                sourceEnded = true;
                LOG.log(Level.DEBUG, () -> ctx.describe() + ": microphone file sent to its end");
                return;
            }
            int n = Math.min(frameSamples, mic.frames() - from);
            System.arraycopy(mic.samples(), from * channels, frame, 0, n * channels);
            micFrame++;
            send(frame, frameSamples);
            due++;
        }
    }

    /**
     * A source sets the pace itself (a relay forwards sound as it arrives): every frame it has is sent, up to
     * {@value #MAX_BURST} a tick, so it never falls behind after a stall of this channel's thread.
     */
    private void relay(Source pulled, int frameSamples) {
        for (int i = 0; i < MAX_BURST; i++) {
            short[] frame = new short[frameSamples * channels];
            if (!pulled.read(frame, rate, channels)) {
                return;
            }
            send(frame, frameSamples);
        }
    }

    private void send(short[] frame, int frameSamples) {
        applyVolume(frame);
        byte[] data = encoder != null ? encoder.encode(frame) : Pcm.toBytes(frame, 0, frame.length);
        ctx.send(new AudioMessages.Data(RecordMessages.C_DATA, time(), data));
        packets++;
        frames += frameSamples;
    }

    /** The server's record volume and mute act on the microphone, as spice-gtk's do on its source. */
    private void applyVolume(short[] frame) {
        if (muted) {
            java.util.Arrays.fill(frame, (short) 0);
            return;
        }
        int[] v = volume;
        if (v.length == 0) {
            return;
        }
        for (int i = 0; i < frame.length; i++) {
            int vol = v[(i % channels) % v.length];
            if (vol != 65535) {
                frame[i] = (short) (frame[i] * (long) vol / 65535);
            }
        }
    }

    @Override
    public void onClose() {
        stop();
    }

    @Override
    public boolean recording() {
        return recording;
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
    public boolean sourceEnded() {
        return sourceEnded;
    }

    @Override
    public String source() {
        Source from = source;
        if (from != null) {
            return from.toString();
        }
        return settings.mic() == null || mic == null && rate != 0 ? "nothing (no microphone)"
                : settings.mic().toString();
    }

    @Override
    public void source(Source source) {
        this.source = source;
    }

    @Override
    public int[] volume() {
        return volume.clone();
    }

    @Override
    public boolean muted() {
        return muted;
    }
}
