package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.api.ClientDisplay;
import org.spice.display.internal.client.DisplayClientFactory;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;

/**
 * A window-sized change (the demo's 352 x 240 video window) reaches a client in one draw, so that a client never
 * shows one frame's top over the previous frame's bottom (a screen source capturing such a client saw torn frames).
 */
@org.junit.jupiter.api.extension.ExtendWith(org.spice.protocol.LeakCheck.class)
class WindowChangeTest {
    private static final int W = 1024;
    private static final int H = 768;
    private static final Rect VIDEO = new Rect(610, 100, 352, 240);

    private ServerEngine server;
    private ClientEngine client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A black desktop that publishes one changed video window when told. */
    private static final class VideoSource extends AbstractDisplaySource {
        VideoSource() {
            super(new Frame(W, H, new int[W * H], 1));
        }

        void playFrame() {
            Frame current = frame();
            int[] px = current.rgb().clone();
            for (int y = VIDEO.y(); y < VIDEO.y() + VIDEO.height(); y++) {
                for (int x = VIDEO.x(); x < VIDEO.x() + VIDEO.width(); x++) {
                    px[y * W + x] = (x * 7 + y * 13) & 0xffffff; // noise-like: no run compresses it away
                }
            }
            show(new Frame(W, H, px, current.serial() + 1), VIDEO);
        }
    }

    @Test
    void aVideoWindowsChangeGoesInOneDraw() throws Exception {
        VideoSource source = new VideoSource();
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "display test", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start();
        server.addFactory(new DisplayServerFactory(new TestConfig("service:video", "off", "off"), source));
        DisplayClientFactory displays = new DisplayClientFactory();
        client = new ClientEngine(t -> t == ChannelType.DISPLAY ? displays : null);
        SpiceUri uri = new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null);
        ClientSession s = client.connect(uri, ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
        ClientDisplay d = null;
        for (int i = 0; i < 500 && (d == null || d.marks() == 0); i++) {
            d = displays.display(s, 0);
            Thread.sleep(20);
        }
        List<Rect> draws = new CopyOnWriteArrayList<>();
        d.addChangeListener(draws::add);
        source.playFrame();
        for (int i = 0; i < 500 && draws.stream().mapToLong(r -> (long) r.width() * r.height()).sum()
                < (long) VIDEO.width() * VIDEO.height(); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of(VIDEO), draws, "the draws that brought the video window's change");
    }
}
