package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.main.MainChannelServer;
import org.spice.protocol.spi.AgentEndpoint;
import org.spice.protocol.spi.AgentHandler;
import org.spice.protocol.spi.ClientAgentFactory;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ServerAgentFactory;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.wire.AgentHeader;
import org.spice.protocol.wire.MainMessages;

/**
 * The agent stream of our main channel, our client against our server: the server's agent comes and goes, whole
 * messages of any size cross in both directions within the tokens, and what breaks the stream's framing ends the
 * session the way spice-server ends it, while what an agent cannot read costs only that message.
 */
@ExtendWith(LeakCheck.class)
class AgentStreamTest {
    private ServerEngine server;
    private ClientEngine client;
    private final EchoAgent serverAgent = new EchoAgent();
    private final ClientSide clientAgent = new ClientSide();

    /** Server agent: answers each message with type + 100 and the same body; type 99 it cannot read. */
    static final class EchoAgent implements ServerAgentFactory {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public AgentHandler open(ServerChannelContext main, AgentEndpoint agent) {
            events.add("open 0x" + Long.toHexString(main.connectionId()));
            return new AgentHandler() {
                @Override
                public void onMessage(int type, long opaque, byte[] body) {
                    if (type == 99) {
                        throw new SpiceProtocolException("type 99 is unreadable");
                    }
                    agent.send(type + 100, body);
                }

                @Override
                public long maxMessageSize(int type) {
                    return 1 << 20;
                }

                @Override
                public void onClose() {
                    events.add("close");
                }
            };
        }
    }

    /** Client agent: records what arrives, and keeps the endpoint to send with. */
    static final class ClientSide implements ClientAgentFactory {
        final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final AtomicReference<AgentEndpoint> endpoint = new AtomicReference<>();

