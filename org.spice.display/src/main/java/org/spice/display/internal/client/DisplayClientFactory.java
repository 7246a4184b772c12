package org.spice.display.internal.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.ClientDisplays;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.display.video.VideoCodecProvider;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelFactory;

/** Registers the client side of the display channel and tells which display belongs to which session. */
@Component(property = ServerChannelFactory.CHANNEL_TYPE + ":Integer=" + ChannelType.DISPLAY)
public final class DisplayClientFactory implements ClientChannelFactory, ClientDisplays {
    private final Map<ClientSession, Map<Integer, DisplayClientChannel>> displays = new ConcurrentHashMap<>();
    /** One GLZ dictionary per session, shared by its display channels as the server expects. */
    private final Map<ClientSession, GlzWindow> glzWindows = new ConcurrentHashMap<>();

    @Override
    public int channelType() {
        return ChannelType.DISPLAY;
    }

    private final VideoDecoders decoders = new VideoDecoders();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCodecProvider(VideoCodecProvider p) {
        decoders.add(p);
    }

    void removeCodecProvider(VideoCodecProvider p) {
        decoders.remove(p);
    }

    @Override
    public Capabilities channelCapabilities() {
        return DisplayClientChannel.capabilities(decoders.codecs());
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        GlzWindow window = glzWindows.computeIfAbsent(context.session(),
                s -> new GlzWindow(DisplayClientChannel.GLZ_WINDOW));
        DisplayClientChannel d = new DisplayClientChannel(context, window, decoders, decoders.codecs());
        displays.computeIfAbsent(context.session(), s -> new ConcurrentHashMap<>()).put(context.channelId(), d);
        return new ChannelHandler() {
            @Override
            public void onMessage(int type, io.netty.buffer.ByteBuf body) {
                d.onMessage(type, body);
            }

            @Override
            public void onClose() {
                d.close();
                Map<Integer, DisplayClientChannel> m = displays.get(context.session());
                if (m != null) {
                    m.remove(context.channelId(), d);
                    if (m.isEmpty()) {
                        displays.remove(context.session(), m);
                        glzWindows.remove(context.session());
                    }
                }
            }
        };
    }

    @Override
    public ClientDisplay display(ClientSession session, int channelId) {
        Map<Integer, DisplayClientChannel> m = displays.get(session);
        return m == null ? null : m.get(channelId);
    }
}
