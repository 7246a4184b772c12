package org.spice.display.internal.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecProvider;
import java.util.List;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.display.api.DisplaySource;
import org.spice.display.internal.source.DemoSource;
import org.spice.display.internal.source.ImageSource;
import org.spice.display.internal.source.ScreenSource;
import org.spice.display.internal.source.ServiceSource;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;

/**
 * Registers the server side of the display channel, showing the configured source to every client, and registers
 * that source as a {@link DisplaySource} service (property {@value DisplaySource#NAME}: demo or image) for bundles
 * that act on it, such as the agent resizing it to a client's monitors config. {@code service:NAME} shows the
 * source another bundle registers under that name (a gateway's picture of a VM).
 */
@Component(configurationPid = DisplayConfig.PID)
@SpiceChannel(type = ChannelType.DISPLAY)
@Designate(ocd = DisplayConfig.class)
public final class DisplayServerFactory implements ServerChannelFactory {
    private final DisplaySource source;
    private final VideoStreams.Mode streaming;
    private final ImageCompression compression;
    private final JpegCompression jpeg;
    private final ServiceRegistration<DisplaySource> registration;
    private final List<VideoCodec> videoCodecs;
    private final VideoEncoders video = new VideoEncoders();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCodecProvider(VideoCodecProvider p) {
        video.add(p);
    }

    void removeCodecProvider(VideoCodecProvider p) {
        video.remove(p);
    }

    @Activate
    public DisplayServerFactory(DisplayConfig config, BundleContext context) throws IOException {
        this(source(config.source(), context), config, context);
    }

    /**
     * Shows {@code source} with the other settings of {@code config}, and registers the source as a service when
     * {@code context} is given (tests pass null). Package-private for SCR, which picks the public constructor.
     */
    DisplayServerFactory(DisplaySource source, DisplayConfig config, BundleContext context) {
        compression = ImageCompression.parse(config.image_compression());
        jpeg = JpegCompression.parse(config.jpeg_compression());
        streaming = VideoStreams.mode(config.streaming_video());
        videoCodecs = VideoCodec.parseList(config.video_codecs());
        this.source = source;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(DisplaySource.NAME, config.source().startsWith("image:") ? "image" : config.source());
        // A service source is registered by the bundle that provides it; registering it again would show it twice.
        registration = context == null || source instanceof ServiceSource ? null
                : context.registerService(DisplaySource.class, source, props);
    }

    static DisplaySource source(String spec, BundleContext context) throws IOException {
        if (spec.startsWith("service:") && context != null) {
            return new ServiceSource(spec.substring("service:".length()), context);
        }
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
                + "'; use demo, image:PATH, screen[:fps=N] or service:NAME");
    }

    /** What this display shows. */
    public DisplaySource source() {
        return source;
    }

    @Deactivate
    void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
        }
        video.close();
        if (source instanceof DemoSource d) {
            d.close();
        }
        if (source instanceof ScreenSource s) {
            s.close();
        }
        if (source instanceof ServiceSource s) {
            s.close();
        }
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
