package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.ClientDisplays;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.LinkedChannel;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.server.ConnectedClient;
import org.spice.protocol.server.SpiceServer;

/**
 * A live session, our client on our server in one framework, while the cursor bundle is uninstalled, installed
 * again and updated: the cursor connection closes cleanly, main and display go on, new clients see what is
 * installed. The probe never touches a cursor class, so that the refresh after uninstalling does not restart it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotSwapTest extends SpiceContainer {
    private static final long WAIT_MS = 20_000;
    private SpiceServer server;
    private SpiceClient client;
    private ClientDisplays displays;
    private SpiceUri uri;
    private final List<ClientSession> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final long t0 = System.nanoTime();

    /** Marks progress in the test output, with the time since the test started. */
    private void step(String what) {
        System.out.printf("HotSwapTest +%d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, what);
    }

    /** When the test failed half way; the test closes its sessions itself before checking for leaks. */
    @After
    public void closeSessions() {
        sessions.forEach(ClientSession::close);
    }

    @Test
    public void liveSessionSurvivesUninstallReinstallAndUpdateOfTheCursorBundle() throws Exception {
        try (NettyLeaks leaks = NettyLeaks.watch()) {
            scenario();
            for (ClientSession s : sessions) {
                s.close();
                s.closed().get(10, TimeUnit.SECONDS);
            }
            leaks.assertNoLeaks();
        }
    }

    private void scenario() throws Exception {
        configureDisplay();
        server = startServer();
        client = service(SpiceClient.class);
        displays = service(ClientDisplays.class);
        uri = SpiceUri.parse("spice://127.0.0.1:" + server.plainAddress().orElseThrow().getPort());

        step("server up");
        ClientSession first = connect();
        assertLinked(first, ChannelType.CURSOR, true);
        awaitDelivering(first, System.nanoTime());
        step("first session delivering");
        Bundle cursor = installed("org.spice.cursor");
        assertNotNull("org.spice.cursor is installed", cursor);
        String location = cursor.getLocation();

        // 1. Uninstall (and refresh, as a management agent would): only the cursor connection goes.
        try (LogCapture log = new LogCapture()) {
            cursor.uninstall();
            refresh();
            step("cursor uninstalled");
            await("the server stops offering cursor", WAIT_MS, () -> !server.offeredChannels().contains("cursor:0"));
            awaitChannelGone(first, ChannelType.CURSOR);
            await("the server's client record drops cursor", WAIT_MS, () -> !serverSide(first).channels()
                    .contains("cursor:0"));
            long uninstalled = System.nanoTime();
            assertAlive(first);
            assertTrue("server side of the first client: " + serverSide(first).channels(),
                    serverSide(first).channels().containsAll(List.of("main:0", "display:0")));
            awaitDelivering(first, uninstalled);
            step("first session delivering without cursor");
            assertTrue("the server closed the cursor connection for the bundle's going away; log: "
                    + log.atLeast(Level.INFO), log.any("cursor:0", "closed: its channel bundle went away"));
            assertEquals("warnings or errors while the cursor bundle went away", List.of(),
                    log.atLeast(Level.WARNING));
        }
        assertTrue("server offers " + server.offeredChannels(), server.offeredChannels()
                .containsAll(List.of("main:0", "display:0")) && !server.offeredChannels().contains("cursor:0"));
        ClientSession withoutCursor = connect();
        assertFalse("a client connecting meanwhile is not offered cursor: " + withoutCursor.main().channels(),
                withoutCursor.main().channels().stream().anyMatch(c -> c.type() == ChannelType.CURSOR));
        withoutCursor.close();

        // 2. Install it again: new clients get the cursor channel, the first session goes on without it.
        step("a new client without cursor");
        Bundle again = context.installBundle(location);
        again.start();
        await("the server offers cursor again", WAIT_MS, () -> server.offeredChannels().contains("cursor:0"));
        ClientSession second = connect();
        assertLinked(second, ChannelType.CURSOR, true);
        awaitDelivering(second, System.nanoTime());
        step("reinstalled: second session with cursor delivering");
        assertAlive(first);
        assertFalse("the first session has no cursor channel", has(first, ChannelType.CURSOR));

        // 3. Update it in place: the second session loses its cursor connection and keeps the rest.
        try (LogCapture log = new LogCapture()) {
            again.update();
            step("updated");
            await("the updated bundle is active", WAIT_MS, () -> again.getState() == Bundle.ACTIVE);
            awaitChannelGone(second, ChannelType.CURSOR);
            long updated = System.nanoTime();
            assertAlive(second);
            assertAlive(first);
            awaitDelivering(second, updated);
            awaitDelivering(first, updated);
            step("both sessions delivering after the update");
            assertEquals("warnings or errors while the cursor bundle was updated", List.of(),
                    log.atLeast(Level.WARNING));
        }
        await("the server offers cursor after the update", WAIT_MS,
                () -> server.offeredChannels().contains("cursor:0"));
        ClientSession third = connect();
        assertLinked(third, ChannelType.CURSOR, true);
        step("third session with cursor");
        assertAlive(first);
    }

    private ClientSession connect() throws Exception {
        ClientSession s;
        try {
            s = client.connect(uri, ClientOptions.defaults().withTimeout(Duration.ofSeconds(20)))
                    .get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            threadDump();
            throw e;
        }
        sessions.add(s);
        return s;
    }

    static void threadDump() {
        StringBuilder b = new StringBuilder("thread dump:\n");
        for (var e : Thread.getAllStackTraces().entrySet()) {
            b.append('"').append(e.getKey().getName()).append("\" ").append(e.getKey().getState()).append('\n');
            for (StackTraceElement f : e.getValue()) {
                b.append("    at ").append(f).append('\n');
            }
        }
        System.out.println(b);
    }

    private void refresh() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue("packages refreshed", done.await(WAIT_MS, TimeUnit.MILLISECONDS));
    }

    private static boolean has(ClientSession s, int type) {
        return s.channels().stream().anyMatch(c -> c.type() == type);
    }

    private static void assertLinked(ClientSession s, int type, boolean handled) {
        LinkedChannel c = s.channels().stream().filter(l -> l.type() == type).findFirst().orElse(null);
        assertNotNull(ChannelType.name(type) + " linked in " + describe(s), c);
        assertEquals(ChannelType.name(type) + " handled by a bundle", handled, c.handled());
    }

    private static void awaitChannelGone(ClientSession s, int type) throws InterruptedException {
        await(ChannelType.name(type) + " closes in client session " + describe(s), WAIT_MS, () -> !has(s, type));
    }

    private void assertAlive(ClientSession s) {
        assertFalse("session " + s.localId() + " closed", s.closed().isDone());
        assertTrue("main and display still linked in " + describe(s),
                has(s, ChannelType.MAIN) && has(s, ChannelType.DISPLAY));
        assertTrue("the server still has the client with its main channel",
                serverSide(s).channels().contains("main:0"));
    }

    /** The display of {@code s} changes after {@code sinceNanos}: the demo source animates all the time. */
    private void awaitDelivering(ClientSession s, long sinceNanos) throws InterruptedException {
        await(() -> {
            ClientDisplay d = displays.display(s, 0);
            return "display of session " + describe(s) + " changes: " + (d == null ? "not linked" : "marks "
                    + d.marks() + ", primary " + (d.primary() != null) + ", last change "
                    + (d.lastChangeNanos() - sinceNanos) / 1_000_000 + " ms after the start of the wait");
        }, WAIT_MS, () -> {
            ClientDisplay d = displays.display(s, 0);
            return d != null && d.marks() > 0 && d.primary() != null && d.lastChangeNanos() - sinceNanos > 0;
        });
    }

    private ConnectedClient serverSide(ClientSession s) {
        long id = s.main().sessionId();
        return server.session().clients().stream().filter(c -> c.connectionId() == id).findFirst()
                .orElseThrow(() -> new AssertionError("the server has no client 0x" + Long.toHexString(id)));
    }

    private static String describe(ClientSession s) {
        return s.localId() + " " + s.channels().stream().map(c -> ChannelType.name(c.type()) + ":" + c.id())
                .collect(Collectors.toList());
    }
}
