package org.spice.playback.internal.server;

import org.spice.protocol.wire.AudioMessages;
import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.spice.audio.AudioModes;
import org.spice.audio.OpusCodec;
import org.spice.audio.Pcm;
import org.spice.playback.api.AudioSource;
import org.spice.playback.internal.wire.PlaybackMessages;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;

/**
 * One client's playback channel, in spice-server's order: mode, start, volume and mute (volume capability),
 * latency (latency capability), then a 10 ms frame every 10 ms stamped with the session's multimedia time.
 * A client that falls behind loses frames rather than queueing them.
 */
final class PlaybackServerChannel implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.playback");
    private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Frames sent ahead of real time, so the client's buffer never runs dry on a late tick. */
    private static final int AHEAD = 4;
    /** After a stall longer than this many frames the lost time is skipped, not sent in a burst. */
    private static final int MAX_BURST = 20;

    private final ServerChannelContext ctx;
    private final AudioSource.Stream stream;
    private final int mode;
    private final OpusCodec opus;
    private final short[] frame = new short[AudioSource.FRAME_SAMPLES * AudioSource.CHANNELS];
    private final long startNanos = System.nanoTime();
    private final ScheduledFuture<?> ticker;
    private long sent;
    private long skipped;
    private boolean ended;

    PlaybackServerChannel(ServerChannelContext ctx, AudioSource.Stream stream,
            PlaybackServerFactory.Settings settings) {
        this.ctx = ctx;
        this.stream = stream;
        boolean opusOk = settings.compression() && ctx.remoteChannelCaps().has(PlaybackMessages.CAP_OPUS);
        this.mode = opusOk ? AudioModes.MODE_OPUS : AudioModes.MODE_RAW;
        this.opus = opusOk ? OpusCodec.encoder(AudioSource.RATE, AudioSource.CHANNELS) : null;
        LOG.log(Level.DEBUG, () -> ctx.describe() + ": playback in mode " + AudioModes.name(mode));
        long now = ctx.session().multiMediaTime();
        ctx.send(new AudioMessages.Mode(PlaybackMessages.MODE, now, mode, new byte[0]));
        ctx.send(new PlaybackMessages.Start(AudioSource.CHANNELS, AudioModes.FMT_S16, AudioSource.RATE, now));
        if (ctx.remoteChannelCaps().has(PlaybackMessages.CAP_VOLUME)) {
            ctx.send(new AudioMessages.Volume(PlaybackMessages.VOLUME,
                    new int[] {settings.volume(), settings.volume()}));
            ctx.send(new AudioMessages.Mute(PlaybackMessages.MUTE, settings.mute()));
        }
        if (ctx.remoteChannelCaps().has(PlaybackMessages.CAP_LATENCY)) {
            ctx.send(new PlaybackMessages.Latency(settings.latencyMs()));
        }
        ticker = ctx.executor().scheduleAtFixedRate(this::pump, 0, 10, TimeUnit.MILLISECONDS);
    }

    int mode() {
        return mode;
    }

    /** Runs on the channel's executor: sends the frames that are due. */
    private void pump() {
        if (ended || !ctx.isOpen()) {
            return;
        }
        long due = (System.nanoTime() - startNanos) / FRAME_NANOS + AHEAD;
        if (due - sent > MAX_BURST) {
            skipped += due - sent - AHEAD;
            sent = due - AHEAD;
        }
        while (sent < due) {
            if (!stream.read(frame)) {
                ended = true;
                ctx.send(PlaybackMessages.STOP_MESSAGE);
                ticker.cancel(false);
                LOG.log(Level.DEBUG, () -> ctx.describe() + ": the sound ended after " + sent + " frames");
                return;
            }
            byte[] data = opus != null ? opus.encode(frame) : Pcm.toBytes(frame, 0, frame.length);
            ctx.send(new AudioMessages.Data(PlaybackMessages.DATA, ctx.session().multiMediaTime(), data));
            sent++;
        }
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        throw ChannelHandler.unknownMessage(ctx, type); // clients send nothing on the playback channel
    }

    @Override
    public void onClose() {
        ticker.cancel(false);
        stream.close();
        if (skipped > 0) {
            LOG.log(Level.DEBUG, ctx.describe() + ": " + skipped + " frames skipped after stalls");
        }
    }
}
