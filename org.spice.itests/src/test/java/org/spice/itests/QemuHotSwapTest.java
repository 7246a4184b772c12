package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

/**
 * Our client, inside the framework, on a real QEMU while the client side of the cursor channel is uninstalled and
 * installed again: the cursor connection closes cleanly, main and display stay up, and once the bundle is back the
 * running session links the cursor channel again (SPICE lets a client link a listed channel at any time).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class QemuHotSwapTest extends SpiceContainer {
    private static final long WAIT_MS = 30_000;
    private Process qemu;
    private ClientSession session;

    @After
    public void stop() throws InterruptedException {
        if (session != null) {
            session.close();
            session.closed().completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
        }
        if (qemu != null) {
            qemu.descendants().forEach(ProcessHandle::destroyForcibly);
            qemu.destroyForcibly();
            qemu.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private int startQemu() throws Exception {
        String binary = null;
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))) {
                binary = Path.of(dir, "qemu-system-x86_64").toString();
            }
        }
        if (binary == null) {
            fail("qemu-system-x86_64 is missing: install the peers with scripts/install-peers.sh");
        }
        int port = freePort();
        Path log = Files.createTempFile("qemu-hotswap", ".log");
        qemu = new ProcessBuilder("timeout", "-k", "5", "180", binary, "-machine", "accel=tcg", "-m", "128", "-vga",
                "qxl", "-display", "none", "-nodefaults", "-no-user-config", "-boot", "menu=on,splash-time=60000",
                "-spice", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return port;
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > end || !qemu.isAlive()) {
                    fail("QEMU does not listen on " + port + ": " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    public void ourClientOnQemuSurvivesTheCursorBundleGoingAndComingBack() throws Exception {
        int port = startQemu();
        SpiceClient client = service(SpiceClient.class);
        ClientDisplays displays = service(ClientDisplays.class);
        session = client.connect(SpiceUri.parse("spice://127.0.0.1:" + port),
                ClientOptions.defaults().withTimeout(Duration.ofSeconds(20))).get(60, TimeUnit.SECONDS);
        assertTrue("QEMU lists cursor", session.main().channels().stream().anyMatch(c -> c.type() == ChannelType.CURSOR));
        await("cursor linked and handled", WAIT_MS, () -> handled(ChannelType.CURSOR));
        await("the display shows QEMU's screen", WAIT_MS, () -> {
            ClientDisplay d = displays.display(session, 0);
            return d != null && d.marks() > 0 && d.primary() != null;
        });

        Bundle cursor = installed("org.spice.cursor");
        assertNotNull("org.spice.cursor is installed", cursor);
        String location = cursor.getLocation();
        cursor.uninstall();
        refresh();
        await("the cursor channel closes", WAIT_MS, () -> session.channels().stream()
                .noneMatch(c -> c.type() == ChannelType.CURSOR));
        Thread.sleep(1000);
        assertFalse("the session lives on", session.closed().isDone());
        assertTrue("main and display stay linked: " + session.channels(), session.channels().stream()
                .map(LinkedChannel::type).toList().containsAll(List.of(ChannelType.MAIN, ChannelType.DISPLAY)));
        assertTrue("QEMU is still running", qemu.isAlive());

        Bundle again = context.installBundle(location);
        again.start();
        LinkedChannel relinked = session.link(ChannelType.CURSOR, 0).get(30, TimeUnit.SECONDS);
        assertTrue("the running session links cursor again, handled by the new bundle", relinked.handled());
        assertEquals(ChannelType.CURSOR, relinked.type());
        assertFalse("the session lives on", session.closed().isDone());
        assertTrue("QEMU is still running", qemu.isAlive());
    }

    private boolean handled(int type) {
        return session.channels().stream().anyMatch(c -> c.type() == type && c.handled());
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
}
