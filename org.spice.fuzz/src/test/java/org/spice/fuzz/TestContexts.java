package org.spice.fuzz;

import java.util.concurrent.ScheduledExecutorService;
import org.spice.protocol.Capabilities;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.server.ServerSession;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.wire.SpiceMessage;

/** Channel contexts for handlers driven straight by a fuzz test: what they send is dropped. */
public final class TestContexts {
    private TestContexts() {
    }

    /** A session that only serves as a map key. */
    public static ClientSession session() {
        return (ClientSession) java.lang.reflect.Proxy.newProxyInstance(TestContexts.class.getClassLoader(),
                new Class<?>[] {ClientSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fuzz session";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    public static ClientChannelContext client(int channelType, Capabilities channelCaps) {
        ClientSession session = session();
        return new ClientChannelContext() {
            public ClientSession session() {
                return session;
            }

            public int channelType() {
                return channelType;
            }

            public int channelId() {
                return 0;
            }

            public Capabilities remoteCommonCaps() {
                return Capabilities.NONE;
            }

            public Capabilities remoteChannelCaps() {
                return channelCaps;
            }

            public void send(SpiceMessage message) {
            }

            public void close(String reason) {
            }

            public boolean isOpen() {
                return true;
            }

            public boolean canSend() {
                return true;
            }

            public ScheduledExecutorService executor() {
                throw new UnsupportedOperationException("fuzz tests run on their own thread");
            }

            public String describe() {
                return "fuzz:" + channelType;
            }
        };
    }

    public static ServerChannelContext server(int channelType, Capabilities channelCaps) {
        ClientChannelContext c = client(channelType, channelCaps);
        return new ServerChannelContext() {
            public ServerSession session() {
                return null;
            }

            public long connectionId() {
                return 1;
            }

            public int channelType() {
                return channelType;
            }

            public int channelId() {
                return 0;
            }

            public Capabilities remoteCommonCaps() {
                return Capabilities.NONE;
            }

            public Capabilities remoteChannelCaps() {
                return channelCaps;
            }

            public void send(SpiceMessage message) {
            }

            public void close(String reason) {
            }

            public boolean isOpen() {
                return true;
            }

            public boolean canSend() {
                return true;
            }

            public ScheduledExecutorService executor() {
                return c.executor();
            }

            public String describe() {
                return "fuzz-server:" + channelType;
            }
        };
    }

    /** Messages as on the wire after the link, with mini headers: [type u16 LE][size u32 LE][body]. */
    public interface Sink {
        void onMessage(int type, io.netty.buffer.ByteBuf body);
    }

    /**
     * Feeds {@code input} as a sequence of mini-header messages to {@code sink}; a size beyond the input is cut to
     * what is left (the framing itself is fuzzed by the protocol's fuzz test). Every SpiceProtocolException a
     * message raises is the contract; the next message is fed to the same handler, as a lenient peer would.
     */
    public static void feed(byte[] input, Sink sink) {
        io.netty.buffer.ByteBuf all = io.netty.buffer.Unpooled.wrappedBuffer(input);
        while (all.readableBytes() >= 6) {
            int type = all.readUnsignedShortLE();
            long size = Math.min(all.readUnsignedIntLE(), all.readableBytes());
            io.netty.buffer.ByteBuf body = all.readSlice((int) size);
            try {
                sink.onMessage(type, body);
            } catch (org.spice.protocol.SpiceProtocolException expected) {
                // refused: the contract
            }
        }
    }
}
