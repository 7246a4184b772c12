package org.spice.playback.internal.client;

import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.playback.api.ClientPlayback;
import org.spice.playback.api.ClientPlaybacks;
import org.spice.playback.internal.wire.PlaybackMessages;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ClientChannels;
import org.spice.protocol.spi.SpiceChannel;

/**
 * Registers the client side of the playback channel. Its configuration applies to channels linked after it
 * changes; the service's properties show the one in force ({@code audio.out}, {@code opus}).
 */
@Component(configurationPid = PlaybackClientConfig.PID)
@SpiceChannel(type = ChannelType.PLAYBACK)
@Designate(ocd = PlaybackClientConfig.class)
public final class PlaybackClientFactory implements ClientChannelFactory, ClientPlaybacks {
    private static final System.Logger LOG = System.getLogger("org.spice.playback");

    /** The client's choices: a WAV file or null, Opus or not, a device or not. */
    public record Settings(Path audioOut, boolean opus, boolean device) {
        public static Settings defaults() {
            String p = System.getProperty("spice.audio.out", "");
            return new Settings(p.isEmpty() ? null : Path.of(p), true, true);
        }
    }

    private final ClientChannels<PlaybackClientChannel> channels = new ClientChannels<>(ChannelType.PLAYBACK);
    private final Set<Path> filesInUse = ConcurrentHashMap.newKeySet();
    private volatile Settings settings;

    public PlaybackClientFactory() {
        this(Settings.defaults());
    }

    /** Outside a framework: the client side with these settings. */
    public static PlaybackClientFactory of(Settings settings) {
        return new PlaybackClientFactory(settings);
    }

    private PlaybackClientFactory(Settings settings) {
        this.settings = settings;
    }

    @Activate
    @Modified
    void configure(PlaybackClientConfig config) {
        Settings d = Settings.defaults();
        settings = new Settings(config.audio_out().isEmpty() ? d.audioOut() : Path.of(config.audio_out()),
                config.opus(), config.device());
    }

    public Settings settings() {
        return settings;
    }

    /** Volume and latency always; Opus when configured. CELT is not implemented, so never announced. */
    @Override
    public Capabilities channelCapabilities() {
        Capabilities c = Capabilities.of(PlaybackMessages.CAP_VOLUME, PlaybackMessages.CAP_LATENCY);
        return settings.opus() ? c.with(PlaybackMessages.CAP_OPUS) : c;
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        PlaybackClientChannel c = new PlaybackClientChannel(context, settings.opus(), this::output);
        return channels.track(context, c, new ChannelHandler() {
            @Override
            public void onMessage(int type, ByteBuf body) {
                c.onMessage(type, body);
            }

            @Override
            public void onClose() {
                c.onClose();
                Path f = c.wavFile();
                if (f != null) {
                    filesInUse.remove(f);
                }
            }
        });
    }

    /** The output for a starting channel: the configured file (numbered when another channel writes it). */
    private AudioOutput output(int rate, int channels) {
        Settings s = settings;
        if (s.audioOut() != null) {
            Path p = s.audioOut().toAbsolutePath();
            for (int n = 2; !filesInUse.add(p); n++) {
                String name = s.audioOut().getFileName().toString();
                int dot = name.lastIndexOf('.');
                String numbered = dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
                p = s.audioOut().toAbsolutePath().resolveSibling(numbered);
            }
            return new AudioOutput.WavFile(p);
        }
        if (s.device()) {
            AudioOutput.Device d = AudioOutput.Device.open(rate, channels);
            if (d != null) {
                return d;
            }
        }
        LOG.log(Level.INFO, "playback: no audio device" + (s.device() ? "" : " (disabled)")
                + " and no WAV file configured; the sound is dropped");
        return new AudioOutput.None();
    }

    @Override
    public ClientPlayback playback(ClientSession session) {
        return channels.get(session);
    }

    @Override
    public CompletableFuture<ClientPlayback> linked(ClientSession session) {
        return channels.link(session, 0).thenApply(c -> c);
    }
}
