package org.spice.agent.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardType;
import org.spice.agent.api.ServerClipboard;
import org.spice.agent.api.FileTransfer;
import org.spice.agent.api.FileTransferException;
import org.spice.agent.api.Monitor;
import org.spice.agent.internal.client.AgentClientFactory;
import org.spice.agent.internal.wire.AgentMessages;
import org.spice.desktop.Frame;
import org.spice.desktop.sources.internal.DemoSource;
import org.spice.display.api.ClientDisplay;
import org.spice.display.internal.client.DisplayClientFactory;
import org.spice.display.internal.server.DisplayConfig;
import org.spice.display.internal.server.DisplayServerFactory;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;

/**
 * Our client's agent against our server as its own agent, in one JVM: clipboard text and PNG both ways, monitors
 * config resizing the demo desktop (and the client's display following), files sent byte for byte, refused and
 * cancelled.
 */
@ExtendWith(LeakCheck.class)
class AgentEndToEndTest {
    @TempDir
    Path dir;
    private ServerEngine server;
    private ClientEngine client;
    private DisplayServerFactory display;
    private DemoSource source;
    private final MemoryClipboard clipboard = new MemoryClipboard();
    private AgentServer agentServer;
    private final AgentClientFactory agents = new AgentClientFactory();
    private final DisplayClientFactory displays = new DisplayClientFactory();

    static AgentConfig config(Path files, boolean fileXfer, long maxFile) {
        return new AgentConfig() {
            public Class<AgentConfig> annotationType() {
                return AgentConfig.class;
            }

            public int clipboard_max_size() {
                return 1 << 20;
            }

            public String clipboard_backend() {
                return "memory";
            }

            public boolean monitors_config() {
                return true;
            }

            public boolean file_xfer_enabled() {
                return fileXfer;
            }

            public String file_xfer_dir() {
                return files.toString();
            }

            public long file_xfer_max_size() {
                return maxFile;
            }
        };
    }

    static DisplayConfig demo() {
        return new DisplayConfig() {
            public Class<DisplayConfig> annotationType() {
                return DisplayConfig.class;
            }

            public String source() {
                return "demo";
            }

            public String image_compression() {
                return "off";
            }

            public String jpeg_compression() {
                return "never";
            }

            public String streaming_video() {
                return "off";
            }

            public String video_codecs() {
                return "mjpeg";
            }

            public int monitors() {
                return 1;
            }
        };
    }

