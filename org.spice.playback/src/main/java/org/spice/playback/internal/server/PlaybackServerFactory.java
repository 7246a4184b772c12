package org.spice.playback.internal.server;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.playback.api.AudioSource;
import org.spice.playback.audio.OpusCodec;
import org.spice.playback.internal.wire.PlaybackMessages;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;

/** Registers the server side of the playback channel, playing the highest-ranked {@link AudioSource}. */
@Component(configurationPid = PlaybackConfig.PID)
@SpiceChannel(type = ChannelType.PLAYBACK)
@Designate(ocd = PlaybackConfig.class)
public final class PlaybackServerFactory implements ServerChannelFactory {
    /** The server's choices, apart from what it plays. */
    public record Settings(boolean compression, int volume, boolean mute, int latencyMs) {
        public static final Settings DEFAULTS = new Settings(true, 65535, false, 100);

        public Settings {
            if (volume < 0 || volume > 65535 || latencyMs < 0) {
                throw new IllegalArgumentException("volume " + volume + ", latency " + latencyMs);
            }
        }
    }

    private final Settings settings;
    private final AudioSource source;

    @Activate
    public PlaybackServerFactory(PlaybackConfig config,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) AudioSource source) {
        this(new Settings(config.compression(), config.volume(), config.mute(), config.latency_ms()), source);
    }

    /** Outside a framework: the server side with these settings and this source. */
    public static PlaybackServerFactory of(Settings settings, AudioSource source) {
        return new PlaybackServerFactory(settings, source);
    }

    private PlaybackServerFactory(Settings settings, AudioSource source) {
        this.settings = settings;
        this.source = source;
        if (settings.compression()) {
            OpusCodec.warmUp();
        }
    }

    /** What spice-server announces with a 48 kHz playback rate: volume and Opus. */
    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.of(PlaybackMessages.CAP_VOLUME, PlaybackMessages.CAP_OPUS);
    }

    @Override
    public ChannelHandler open(ServerChannelContext context) {
        return new PlaybackServerChannel(context, source.open(), settings);
    }
}
