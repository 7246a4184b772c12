package org.spice.protocol;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.server.ServerSession;
import org.spice.protocol.spi.ChannelEndpoint;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.wire.SpiceMessage;

/**
 * The context of a channel handler that a test (or a fuzz test) drives directly, without a connection: it keeps
 * what the handler sends and why it closed, and runs what the handler hands its executor at once, on the caller's
 * thread.
 */
public abstract class FakeChannelContext implements ChannelEndpoint {
    /** Synchronized: handlers may send from threads of their own (lock it to iterate). */
    public final List<SpiceMessage> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    private final int channelType;
    private final Capabilities channelCaps;
    private String closedBecause;
    private ScheduledExecutorService executor = ImmediateEventExecutor.INSTANCE;

    FakeChannelContext(int channelType, Capabilities channelCaps) {
        this.channelType = channelType;
        this.channelCaps = channelCaps;
    }

    public static Client client(int channelType, Capabilities channelCaps) {
        return new Client(channelType, channelCaps, ClientOptions.defaults(), () -> -1);
    }

    /** A client channel of a session connected with {@code options}. */
    public static Client client(int channelType, Capabilities channelCaps, ClientOptions options) {
        return new Client(channelType, channelCaps, options, () -> -1);
    }

    /** A client channel whose session's multimedia clock reads {@code mmClock}. */
    public static Client client(int channelType, Capabilities channelCaps, ClientOptions options,
            java.util.function.LongSupplier mmClock) {
        return new Client(channelType, channelCaps, options, mmClock);
    }

    public static Server server(int channelType, Capabilities channelCaps) {
        return new Server(channelType, channelCaps, null);
    }

    /** Server role in {@code session} (handlers that ask their session for its clients or clock). */
    public static Server server(int channelType, Capabilities channelCaps, ServerSession session) {
        return new Server(channelType, channelCaps, session);
    }

    /** Why the handler closed its channel, or null while open. */
    public String closedBecause() {
        return closedBecause;
    }

    @Override
    public int channelType() {
        return channelType;
    }

    @Override
    public int channelId() {
        return 0;
    }

    @Override
    public Capabilities remoteCommonCaps() {
        return Capabilities.NONE;
    }

    @Override
    public Capabilities remoteChannelCaps() {
        return channelCaps;
    }

    @Override
    public void send(SpiceMessage message) {
        sent.add(message);
    }

    @Override
    public void close(String reason) {
        closedBecause = reason;
    }

    @Override
    public boolean isOpen() {
        return closedBecause == null;
    }

    @Override
    public boolean canSend() {
        return true;
    }

    /** Runs tasks at once on the caller's thread (scheduling for later is refused). */
    @Override
    public ScheduledExecutorService executor() {
        return executor;
    }

    /** Replaces the executor, for handlers whose timing a test drives (a scheduler the test steps by hand). */
    public void executor(ScheduledExecutorService e) {
        executor = e;
    }

    @Override
    public String describe() {
        return "channel " + channelType + ":0 (fake)";
    }

    /** Client role; its session is an identity (handlers may key state by it) with options, nothing else. */
    public static final class Client extends FakeChannelContext implements ClientChannelContext {
        private final ClientSession session;

        private Client(int channelType, Capabilities channelCaps, ClientOptions options,
                java.util.function.LongSupplier mmClock) {
            super(channelType, channelCaps);
            session = (ClientSession) java.lang.reflect.Proxy.newProxyInstance(
                    FakeChannelContext.class.getClassLoader(), new Class<?>[] {ClientSession.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "fake session";
                        case "options" -> options;
                        case "multiMediaTime" -> mmClock.getAsLong();
                        default -> throw new UnsupportedOperationException(method.getName() + " on a fake session");
                    });
        }

        @Override
        public ClientSession session() {
            return session;
        }
    }

    /** Server role, in the session given or without one. */
    public static final class Server extends FakeChannelContext implements ServerChannelContext {
        private final ServerSession session;

        private Server(int channelType, Capabilities channelCaps, ServerSession session) {
            super(channelType, channelCaps);
            this.session = session;
        }

        @Override
        public ServerSession session() {
            return session;
        }

        @Override
        public long connectionId() {
            return 1;
        }
    }
}
