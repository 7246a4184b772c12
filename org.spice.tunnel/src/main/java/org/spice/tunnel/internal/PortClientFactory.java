package org.spice.tunnel.internal;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Component;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ClientChannels;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.tunnel.api.ClientPorts;
import org.spice.tunnel.api.PortConnection;

/**
 * The client side of the port channel: each linked port is found by the name its server init announces. A subclass
 * serves another channel type that speaks the port channel's messages (spice-server gives the port
 * org.spice-space.webdav.0 the type WEBDAV).
 */
@Component(service = {ClientChannelFactory.class, ClientPorts.class})
@SpiceChannel(type = ChannelType.PORT)
public class PortClientFactory implements ClientChannelFactory, ClientPorts {
    /**
     * Bytes from the server that the reader has not taken yet: beyond {@link #PAUSE_AT} this side stops reading
     * from the server until the reader is back under {@link #RESUME_BELOW}, so TCP holds the server back. What
     * arrives while paused (Netty's last read) still fits; a queue past MAX_BUFFERED means that failed, and the
     * channel is closed.
     */
    static final long PAUSE_AT = 1L << 20;
    static final long RESUME_BELOW = 256L << 10;
    static final long MAX_BUFFERED = 16L << 20;
    /** Bytes per data message we send. */
    static final int CHUNK = 64 * 1024;

    private final int type;
    private final ClientChannels<PortClientChannel> ports;

    public PortClientFactory() {
        this(ChannelType.PORT);
    }

    PortClientFactory(int type) {
        this.type = type;
        this.ports = new ClientChannels<>(type);
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        PortClientChannel p = new PortClientChannel(context, ports);
        ports.add(context, p);
        return ports.removingOnClose(context, p, p);
    }

    @Override
    public List<String> names(ClientSession session) {
        return ports.all(session).values().stream().map(PortClientChannel::name).toList();
    }

    @Override
    public CompletableFuture<List<String>> announced(ClientSession session) {
        List<CompletableFuture<PortClientChannel>> all = session.main().channels().stream()
                .filter(c -> c.type() == type).map(c -> ports.link(session, c.id())).toList();
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(f -> f.join().name()).toList());
    }

    /**
     * Links every port channel the server offers (those not linked yet) and opens the one named {@code name} once
     * its init arrives; fails once every port has announced itself and none has that name.
     */
    @Override
    public CompletableFuture<PortConnection> open(ClientSession session, String name) {
        CompletableFuture<PortConnection> f = new CompletableFuture<>();
        List<CompletableFuture<PortClientChannel>> announced = session.main().channels().stream()
                .filter(c -> c.type() == type)
                .map(c -> ports.link(session, c.id()).thenApply(p -> {
                    if (name.equals(p.name())) {
                        synchronized (f) {
                            if (!f.isDone()) {
                                p.openPort();
                                f.complete(p);
                            }
                        }
                    }
                    return p;
                }))
                .toList();
        CompletableFuture.allOf(announced.toArray(CompletableFuture[]::new)).whenComplete((v, e) ->
                f.completeExceptionally(e != null ? e : new NoSuchElementException("no port named " + name
                        + " (the server has " + names(session) + ")")));
        return f;
    }
}
