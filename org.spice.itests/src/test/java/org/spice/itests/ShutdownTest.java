package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.ClientDisplays;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.server.SpiceServer;

/**
 * Stopping org.spice.protocol stops the server and the client and, with them, every thread the SPICE bundles
 * started: Netty's event loops and the display's demo source.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ShutdownTest extends SpiceContainer {
    /** Thread names of Netty's event loop groups (MultiThreadIoEventLoopGroup) and of the demo source. */
    static final List<String> PREFIXES = List.of("multiThreadIoEventLoopGroup", "spice-demo-source");

    @Test
    public void stoppingTheProtocolBundleStopsEveryThread() throws Exception {
        try (NettyLeaks leaks = NettyLeaks.watch()) {
            scenario();
            leaks.assertNoLeaks();
        }
    }

    private void scenario() throws Exception {
        configureDisplay();
        SpiceServer server = startServer();
        SpiceClient client = service(SpiceClient.class);
        ClientDisplays displays = service(ClientDisplays.class);
        ClientSession s = client.connect(SpiceUri.parse("spice://127.0.0.1:"
                + server.plainAddress().orElseThrow().getPort()), ClientOptions.defaults()).get(20, TimeUnit.SECONDS);
        await("a picture", 10_000, () -> {
            ClientDisplay d = displays.display(s, 0);
            return d != null && d.marks() > 0;
        });
        List<String> running = spiceThreads();
        for (String prefix : PREFIXES) {
            assertTrue("before: a thread named " + prefix + "* runs: " + running,
                    running.stream().anyMatch(n -> n.startsWith(prefix)));
        }

        Bundle protocol = installed("org.spice.protocol");
        protocol.stop();
        assertTrue("the client session ended", s.closed().isDone() || waitClosed(s));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!spiceThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("threads left 5 s after stopping org.spice.protocol", List.of(), spiceThreads());
        assertEquals("no SpiceServer service", null, context.getServiceReference(SpiceServer.class));

        // Started again, the server comes back on its configuration.
        protocol.start();
        SpiceServer back = service(SpiceServer.class);
        assertFalse("listening again", back.plainAddress().isEmpty());
    }

    private static boolean waitClosed(ClientSession s) {
        try {
            s.closed().get(15, TimeUnit.SECONDS); // the engine closes every channel first; slow on a loaded machine
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static List<String> spiceThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> PREFIXES.stream().anyMatch(n::startsWith)).sorted().collect(Collectors.toList());
    }
}
