package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.display.api.ClientDisplay;
import org.spice.display.internal.client.DisplayClientFactory;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;

/**
 * A change the source publishes while a client's display channel opens, before the channel listens, still reaches
 * that client: its first picture is the source's newest frame, not the one the channel saw as it was made.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.spice.protocol.LeakCheck.class)
class FirstPictureTest {
    private static final int W = 256;
    private static final int H = 128;

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

    /**
     * Once armed, the next {@link #frame()} read (the channel's, as it is made) gets the black picture and then the
     * source "publishes" the drawn one at once, to the listeners it has then: none yet, as when a VM draws just as a
     * viewer joins. It never publishes again.
     */
    private static final class RacingSource implements DisplaySource {
        final Frame black = new Frame(W, H, new int[W * H], 1);
        final Frame drawn;
        final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        volatile Frame current = black;

        RacingSource() {
            int[] px = new int[W * H];
            for (int i = 0; i < px.length; i++) {
                px[i] = i / W < 40 ? 0x3366cc : 0x202020 + (i % W); // the top rows change most, as a splash's do
            }
            drawn = new Frame(W, H, px, 2);
        }

        @Override
        public Frame frame() {
            Frame f = current;
            if (armed.compareAndSet(true, false)) {
                current = drawn;
                listeners.forEach(l -> l.changed(drawn, new org.spice.desktop.Rect(0, 0, W, H)));
            }
            return f;
        }

        @Override
        public void addListener(Listener l) {
            listeners.add(l);
        }

        @Override
        public void removeListener(Listener l) {
            listeners.remove(l);
        }
    }

    @Test
    void aChangePublishedBeforeTheChannelListensIsInTheFirstPicture() throws Exception {
        RacingSource source = new RacingSource();
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "display test", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start();
        server.addFactory(new DisplayServerFactory(new TestConfig("service:racing", "off", "filter"), source));
        DisplayClientFactory displays = new DisplayClientFactory();
        client = new ClientEngine(t -> t == ChannelType.DISPLAY ? displays : null);
        SpiceUri uri = new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null);
        source.armed.set(true);
        ClientSession s = client.connect(uri, ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
        ClientDisplay d = null;
        for (int i = 0; i < 500 && (d == null || d.marks() == 0); i++) {
            d = displays.display(s, 0);
            Thread.sleep(20);
        }
        int[] got = d.primary().rgb().clone();
        Arrays.setAll(got, i -> got[i] & 0xffffff);
        assertArrayEquals(source.drawn.rgb(), got, "the client's first picture is the source's newest frame");
    }
}
