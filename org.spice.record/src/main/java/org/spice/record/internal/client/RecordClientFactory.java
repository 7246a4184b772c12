package org.spice.record.internal.client;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.audio.OpusCodec;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ClientChannels;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.record.api.ClientRecord;
import org.spice.record.api.ClientRecords;
import org.spice.record.internal.wire.RecordMessages;

/**
 * Registers the client side of the record channel. Its configuration applies to channels linked after it
 * changes; the service's properties show the one in force ({@code mic}, {@code opus}).
 */
@Component(configurationPid = RecordClientConfig.PID)
@SpiceChannel(type = ChannelType.RECORD)
@Designate(ocd = RecordClientConfig.class)
public final class RecordClientFactory implements ClientChannelFactory, ClientRecords {
    /** The client's choices: a WAV file to send (null: nothing) and whether Opus is offered. */
    public record Settings(Path mic, boolean opus) {
        public static Settings defaults() {
            String p = System.getProperty("spice.mic", "");
            return new Settings(p.isEmpty() ? null : Path.of(p), true);
        }
    }

    private final ClientChannels<RecordClientChannel> channels = new ClientChannels<>(ChannelType.RECORD);
    private volatile Settings settings;

    public RecordClientFactory() {
        this(Settings.defaults());
    }

    /** Outside a framework: the client side with these settings. */
    public static RecordClientFactory of(Settings settings) {
        return new RecordClientFactory(settings);
    }

    private RecordClientFactory(Settings settings) {
        this.settings = settings;
    }

    @Activate
    @Modified
    void configure(RecordClientConfig config) {
        settings = new Settings(config.mic().isEmpty() ? Settings.defaults().mic() : Path.of(config.mic()),
                config.opus());
        if (config.opus() && settings.mic() != null) {
            OpusCodec.warmUp(); // only a client with a microphone encodes
        }
    }

    public Settings settings() {
        return settings;
    }

    /** Volume always; Opus when configured. CELT is not implemented, so never announced. */
    @Override
    public Capabilities channelCapabilities() {
        Capabilities c = Capabilities.of(RecordMessages.CAP_VOLUME);
        return settings.opus() ? c.with(RecordMessages.CAP_OPUS) : c;
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        RecordClientChannel c = new RecordClientChannel(context, settings);
        return channels.track(context, c, c);
    }

    @Override
    public ClientRecord record(ClientSession session) {
        return channels.get(session);
    }

    @Override
    public CompletableFuture<ClientRecord> linked(ClientSession session) {
        return channels.link(session, 0).thenApply(c -> c);
    }
}
