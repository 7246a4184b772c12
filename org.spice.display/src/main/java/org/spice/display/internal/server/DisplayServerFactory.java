package org.spice.display.internal.server;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.display.api.DisplaySource;
import org.spice.display.internal.source.DemoSource;
import org.spice.display.internal.source.ImageSource;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.display.internal.wire.DisplayMessages;

/** Registers the server side of the display channel, showing the configured source to every client. */
@Component(configurationPid = "org.spice.display",
        property = ServerChannelFactory.CHANNEL_TYPE + ":Integer=" + ChannelType.DISPLAY)
@Designate(ocd = DisplayConfig.class)
public final class DisplayServerFactory implements ServerChannelFactory {
    private final DisplaySource source;
    private final VideoStreams.Mode streaming;
    private final ImageCompression compression;
    private final JpegCompression jpeg;

    @Activate
    public DisplayServerFactory(DisplayConfig config) throws IOException {
        this(source(config.source()), config);
    }

    /** For tests: shows {@code source}, with the other settings of {@code config}. Package-private for SCR. */
    DisplayServerFactory(DisplaySource source, DisplayConfig config) {
        compression = ImageCompression.parse(config.image_compression());
        jpeg = JpegCompression.parse(config.jpeg_compression());
        streaming = VideoStreams.mode(config.streaming_video());
        this.source = source;
    }

    static DisplaySource source(String spec) throws IOException {
        if (spec.equals("demo")) {
            return new DemoSource();
        }
        if (spec.startsWith("image:")) {
            return new ImageSource(Path.of(spec.substring("image:".length())));
        }
        throw new IllegalArgumentException("unknown display source '" + spec + "'; use demo or image:PATH");
    }

    /** What this display shows. */
    DisplaySource source() {
        return source;
    }

    @Deactivate
    void stop() {
        if (source instanceof DemoSource d) {
            d.close();
        }
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
