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
import org.spice.display.internal.source.ScreenSource;
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

    @Activate
    public DisplayServerFactory(DisplayConfig config) throws IOException {
        if (!config.image_compression().equals("off")) {
            throw new IllegalArgumentException("image compression '" + config.image_compression()
                    + "' is not implemented by this server yet; use 'off'");
        }
        streaming = VideoStreams.mode(config.streaming_video());
        source = source(config.source());
    }

    static DisplaySource source(String spec) throws IOException {
        if (spec.equals("demo")) {
            return new DemoSource();
        }
        if (spec.startsWith("image:")) {
            return new ImageSource(Path.of(spec.substring("image:".length())));
        }
        if (spec.equals("screen") || spec.startsWith("screen:")) {
            return new ScreenSource(ScreenSource.fps(spec));
        }
        throw new IllegalArgumentException("unknown display source '" + spec
                + "'; use demo, image:PATH or screen[:fps=N]");
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
        if (source instanceof ScreenSource s) {
            s.close();
        }
    }

    @Override
    public int channelType() {
        return ChannelType.DISPLAY;
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.of(DisplayMessages.CAP_MONITORS_CONFIG);
    }

    @Override
    public boolean usesAckWindow() {
        return true;
    }

    @Override
    public ChannelHandler open(ServerChannelContext context) {
        return new DisplayServerChannel(context, source, streaming);
    }
}
