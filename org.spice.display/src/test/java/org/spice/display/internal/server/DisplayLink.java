package org.spice.display.internal.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.spice.desktop.DisplaySource;
import org.spice.display.api.ClientDisplay;
import org.spice.display.internal.client.DisplayClientFactory;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;

/** Our server showing one display source and our client linked to its display over loopback, for tests. */
final class DisplayLink implements AutoCloseable {
    private final ServerEngine server;
    private final ClientEngine client;
    private final DisplayClientFactory displays = new DisplayClientFactory();
    private final ClientSession session;

    private DisplayLink(DisplaySource source, TestConfig config) throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "display test", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start();
        server.addFactory(new DisplayServerFactory(config, source));
        client = new ClientEngine(t -> t == ChannelType.DISPLAY ? displays : null);
        SpiceUri uri = new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null);
        session = client.connect(uri, ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
    }

    /** Starts a server whose display shows {@code source} as {@code config} says, and links a client to it. */
    static DisplayLink open(DisplaySource source, TestConfig config) throws Exception {
        return new DisplayLink(source, config);
    }

    /** The client's display once its first picture is complete (a mark came), or null after 10 s. */
    ClientDisplay display() throws InterruptedException {
        ClientDisplay d = null;
        for (int i = 0; i < 500 && (d == null || d.marks() == 0); i++) {
            d = displays.display(session, 0);
            Thread.sleep(20);
        }
        return d != null && d.marks() > 0 ? d : null;
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
