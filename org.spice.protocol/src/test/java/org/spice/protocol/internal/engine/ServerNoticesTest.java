package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;

/** What our server tells a client on main besides the session: NOTIFY for a plain keyboard, DISCONNECTING. */
@ExtendWith(LeakCheck.class)
class ServerNoticesTest {
    private ServerEngine server;
    private ClientEngine client;

    /** An inputs channel that says nothing either way. */
    static final class QuietInputs implements ServerChannelFactory, ClientChannelFactory {
        @Override
        public int channelType() {
            return ChannelType.INPUTS;
        }

        @Override
        public Capabilities channelCapabilities() {
            return Capabilities.NONE;
        }

        @Override
        public ChannelHandler open(ServerChannelContext ctx) {
            return (type, body) -> body.skipBytes(body.readableBytes());
        }

        @Override
        public ChannelHandler open(ClientChannelContext ctx) {
            return (type, body) -> body.skipBytes(body.readableBytes());
        }
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void plainKeyboardIsNotifiedAndAnOperatorDisconnectIsAnnounced() throws Exception {
        QuietInputs inputs = new QuietInputs();
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "notices", new UUID(1, 2), 4, Duration.ofSeconds(2))).start();
        server.addFactory(inputs);
        client = new ClientEngine(t -> t == ChannelType.INPUTS ? inputs : null);
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            ClientSession s = client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(),
                    -1, null), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
            String notice = log.await("keyboard channel is insecure");
            assertTrue(notice.contains("peer notifies (warning, code 0)"), notice);
            assertTrue(server.disconnect(s.main().sessionId()));
            log.await("server is disconnecting");
            s.closed().get(5, TimeUnit.SECONDS);
        }
    }
}