    private ClientAgent start(AgentConfig config) throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "agent test", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start();
        source = new DemoSource();
        display = new DisplayServerFactory(demo(), source);
        server.addFactory(display);
        agentServer = new AgentServer(config);
        agentServer.bindClipboard(clipboard);
        agentServer.display = source;
        server.setAgent(agentServer);
        client = new ClientEngine(t -> t == ChannelType.DISPLAY ? displays : null, () -> agents);
        return agents.ready(connect()).get(10, TimeUnit.SECONDS);
    }

    private ClientSession connect() throws Exception {
        return client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null),
                ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (source != null) {
            source.close();
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    static byte[] png(int w, int h, long seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < 200; i++) {
            g.setColor(new Color(r.nextInt(0xffffff)));
            g.fillRect(r.nextInt(w), r.nextInt(h), 1 + r.nextInt(40), 1 + r.nextInt(40));
        }
        g.dispose();
        for (int y = 0; y < h; y += 3) {
            for (int x = 0; x < w; x += 3) {
                img.setRGB(x, y, r.nextInt(0xffffff)); // noise, so that the PNG stays large
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** Records the agent's clipboard events. */
    static final class Events implements ClientAgent.Listener {
        final LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();

        @Override
        public void clipboardGrabbed(Set<ClipboardType> types) {
            q.add(types);
        }

        @Override
        public void clipboardReleased() {
            q.add("released");
        }
    }

    @Test
    void capabilitiesAreExchanged() throws Exception {
        ClientAgent agent = start(config(dir, true, 1 << 20));
        assertTrue(agent.isOpen());
        assertTrue(agent.hasCapability(AgentMessages.CAP_CLIPBOARD_BY_DEMAND));
        assertTrue(agent.hasCapability(AgentMessages.CAP_CLIPBOARD_SELECTION));
        assertTrue(agent.hasCapability(AgentMessages.CAP_MONITORS_CONFIG));
        assertTrue(agent.hasCapability(AgentMessages.CAP_REPLY));
        assertFalse(agent.hasCapability(AgentMessages.CAP_FILE_XFER_DISABLED));
        assertTrue(agent.hasCapability(AgentMessages.CAP_CLIPBOARD_GRAB_SERIAL));
    }

    /** A clipboard that remembers which client set it. */
    static final class ClientsClipboard implements ServerClipboard {
        final MemoryClipboard memory = new MemoryClipboard();
        final LinkedBlockingQueue<Long> setters = new LinkedBlockingQueue<>();

        @Override
        public void set(long connectionId, ClipboardContent content) {
            memory.set(content);
            setters.add(connectionId);
        }

        @Override
        public ClipboardContent get() {
            return memory.get();
        }

        @Override
        public void set(ClipboardContent content) {
            memory.set(content);
        }

        @Override
        public void addListener(Listener listener) {
            memory.addListener(listener);
        }

        @Override
        public void removeListener(Listener listener) {
            memory.removeListener(listener);
        }
    }

    @Test
    void aHigherRankedClipboardTakesOverWhileClientsStayConnected() throws Exception {
        ClientAgent agent = start(config(dir, true, 1 << 20));
        Events events = new Events();
        agent.addListener(events);
        ClientsClipboard higher = new ClientsClipboard();
        higher.set(ClipboardContent.text("the VM's"));
        agentServer.bindClipboard(higher);
        agentServer.unbindClipboard(clipboard);
        assertEquals(Set.of(ClipboardType.UTF8_TEXT), events.q.poll(5, TimeUnit.SECONDS),
                "what the new clipboard holds is offered to the connected client");
        assertEquals(ClipboardContent.text("the VM's"), agent.clipboard(ClipboardType.UTF8_TEXT)
                .get(5, TimeUnit.SECONDS));

        agent.setClipboard(ClipboardContent.text("copied by the client"));
        Long setter = higher.setters.poll(5, TimeUnit.SECONDS);
        assertEquals(server.clients().get(0).connectionId(), setter, "the client's connection id goes with its copy");
        assertEquals(ClipboardContent.text("copied by the client"), higher.get());
        assertNull(clipboard.get(), "the replaced clipboard still hears the client");

        clipboard.set(ClipboardContent.text("the old clipboard's"));
        assertNull(events.q.poll(300, TimeUnit.MILLISECONDS), "the replaced clipboard is still offered to clients");
    }

    @Test
    void clipboardTextAndPngBothWays() throws Exception {
        ClientAgent agent = start(config(dir, true, 1 << 20));
        Events events = new Events();
        agent.addListener(events);
        try (LogCapture log = new LogCapture("org.spice.agent")) {
            agent.setClipboard(ClipboardContent.text("from the client, ünïcode"));
            waitFor(() -> ClipboardContent.text("from the client, ünïcode").equals(clipboard.get()),
                    "the client's text did not reach the server clipboard");
            String line = log.await("clipboard from client: 26 bytes");
            assertFalse(line.contains("ünïcode"), "clipboard content in the log: " + line);
        }
        assertNull(events.q.poll(200, TimeUnit.MILLISECONDS), "the client's own clipboard came back to it");

        clipboard.set(ClipboardContent.text("from the server"));
        assertEquals(Set.of(ClipboardType.UTF8_TEXT), events.q.poll(5, TimeUnit.SECONDS));
        assertEquals(Set.of(ClipboardType.UTF8_TEXT), agent.remoteClipboardTypes());
        assertEquals("from the server", agent.clipboard(ClipboardType.UTF8_TEXT).get(5, TimeUnit.SECONDS).text());
        assertNull(agent.clipboard(ClipboardType.IMAGE_PNG).get(5, TimeUnit.SECONDS),
                "a type the server does not hold comes back empty");

        byte[] fromClient = png(600, 400, 1);
        assertTrue(fromClient.length > 10 * 2048, "the image spans many chunks");
        agent.setClipboard(ClipboardContent.png(fromClient));
        waitFor(() -> ClipboardContent.png(fromClient).equals(clipboard.get()), "the client's PNG did not arrive");

        byte[] fromServer = png(300, 500, 2);
        clipboard.set(ClipboardContent.png(fromServer));
        assertEquals(Set.of(ClipboardType.IMAGE_PNG), events.q.poll(5, TimeUnit.SECONDS));
        assertArrayEquals(fromServer, agent.clipboard(ClipboardType.IMAGE_PNG).get(5, TimeUnit.SECONDS).data());

        clipboard.set(null);
        assertEquals("released", events.q.poll(5, TimeUnit.SECONDS));
        assertEquals(Set.of(), agent.remoteClipboardTypes());
    }

    @Test
    void oneClientsClipboardIsOfferedToTheOthers() throws Exception {
        ClientAgent a = start(config(dir, true, 1 << 20));
        ClientAgent b = agents.ready(connect()).get(10, TimeUnit.SECONDS);
        Events ea = new Events();
        Events eb = new Events();
        a.addListener(ea);
        b.addListener(eb);
        a.setClipboard(ClipboardContent.text("shared"));
        assertEquals(Set.of(ClipboardType.UTF8_TEXT), eb.q.poll(5, TimeUnit.SECONDS));
        assertEquals("shared", b.clipboard(ClipboardType.UTF8_TEXT).get(5, TimeUnit.SECONDS).text());
        assertNull(ea.q.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void aClipboardOverTheLimitIsDroppedAndTheSessionGoesOn() throws Exception {
        ClientAgent agent = start(config(dir, true, 1 << 20));
        try (LogCapture log = new LogCapture("org.spice.protocol.main")) {
            agent.setClipboard(ClipboardContent.text("x".repeat((1 << 20) + 100)));
            log.await("agent message type 4 dropped");
        }
        assertNull(clipboard.get());
        agent.setClipboard(ClipboardContent.text("small"));
        waitFor(() -> ClipboardContent.text("small").equals(clipboard.get()), "the next clipboard did not arrive");
    }

    @Test
    void monitorsConfigResizesTheDemoAndTheClientsDisplayFollows() throws Exception {
        ClientAgent agent = start(config(dir, true, 1 << 20));
        ClientSession s = client.sessions().get(0);
        waitFor(() -> displays.display(s, 0) != null && displays.display(s, 0).marks() > 0, "no first picture");
        assertEquals(1024, displays.display(s, 0).primary().width());
        assertTrue(agent.setMonitors(List.of(new Monitor(0, 0, 800, 600))).get(5, TimeUnit.SECONDS));
        waitFor(() -> source.frame().width() == 800, "the demo did not resize");
        waitFor(() -> {
            ClientDisplay d = displays.display(s, 0);
            Frame f = d == null ? null : d.primary();
            return f != null && f.width() == 800 && f.height() == 600;
        }, "the client's surface did not follow");
        assertFalse(agent.setMonitors(List.of(new Monitor(0, 0, 100, 50))).get(5, TimeUnit.SECONDS),
                "a size the demo cannot take is refused");
        assertEquals(800, source.frame().width());
    }

    @Test
    void filesArriveByteForByteUnderFreeNames() throws Exception {
        ClientAgent agent = start(config(dir.resolve("in"), true, 10 << 20));
        Path src = dir.resolve("data.bin");
        byte[] bytes = new byte[1_000_003];
        new Random(5).nextBytes(bytes);
        Files.write(src, bytes);
        FileTransfer t = agent.sendFile(src);
        assertEquals("data.bin", t.name());
        assertEquals(bytes.length, t.size());
        t.done().get(30, TimeUnit.SECONDS);
        assertEquals(bytes.length, t.sent());
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("in/data.bin")));
        agent.sendFile(src).done().get(30, TimeUnit.SECONDS);
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("in/data (1).bin")));
        Path empty = Files.createFile(dir.resolve("empty"));
        agent.sendFile(empty).done().get(10, TimeUnit.SECONDS);
        assertEquals(0, Files.size(dir.resolve("in/empty")));
        try (Stream<Path> s = Files.list(dir.resolve("in"))) {
            assertEquals(Set.of("data.bin", "data (1).bin", "empty"),
                    s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void filesOverTheLimitOrWhenDisabledAreRefused() throws Exception {
        ClientAgent agent = start(config(dir.resolve("in"), true, 1000));
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[1001]);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> agent.sendFile(big).done().get(10, TimeUnit.SECONDS));
        assertEquals(AgentMessages.XFER_ERROR, assertInstanceOf(FileTransferException.class, e.getCause()).status());
        stop();

        ClientAgent off = start(config(dir.resolve("in"), false, 1000));
        assertTrue(off.hasCapability(AgentMessages.CAP_FILE_XFER_DISABLED));
        Path small = dir.resolve("small.bin");
        Files.write(small, new byte[10]);
        e = assertThrows(ExecutionException.class, () -> off.sendFile(small).done().get(10, TimeUnit.SECONDS));
        assertEquals(AgentMessages.XFER_DISABLED,
                assertInstanceOf(FileTransferException.class, e.getCause()).status());
        assertFalse(Files.exists(dir.resolve("in/small.bin")));
    }

    /**
     * A transfer cancelled by the client: its data stops, the agent is told (VD_AGENT_FILE_XFER_STATUS CANCELLED,
     * which the server's agent logs) and throws its part file away.
     */
    @Test
    void aCancelledTransferLeavesNothingBehind() throws Exception {
        ClientAgent agent = start(config(dir.resolve("in"), true, 1L << 30));
        Path src = dir.resolve("large.bin");
        Files.write(src, new byte[16 << 20]);
        FileTransfer t = agent.sendFile(src);
        waitFor(() -> t.sent() > 0, "nothing was sent");
        try (LogCapture log = new LogCapture("org.spice.agent")) {
            t.cancel();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> t.done().get(10, TimeUnit.SECONDS));
            FileTransferException x = assertInstanceOf(FileTransferException.class, e.getCause());
            assertEquals(-1, x.status(), "a cancel here has no status from the agent");
            assertTrue(x.getMessage().endsWith("cancelled"), x.getMessage());
            log.await("file large.bin not received: cancelled by the client");
        }
        // the last chunk on its way when cancelled may still be counted; nothing after it
        Thread.sleep(300);
        long stopped = t.sent();
        Thread.sleep(500);
        assertEquals(stopped, t.sent(), "data went on after the cancel");
        assertTrue(stopped < 16 << 20, "the whole file was sent before the cancel: " + stopped);
        waitFor(() -> {
            try (Stream<Path> s = Files.list(dir.resolve("in"))) {
                return s.findAny().isEmpty();
            } catch (IOException x) {
                return false;
            }
        }, "the part file was left behind");
    }

    @Test
    void aClientThatDisconnectsMidTransferLeavesNothingBehind() throws Exception {
        ClientAgent agent = start(config(dir.resolve("in"), true, 1L << 30));
        Path src = dir.resolve("large.bin");
        Files.write(src, new byte[16 << 20]);
        FileTransfer t = agent.sendFile(src);
        waitFor(() -> t.sent() > 0, "nothing was sent");
        client.close(); // the client goes away mid-transfer
        // the server sees the end of the stream after the chunks already on their way (seconds on a loaded machine)
        for (int i = 0; i < 3000 && !server.clients().isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertTrue(server.clients().isEmpty(), "the server kept the client");
        waitFor(() -> {
            try (Stream<Path> s = Files.list(dir.resolve("in"))) {
                return s.findAny().isEmpty();
            } catch (IOException x) {
                return false;
            }
        }, "the part file was left behind");

        // the next client's file arrives whole
        client = new ClientEngine(c -> c == ChannelType.DISPLAY ? displays : null, () -> agents);
        ClientAgent next = agents.ready(connect()).get(10, TimeUnit.SECONDS);
        Path small = dir.resolve("small.bin");
        Files.write(small, new byte[] {1, 2, 3});
        next.sendFile(small).done().get(30, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("in/small.bin")));
    }

    @Test
    void whatTheServersAgentCannotReadIsThrownForTheMainChannelToDrop() {
        AgentServer agent = new AgentServer(config(dir, true, 1000));
        agent.bindClipboard(clipboard);
        ServerAgentSession s = new ServerAgentSession(agent, null, null, new int[1]);
        assertThrows(SpiceProtocolException.class, () -> s.onMessage(AgentMessages.CLIPBOARD_GRAB, 0, new byte[6]));
        assertThrows(SpiceProtocolException.class, () -> s.onMessage(AgentMessages.MONITORS_CONFIG, 0, new byte[4]));
        assertThrows(SpiceProtocolException.class, () -> s.onMessage(AgentMessages.FILE_XFER_START, 0, new byte[2]));
        assertEquals("a.txt", FileReceiver.safeName("/etc/../a.txt"));
        assertEquals("b", FileReceiver.safeName("C:\\dir\\b"));
        assertNull(FileReceiver.safeName(".."));
        assertNull(FileReceiver.safeName("dir/"));
        assertNull(FileReceiver.safeName("a\nb"));
        assertNull(FileReceiver.safeName("x".repeat(256)));
    }
}
