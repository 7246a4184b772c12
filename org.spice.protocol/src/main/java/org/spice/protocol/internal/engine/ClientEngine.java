package org.spice.protocol.internal.engine;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.spi.ClientAgentFactory;
import org.spice.protocol.spi.ClientChannelFactory;

/** The client role: makes sessions, each a main channel plus the channels linked beside it. */
public final class ClientEngine implements SpiceClient, AutoCloseable {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    final IntFunction<ClientChannelFactory> factories;
    final Supplier<ClientAgentFactory> agents;
    private final List<ClientSessionImpl> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    /** @param factories the registered client channel factory for a channel type, or null */
    public ClientEngine(IntFunction<ClientChannelFactory> factories) {
        this(factories, () -> null);
    }

    /**
     * @param factories the registered client channel factory for a channel type, or null
     * @param agents the registered client agent, or null when there is none
     */
    public ClientEngine(IntFunction<ClientChannelFactory> factories, Supplier<ClientAgentFactory> agents) {
        this.factories = factories;
        this.agents = agents;
    }

    @Override
    public CompletableFuture<ClientSession> connect(SpiceUri uri, ClientOptions options) {
        ClientSessionImpl s = new ClientSessionImpl(this, ids.incrementAndGet(), uri, options);
        sessions.add(s);
        s.closed().whenComplete((v, t) -> sessions.remove(s));
        return s.start();
    }

    @Override
    public List<ClientSession> sessions() {
        return List.copyOf(sessions);
    }

    /** Closes the linked channels of one type in every session, when its factory goes away. */
    public void closeChannels(int type, String reason) {
        sessions.forEach(s -> s.closeChannels(type, reason));
    }

    /**
     * Closes every session and then stops the event loops. The loops stop only once the sessions closed (at most
     * {@value #CLOSE_WAIT_MS} ms): a session closes its main channel last, after the others, on a loop, and a loop
     * stopped before that left the session never saying it closed (ShutdownTest saw it once). A session still open
     * when the loops have stopped is closed then.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (ClientSessionImpl s : sessions) {
            s.close();
            closing.add(s.closed());
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT_MS,
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the loops stop anyway, and the sessions are closed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        sessions.forEach(ClientSessionImpl::loopsStopped);
    }

    /** How long {@link #close} lets sessions close before the loops stop: their own grace for main, and a second. */
    static final long CLOSE_WAIT_MS = ClientSessionImpl.CLOSE_GRACE_MS + 1000;
}
