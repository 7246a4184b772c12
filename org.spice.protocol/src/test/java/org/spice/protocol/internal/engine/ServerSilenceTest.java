package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;

/**
 * The client's side of silence, over TCP on 127.0.0.1: a session whose server sends nothing at all for the
 * client's server silence limit is lost, with the reason, and {@link ClientSession#lost()} says so; a server that
 * pings keeps an idle session alive; a session closed here or by the server tells which.
 */
class ServerSilenceTest {
    private ServerEngine server;
    private ClientEngine client;

    private ClientSession connect(ServerEngine.PeerLimits limits, Duration silence) throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "silence", UUID.randomUUID(), 8, Duration.ofSeconds(5))).peerLimits(limits).start();
        client = new ClientEngine(t -> null);
        return client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null),
                ClientOptions.defaults().withServerSilence(silence)).get(10, TimeUnit.SECONDS);
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
    void aSessionWhoseServerSendsNothingIsLost() throws Exception {
        // the server would ping only after a minute of client silence: nothing comes in between
        ClientSession s = connect(ServerEngine.PeerLimits.DEFAULT.withSilence(Duration.ofSeconds(60),
                Duration.ofSeconds(60)), Duration.ofSeconds(1));
        long start = System.nanoTime();
        s.closed().get(20, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(900), "lost too early");
        assertEquals(Optional.of("the server sent nothing for 1 s, not even a ping (it is stopped, or the network"
                + " to it is gone)"), s.lost());
    }

    @Test
    void aServerThatPingsKeepsAnIdleSession() throws Exception {
        ClientSession s = connect(ServerEngine.PeerLimits.DEFAULT.withSilence(Duration.ofMillis(300),
                Duration.ofSeconds(5)), Duration.ofSeconds(2));
        Thread.sleep(5_000);
        assertFalse(s.closed().isDone(), "an idle session with a pinging server was lost: " + s.lost());
        assertEquals(Optional.empty(), s.lost());
        s.close();
        s.closed().get(10, TimeUnit.SECONDS);
        assertEquals(Optional.empty(), s.lost(), "closed here, not lost");
    }

    @Test
    void aSessionTheServerEndsSaysSo() throws Exception {
        ClientSession s = connect(ServerEngine.PeerLimits.DEFAULT, Duration.ofSeconds(30));
        ((ClientSessionImpl) s).connection(ChannelType.MAIN); // linked
        server.close();
        server = null;
        s.closed().get(10, TimeUnit.SECONDS);
        assertTrue(s.lost().isPresent(), "a session the server closed is not marked lost");
    }
}
