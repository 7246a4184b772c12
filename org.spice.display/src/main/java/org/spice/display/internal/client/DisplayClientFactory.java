package org.spice.display.internal.client;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.ClientDisplays;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.display.video.JpegDecoderService;
import org.spice.display.video.Lz4DecoderService;
import org.spice.display.video.VideoCodecProvider;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ClientChannels;
import org.spice.protocol.spi.SpiceChannel;

/** Registers the client side of the display channel and tells which display belongs to which session. */
@Component
@SpiceChannel(type = ChannelType.DISPLAY)
public final class DisplayClientFactory implements ClientChannelFactory, ClientDisplays {
    private final ClientChannels<DisplayClientChannel> displays = new ClientChannels<>(ChannelType.DISPLAY);
    /** One GLZ dictionary per session, shared by its display channels as the server expects. */
    private final Map<ClientSession, GlzWindow> glzWindows = new ConcurrentHashMap<>();

    private final VideoDecoders decoders = new VideoDecoders();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCodecProvider(VideoCodecProvider p) {
        decoders.add(p);
    }

    void removeCodecProvider(VideoCodecProvider p) {
        decoders.remove(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addJpegDecoder(JpegDecoderService d) {
        decoders.addJpeg(d);
    }

    void removeJpegDecoder(JpegDecoderService d) {
        decoders.removeJpeg(d);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addLz4Decoder(Lz4DecoderService d) {
        decoders.addLz4(d);
    }

    void removeLz4Decoder(Lz4DecoderService d) {
        decoders.removeLz4(d);
    }

    @Override
    public Capabilities channelCapabilities() {
        return DisplayClientChannel.capabilities(decoders.codecs());
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        ClientSession session = context.session();
        GlzWindow window = glzWindows.computeIfAbsent(session, s -> new GlzWindow(DisplayClientChannel.GLZ_WINDOW));
        DisplayClientChannel d = new DisplayClientChannel(context, window, decoders, decoders.codecs());
        return displays.track(context, d, new ChannelHandler() {
            @Override
            public void onMessage(int type, ByteBuf body) {
                d.onMessage(type, body);
            }

            @Override
            public void onClose() {
                d.onClose();
                if (displays.all(session).isEmpty()) {
                    glzWindows.remove(session, window);
                }
            }
        });
    }

    @Override
    public ClientDisplay display(ClientSession session, int channelId) {
        return displays.get(session, channelId);
    }

    @Override
    public CompletableFuture<ClientDisplay> linked(ClientSession session, int channelId) {
        return displays.link(session, channelId).thenApply(d -> d);
    }
}
