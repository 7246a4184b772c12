package org.spice.protocol.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.LinkedChannel;
import org.spice.protocol.client.MainInfo;
import org.spice.protocol.wire.MainMessages.ChannelId;

class ClientChannelsTest {
    /** A session whose server offers {@code offered} and which records the links it is asked for. */
    private static final class Session {
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final List<String> linkRequests = new ArrayList<>();
        final List<LinkedChannel> linked = new ArrayList<>();
        final ClientSession proxy;

        Session(ChannelId... offered) {
            MainInfo info = new MainInfo(1, 0, 0, false, 0, 0, null, null, Capabilities.NONE, Capabilities.NONE,
                    List.of(offered));
            proxy = (ClientSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ClientSession.class}, (p, m, args) -> switch (m.getName()) {
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        case "toString" -> "test session";
                        case "closed" -> closed;
                        case "main" -> info;
                        case "channels" -> List.copyOf(linked);
                        case "link" -> {
                            linkRequests.add(args[0] + ":" + args[1]);
                            yield new CompletableFuture<LinkedChannel>();
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }

        ClientChannelContext channel(int id) {
            return (ClientChannelContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ClientChannelContext.class}, (p, m, args) -> switch (m.getName()) {
                        case "session" -> proxy;
                        case "channelId" -> id;
                        case "channelType" -> ChannelType.PORT;
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    private static final ChannelHandler IGNORE = (type, body) -> { };

    @Test
    void aChannelIsFoundAndHandedToWaitersOnlyOnceReady() throws Exception {
        Session s = new Session(new ChannelId(ChannelType.PORT, 0));
        ClientChannels<String> ports = new ClientChannels<>(ChannelType.PORT);
        CompletableFuture<String> waiting = ports.linked(s.proxy, 0);
        ClientChannelContext ctx = s.channel(0);
        ports.add(ctx, "port 0");
        assertNull(ports.get(s.proxy), "not ready yet");
        assertFalse(waiting.isDone());
        ports.ready(ctx, "port 0");
        assertEquals("port 0", waiting.get());
        assertEquals("port 0", ports.get(s.proxy));
        assertEquals(Map.of(0, "port 0"), ports.all(s.proxy));
        assertEquals("port 0", ports.linked(s.proxy, 0).getNow(null), "ready: the future is complete at once");
    }

    @Test
    void closingRemovesTheChannelBeforeTheHandlersOwnClose() {
        Session s = new Session();
        ClientChannels<String> ports = new ClientChannels<>(ChannelType.PORT);
        ClientChannelContext ctx = s.channel(3);
        List<String> seenAtClose = new ArrayList<>();
        ChannelHandler h = ports.track(ctx, "port 3", new ChannelHandler() {
            @Override
            public void onMessage(int type, ByteBuf body) {
            }

            @Override
            public void onClose() {
                seenAtClose.add(String.valueOf(ports.get(s.proxy, 3)));
            }
        });
        assertEquals("port 3", ports.get(s.proxy, 3));
        h.onClose();
        assertEquals(List.of("null"), seenAtClose);
        assertTrue(ports.all(s.proxy).isEmpty());
    }

    @Test
    void aChannelClosingBeforeItWasReadyFailsItsWaiters() {
        Session s = new Session();
        ClientChannels<String> agents = new ClientChannels<>(ChannelType.MAIN, "the agent");
        ClientChannelContext ctx = s.channel(0);
        CompletableFuture<String> waiting = agents.linked(s.proxy, 0);
        agents.add(ctx, "agent");
        agents.remove(ctx, "agent");
        ExecutionException e = assertThrows(ExecutionException.class, waiting::get);
        assertEquals("the agent closed before it was ready", e.getCause().getMessage());
        agents.ready(ctx, "agent");
        assertNull(agents.get(s.proxy), "a closed channel does not become ready");
    }

    @Test
    void theSessionClosingFailsWaiters() {
        Session s = new Session(new ChannelId(ChannelType.PORT, 0));
        ClientChannels<String> ports = new ClientChannels<>(ChannelType.PORT);
        CompletableFuture<String> waiting = ports.linked(s.proxy, 0);
        s.closed.complete(null);
        ExecutionException e = assertThrows(ExecutionException.class, waiting::get);
        assertEquals("the session closed", e.getCause().getMessage());
        assertTrue(ports.linked(s.proxy, 0).isCompletedExceptionally(), "a closed session fails waits at once");
    }

    @Test
    void linkAsksForAnOfferedChannelNotLinkedYetAndRefusesOneNotOffered() {
        Session s = new Session(new ChannelId(ChannelType.PORT, 1));
        ClientChannels<String> ports = new ClientChannels<>(ChannelType.PORT);
        CompletableFuture<String> f = ports.link(s.proxy, 1);
        assertFalse(f.isDone());
        assertEquals(List.of(ChannelType.PORT + ":1"), s.linkRequests);

        s.linked.add(new LinkedChannel(ChannelType.PORT, 1, Capabilities.NONE, Capabilities.NONE, false, true));
        ports.link(s.proxy, 1);
        assertEquals(1, s.linkRequests.size(), "already linked: no second link");

        ExecutionException e = assertThrows(ExecutionException.class, () -> ports.link(s.proxy, 2).get());
        assertEquals("the server offers no port:2 channel", e.getCause().getMessage());

        ports.track(s.channel(1), "port 1", IGNORE);
        assertEquals("port 1", f.getNow(null));
    }
}
