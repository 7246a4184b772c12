package org.spice.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClientAgents;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardType;
import org.spice.agent.api.FileTransfer;
import org.spice.agent.api.Monitor;
import org.spice.agent.api.ServerClipboard;
import org.spice.desktop.DisplaySource;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.spi.ServerAgentFactory;

/**
 * The agent bundle wired by Declarative Services in the framework, both roles in one runtime: the server is its own
 * agent (its clipboard, the display source it resizes, the directory files go to are services and configuration),
 * and the client's {@link ClientAgents} speaks to it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AgentServicesTest extends SpiceContainer {

    private <S> S configured(Class<S> type, String filter) throws Exception {
        ServiceTracker<S, S> t = new ServiceTracker<>(context, context.createFilter("(&(objectClass="
                + type.getName() + ")" + filter + ")"), null);
        t.open();
        try {
            S s = t.waitForService(TimeUnit.SECONDS.toMillis(20));
            assertNotNull("no " + type.getSimpleName() + " with " + filter, s);
            return s;
        } finally {
            t.close();
        }
    }

    @Test
    public void clipboardMonitorsAndFilesThroughTheServices() throws Exception {
        Path files = Files.createTempDirectory("spice-agent-itest");
        Hashtable<String, Object> agentConfig = new Hashtable<>();
        agentConfig.put("clipboard.backend", "memory");
        agentConfig.put("file.xfer.dir", files.toString());
        configAdmin.getConfiguration("org.spice.agent", "?").update(agentConfig);
        configureDisplay();
        SpiceServer server = startServer();
        // the components restart with the configuration, whose properties their services then carry
        ServerClipboard clipboard = configured(ServerClipboard.class, "(clipboard.backend=memory)");
        configured(ServerAgentFactory.class, "(file.xfer.dir=" + files + ")");
        DisplaySource display = service(DisplaySource.class);
        SpiceClient client = service(SpiceClient.class);
        ClientAgents agents = service(ClientAgents.class);

        ClientSession session = client.connect(new SpiceUri("127.0.0.1",
                server.plainAddress().orElseThrow().getPort(), -1, null), ClientOptions.defaults())
                .get(20, TimeUnit.SECONDS);
        try {
            assertTrue(session.main().agentConnected());
            ClientAgent agent = agents.ready(session).get(20, TimeUnit.SECONDS);

            agent.setClipboard(ClipboardContent.text("from our client"));
            await(() -> "the client's clipboard on the server: " + clipboard.get(), 20_000,
                    () -> ClipboardContent.text("from our client").equals(clipboard.get()));
            byte[] png = new byte[5000];
            new Random(1).nextBytes(png); // the agents pass the bytes on as they are
            clipboard.set(ClipboardContent.png(png));
            await("the server's grab", 20_000, () -> agent.remoteClipboardTypes().contains(ClipboardType.IMAGE_PNG));
            assertArrayEquals(png, agent.clipboard(ClipboardType.IMAGE_PNG).get(20, TimeUnit.SECONDS).data());

            assertTrue(agent.setMonitors(List.of(new Monitor(0, 0, 640, 480))).get(20, TimeUnit.SECONDS));
            await(() -> "the display source at 640x480: " + display.frame().width(), 20_000,
                    () -> display.frame().width() == 640 && display.frame().height() == 480);

            Path src = files.resolve("source.txt.src");
            byte[] bytes = "a file through the agent\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            Files.write(src, bytes);
            FileTransfer t = agent.sendFile(src);
            t.done().get(60, TimeUnit.SECONDS);
            assertEquals(bytes.length, t.sent());
            assertArrayEquals(bytes, Files.readAllBytes(files.resolve("source.txt (1).src")));
        } finally {
            session.close();
            configAdmin.getConfiguration("org.spice.agent", "?").delete();
        }
    }
}
