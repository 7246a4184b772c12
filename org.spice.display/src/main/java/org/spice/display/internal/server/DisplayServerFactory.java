package org.spice.display.internal.server;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.desktop.DisplaySource;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;

/**
 * Registers the server side of the display channel, showing every client the highest-ranked {@link DisplaySource}
 * service (the desktop sources bundle ranks a configured image or screen above its demo). A source of higher rank
 * coming or the shown one going makes SCR create this component anew with the new source; clients' display
 * channels then close, as when the configuration changes.
 */
@Component(configurationPid = "org.spice.display",
        property = ServerChannelFactory.CHANNEL_TYPE + ":Integer=" + ChannelType.DISPLAY)
@Designate(ocd = DisplayConfig.class)
public final class DisplayServerFactory implements ServerChannelFactory {
    private final DisplaySource source;
    private final VideoStreams.Mode streaming;
    private final ImageCompression compression;
    private final JpegCompression jpeg;

    @Activate
    public DisplayServerFactory(DisplayConfig config,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) DisplaySource source) {
        compression = ImageCompression.parse(config.image_compression());
        jpeg = JpegCompression.parse(config.jpeg_compression());
        streaming = VideoStreams.mode(config.streaming_video());
        this.source = source;
    }

    @Override
    public int channelType() {
        return ChannelType.DISPLAY;
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.of(DisplayMessages.CAP_MONITORS_CONFIG, DisplayMessages.CAP_PREF_COMPRESSION);
    }

    @Override
    public boolean usesAckWindow() {
        return true;
    }

    @Override
    public ChannelHandler open(ServerChannelContext context) {
        return new DisplayServerChannel(context, source, streaming, compression, jpeg);
    }
}