        @Override
        public AgentHandler open(ClientChannelContext main, AgentEndpoint agent) {
            endpoint.set(agent);
            received.add("open");
            return new AgentHandler() {
                @Override
                public void onMessage(int type, long opaque, byte[] body) {
                    received.add(type);
                    received.add(body);
                }

                @Override
                public long maxMessageSize(int type) {
                    return 1 << 20;
                }

                @Override
                public void onClose() {
                    received.add("close");
                }
            };
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "agent", UUID.randomUUID(), 4, Duration.ofSeconds(2))).start();
        client = new ClientEngine(t -> null, () -> clientAgent);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private ClientSession connect() throws Exception {
        return client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null),
                ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
    }

    private AgentEndpoint awaitOpen() throws InterruptedException {
        assertEquals("open", clientAgent.received.poll(5, TimeUnit.SECONDS));
        return clientAgent.endpoint.get();
    }

    private void awaitReply(int type, byte[] body) throws InterruptedException {
        assertEquals(type, clientAgent.received.poll(5, TimeUnit.SECONDS));
        assertArrayEquals(body, (byte[]) clientAgent.received.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void withoutAnAgentTheClientIsToldNoneAndStartsNothing() throws Exception {
        ClientSession s = connect();
        assertFalse(s.main().agentConnected());
        assertEquals(MainChannelServer.AGENT_WINDOW, s.main().agentTokens());
        assertNull(clientAgent.received.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void messagesOfAnySizeCrossBothWaysWithinTheTokens() throws Exception {
        server.setAgent(serverAgent);
        ClientSession s = connect();
        assertTrue(s.main().agentConnected());
        AgentEndpoint agent = awaitOpen();
        assertNotNull(serverAgent.events.poll(5, TimeUnit.SECONDS));
        long chunks = 0;
        for (int size : new int[] {0, 1, 2028, 2029, 4096, 300_000}) {
            byte[] body = new byte[size];
            new Random(size).nextBytes(body);
            agent.send(7, body);
            awaitReply(107, body);
            chunks += (AgentHeader.SIZE + size + AgentHeader.MAX_DATA_SIZE - 1) / AgentHeader.MAX_DATA_SIZE;
        }
        agent.flushed().get(5, TimeUnit.SECONDS);
        // The server returned the chunks it consumed five at a time: what is missing is the last partial batch. The
        // last whole batch's AGENT_TOKEN may still be on its way when the reply has arrived, so wait for it.
        long expected = MainChannelServer.AGENT_WINDOW - chunks % 5;
        for (int i = 0; i < 500 && s.main().agentTokens() != expected; i++) {
            Thread.sleep(10);
        }
        assertEquals(expected, s.main().agentTokens());
        assertEquals(0, agent.queuedBytes());
    }

    @Test
    void theAgentComesAndGoesWhileClientsStayConnected() throws Exception {
        ClientSession s = connect();
        assertFalse(s.main().agentConnected());
        server.setAgent(serverAgent);
        AgentEndpoint first = awaitOpen();
        assertTrue(s.main().agentConnected());
        first.send(1, new byte[] {1});
        awaitReply(101, new byte[] {1});
        server.removeAgent(serverAgent);
        assertEquals("close", clientAgent.received.poll(5, TimeUnit.SECONDS));
        assertEquals("open 0x" + Long.toHexString(s.main().sessionId()), serverAgent.events.poll(5, TimeUnit.SECONDS));
        assertEquals("close", serverAgent.events.poll(5, TimeUnit.SECONDS));
        assertFalse(s.main().agentConnected());
        assertFalse(first.isOpen());
        server.setAgent(serverAgent);
        AgentEndpoint second = awaitOpen();
        second.send(2, new byte[] {2});
        awaitReply(102, new byte[] {2});
        assertFalse(s.closed().isDone());
    }

    @Test
    void whatTheAgentCannotReadCostsThatMessageOnly() throws Exception {
        server.setAgent(serverAgent);
        ClientSession s = connect();
        AgentEndpoint agent = awaitOpen();
        try (LogCapture log = new LogCapture("org.spice.protocol.main")) {
            agent.send(99, new byte[10]);
            log.await("agent message type 99 dropped: type 99 is unreadable");
            agent.send(5, new byte[2_000_000]); // over the agent's 1 MiB limit
            log.await("agent message type 5 dropped: 2000000 bytes exceed the limit of 1048576");
            agent.send(3, new byte[] {3});
            awaitReply(103, new byte[] {3});
        }
        assertFalse(s.closed().isDone());
    }

    @Test
    void brokenFramingEndsTheClientAsSpiceServerDoesAndOnlyThatClient() throws Exception {
        server.setAgent(serverAgent);
        ClientSession bystander = connect();
        awaitOpen();
        ClientSession victim = connect();
        awaitOpen();
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            ClientConnection main = EngineTest.connection(victim, ChannelType.MAIN);
            byte[] bad = new byte[AgentHeader.SIZE];
            bad[0] = 2; // protocol 2
            main.send(new MainMessages.AgentData(MainMessages.C_AGENT_DATA, bad));
            victim.closed().get(5, TimeUnit.SECONDS);
            log.await("protocol error: invalid agent protocol 2");
        }
        assertFalse(bystander.closed().isDone());
        for (int i = 0; i < 100 && server.clients().size() != 1; i++) {
            Thread.sleep(20);
        }
        assertEquals(1, server.clients().size());
    }

    @Test
    void aChunkOverTheMaximumSizeEndsTheClient() throws Exception {
        server.setAgent(serverAgent);
        ClientSession victim = connect();
        awaitOpen();
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            EngineTest.connection(victim, ChannelType.MAIN).send(new MainMessages.AgentData(
                    MainMessages.C_AGENT_DATA, new byte[AgentHeader.MAX_DATA_SIZE + 1]));
            victim.closed().get(5, TimeUnit.SECONDS);
            log.await("agent data chunk of 2049 bytes exceeds 2048");
        }
    }
}
