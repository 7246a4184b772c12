package org.spice.record.internal.server;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.record.api.AudioSink;
import org.spice.record.internal.wire.RecordMessages;

/** Registers the server side of the record channel, giving what clients send to the highest-ranked sink. */
@Component(configurationPid = RecordConfig.PID)
@SpiceChannel(type = ChannelType.RECORD)
@Designate(ocd = RecordConfig.class)
public final class RecordServerFactory implements ServerChannelFactory {
    /** The server's choices. */
    public record Settings(boolean start, boolean opus, int volume, boolean mute) {
        public static final Settings DEFAULTS = new Settings(true, true, 65535, false);

        public Settings {
            if (volume < 0 || volume > 65535) {
                throw new IllegalArgumentException("volume " + volume);
            }
        }
    }

    private final Settings settings;
    private final AudioSink sink;

    @Activate
    public RecordServerFactory(RecordConfig config,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) AudioSink sink) {
        this(new Settings(config.start(), config.opus(), config.volume(), config.mute()), sink);
    }

    /** Outside a framework: the server side with these settings and this sink. */
    public static RecordServerFactory of(Settings settings, AudioSink sink) {
        return new RecordServerFactory(settings, sink);
    }

    private RecordServerFactory(Settings settings, AudioSink sink) {
        this.settings = settings;
        this.sink = sink;
    }

    /** What spice-server announces with a 48 kHz record rate: volume and Opus. */
    @Override
    public Capabilities channelCapabilities() {
        Capabilities c = Capabilities.of(RecordMessages.CAP_VOLUME);
        return settings.opus() ? c.with(RecordMessages.CAP_OPUS) : c;
    }

    @Override
    public ChannelHandler open(ServerChannelContext context) {
        return new RecordServerChannel(context, sink, settings);
    }
}
