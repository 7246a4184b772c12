package org.spice.record.internal.server;

import org.spice.protocol.wire.AudioMessages;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import org.spice.audio.AudioModes;
import org.spice.audio.OpusCodec;
import org.spice.audio.Pcm;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.record.api.AudioSink;
import org.spice.record.internal.wire.RecordMessages;

/**
 * One client's record channel: start (48 kHz stereo S16) and, with the volume capability, volume and mute;
 * then the client's mode, start mark and data, decoded and handed to the {@link AudioSink}. Start and stop follow
 * the sink's {@link AudioSink#wantsSound()}.
 */
final class RecordServerChannel implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.record");

    private final ServerChannelContext ctx;
    private final AudioSink sink;
    private final RecordServerFactory.Settings settings;
    private boolean started;
    /** Whether a start was ever sent: data that crosses a stop on the wire is dropped, not an error. */
    private boolean everStarted;
    private final Runnable demand;
    private int mode = AudioModes.MODE_RAW;
    private OpusCodec decoder;
    private AudioSink.Recording recording;
    private long frames;

    RecordServerChannel(ServerChannelContext ctx, AudioSink sink, RecordServerFactory.Settings settings) {
        this.ctx = ctx;
        this.sink = sink;
        this.settings = settings;
        if (ctx.remoteChannelCaps().has(RecordMessages.CAP_VOLUME)) {
            ctx.send(new AudioMessages.Volume(RecordMessages.VOLUME, new int[] {settings.volume(), settings.volume()}));
            ctx.send(new AudioMessages.Mute(RecordMessages.MUTE, settings.mute()));
        }
        demand = () -> ctx.executor().execute(() -> {
            if (ctx.isOpen()) {
                followSink();
            }
        });
        sink.addDemandListener(demand);
        followSink();
    }

    /** Starts or stops the client as the sink wants sound or not (and the configuration lets it start at all). */
    private void followSink() {
        boolean wanted = settings.start() && sink.wantsSound();
        if (wanted == started) {
            return;
        }
        if (wanted) {
            ctx.send(new RecordMessages.Start(AudioModes.CHANNELS, AudioModes.FMT_S16, AudioModes.RATE));
            everStarted = true;
        } else {
            ctx.send(RecordMessages.STOP_MESSAGE);
        }
        started = wanted;
        if (everStarted) {
            LOG.log(Level.DEBUG, () -> ctx.describe() + ": record " + (wanted ? "start" : "stop") + " sent");
        }
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case RecordMessages.C_MODE -> mode(AudioMessages.Mode.decode(type, body));
            case RecordMessages.C_START_MARK -> {
                long t = RecordMessages.StartMark.decode(body).time();
                LOG.log(Level.DEBUG, () -> ctx.describe() + ": record start mark at " + t);
            }
            case RecordMessages.C_DATA -> data(AudioMessages.Data.decode(type, body));
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    private void mode(AudioMessages.Mode m) {
        if (m.mode() == AudioModes.MODE_OPUS && settings.opus()) {
            if (decoder == null) {
                decoder = OpusCodec.decoder(AudioModes.RATE, AudioModes.CHANNELS);
            }
        } else if (m.mode() == AudioModes.MODE_RAW) {
            decoder = null;
        } else {
            throw new SpiceProtocolException("record mode " + AudioModes.name(m.mode()) + " is not supported"
                    + (m.mode() == AudioModes.MODE_OPUS ? " (Opus was not announced)" : ""));
        }
        mode = m.mode();
        LOG.log(Level.DEBUG, () -> ctx.describe() + ": record client uses mode " + AudioModes.name(mode));
    }

    private void data(AudioMessages.Data d) {
        if (!started) {
            if (everStarted) {
                return; // sent before the client got our stop
            }
            throw new SpiceProtocolException("record data before the server started recording");
        }
        short[] pcm;
        if (decoder != null) {
            pcm = decoder.decode(d.data());
        } else {
            if (d.data().length % (2 * AudioModes.CHANNELS) != 0) {
                throw new SpiceProtocolException("raw record data of " + d.data().length + " bytes is not whole"
                        + " stereo S16 frames");
            }
            pcm = Pcm.fromBytes(d.data());
        }
        try {
            if (recording == null) {
                recording = sink.open(ctx.connectionId(), AudioModes.RATE, AudioModes.CHANNELS);
            }
            recording.write(pcm);
        } catch (IOException e) {
            throw new UncheckedIOException("record sink: " + e.getMessage(), e);
        }
        frames += pcm.length / AudioModes.CHANNELS;
    }

    @Override
    public void onClose() {
        sink.removeDemandListener(demand);
        if (recording != null) {
            try {
                recording.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, ctx.describe() + ": closing the recording: " + e.getMessage());
            }
            LOG.log(Level.DEBUG, ctx.describe() + ": recorded " + frames + " frames in mode " + AudioModes.name(mode));
        }
    }
}
