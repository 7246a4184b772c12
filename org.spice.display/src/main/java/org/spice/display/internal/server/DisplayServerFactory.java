package org.spice.display.internal.server;

import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.desktop.DisplaySource;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecProvider;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;

/**
 * Registers the server side of the display channel, showing every client the highest-ranked {@link DisplaySource}
 * service (the desktop sources bundle ranks a configured image, screen or {@code service:NAME} source above its
 * demo). A source of higher rank coming or the shown one going makes SCR create this component anew with the new
 * source; clients' display channels then close, as when the configuration changes.
 */
@Component(configurationPid = DisplayConfig.PID)
@SpiceChannel(type = ChannelType.DISPLAY)
@Designate(ocd = DisplayConfig.class)
public final class DisplayServerFactory implements ServerChannelFactory {
    private final DisplaySource source;
    private final VideoStreams.Mode streaming;
    private final ImageCompression compression;
    private final JpegCompression jpeg;
    private final List<VideoCodec> videoCodecs;
    private final VideoEncoders video = new VideoEncoders();

    @Activate
    public DisplayServerFactory(DisplayConfig config,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) DisplaySource source) {
        compression = ImageCompression.parse(config.image_compression());
        jpeg = JpegCompression.parse(config.jpeg_compression());
        streaming = VideoStreams.mode(config.streaming_video());
        videoCodecs = VideoCodec.parseList(config.video_codecs());
        this.source = source;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCodecProvider(VideoCodecProvider p) {
        video.add(p);
    }

    void removeCodecProvider(VideoCodecProvider p) {
        video.remove(p);
    }

    @Deactivate
    void stop() {
        video.close();
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.of(DisplayMessages.CAP_MONITORS_CONFIG, DisplayMessages.CAP_PREF_COMPRESSION,
                DisplayMessages.CAP_PREF_VIDEO_CODEC_TYPE, DisplayMessages.CAP_STREAM_REPORT);
    }

    @Override
    public boolean usesAckWindow() {
        return true;
    }

    @Override
    public ChannelHandler open(ServerChannelContext context) {
        return new DisplayServerChannel(context, source, streaming, compression, jpeg, video, videoCodecs);
    }
}
