package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelFactory;

/**
 * The bundles over the channels (the gateway, the video codecs, the recording format) stopped together in a running
 * full runtime: nothing of the channels goes with them. A class of its own, so that its framework and server are
 * not the ones {@link ChannelRemovalTest} stops bundles in.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OverChannelsRemovalTest extends SpiceContainer {
    private static final long WAIT_MS = 20_000;

    /**
     * The gateway, the video codecs and the recording format stopped together in the running full runtime: every
     * channel factory of both roles, every Gogo command and every command-line command but the gateway's stays,
     * and the server goes on offering every channel.
     */
    @Test
    public void stoppingGatewayVideoAndRecordingLeavesEveryChannel() throws Exception {
        configureDisplay();
        SpiceServer server = startServer();
        Set<String> serverFactories = factories(ServerChannelFactory.class);
        Set<String> types = new TreeSet<>();
        serverFactories.forEach(f -> types.add(f.substring(f.indexOf(':') + 1)));
        await(() -> "the server offers every channel type " + types + ": " + offered(server), WAIT_MS,
                () -> offered(server).containsAll(types));
        Set<String> clientFactories = factories(ClientChannelFactory.class);
        Set<String> gogo = commandFunctions();
        Set<String> cliBefore = cliCommands();
        Set<String> channelsBefore = offered(server);
        assertTrue("the gateway's command: " + cliBefore, cliBefore.contains("org.spice.gateway:gateway"));
        assertTrue("client factories: " + clientFactories, clientFactories.containsAll(Set.of(
                "org.spice.display:display", "org.spice.inputs:inputs", "org.spice.tunnel:port")));

        List<Bundle> over = List.of(installed("org.spice.gateway"), installed("org.spice.video"),
                installed("org.spice.recording"));
        for (Bundle b : over) {
            b.stop();
        }
        try {
            Set<String> cliExpected = new TreeSet<>(cliBefore);
            cliExpected.remove("org.spice.gateway:gateway");
            await(() -> "command-line commands " + cliCommands() + ", expected " + cliExpected, WAIT_MS,
                    () -> cliCommands().equals(cliExpected));
            for (Bundle b : over) {
                assertEquals(b.getSymbolicName() + " stopped", Bundle.RESOLVED, b.getState());
            }
            assertEquals("server channel factories", serverFactories, factories(ServerChannelFactory.class));
            assertEquals("client channel factories", clientFactories, factories(ClientChannelFactory.class));
            assertEquals("spice:* Gogo commands", gogo, commandFunctions());
            assertEquals("the channels the server offers", channelsBefore, offered(server));
        } finally {
            for (Bundle b : over) {
                b.start();
            }
        }
        await(() -> "the gateway's command back: " + cliCommands(), WAIT_MS,
                () -> cliCommands().equals(cliBefore));
    }
}
