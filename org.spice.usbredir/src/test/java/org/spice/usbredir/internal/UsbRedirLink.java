package org.spice.usbredir.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.UsbRedirFilter;

/** Our server with the usbredir channel and our client connected to it, the channel not linked yet. */
final class UsbRedirLink implements AutoCloseable {
    static final int T = 30;
    final UsbRedirServerFactory serverSide;
    final UsbRedirClientFactory clientSide = new UsbRedirClientFactory();
    final ServerEngine server;
    final ClientEngine client;
    final ClientSession session;

    UsbRedirLink(UsbRedirFilter serverFilter) throws Exception {
        serverSide = UsbRedirServerFactory.withoutFramework(serverFilter);
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "usbredir", UUID.randomUUID(), 2, Duration.ofSeconds(5))).start();
        server.addFactory(serverSide);
        client = new ClientEngine(t -> t == ChannelType.USBREDIR ? clientSide : null);
        session = client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null),
                ClientOptions.defaults().withConnectChannels(false)).get(T, TimeUnit.SECONDS);
    }

    void linkUsbRedir() throws Exception {
        session.link(ChannelType.USBREDIR, 0).get(T, TimeUnit.SECONDS);
    }

    /** Waits for the server to list a device other than {@code not}; fails after {@link #T} seconds. */
    RedirectedUsbDevice awaitDevice(RedirectedUsbDevice not) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
        while (System.nanoTime() < end) {
            for (RedirectedUsbDevice d : serverSide.devices()) {
                if (d != not) {
                    return d;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server lists no new device within " + T + " s");
    }

    @Override
    public void close() throws Exception {
        try {
            session.close();
            session.closed().get(T, TimeUnit.SECONDS);
        } finally {
            client.close();
            server.close();
        }
    }
}
