package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.server.SpiceServer;

/**
 * Connect/disconnect cycles of every channel type, our client on our server with every bundle of the runtime:
 * after a warm-up, threads, open file descriptors and the heap after GC must not grow beyond a bound, and no
 * Netty buffer leaks (the detector at PARANOID). {@code -Dsoak.cycles=N} sets the number of cycles (CI: 60,
 * 2.5 s each on a loaded 2-core machine; docs/reliability.md has the figures and the full run).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class SoakTest extends SpiceContainer {
    private static final int WARM_UP = 20;
    private static final int THREAD_GROWTH = 8;
    private static final int FD_GROWTH = 16;
    private static final long HEAP_GROWTH = 32L << 20;

    /** What the soak watches, measured after collecting garbage. */
    record Figures(int threads, long fds, long heapBytes) {
        static Figures now() throws Exception {
            long heap = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(50);
                heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
            return new Figures(ManagementFactory.getThreadMXBean().getThreadCount(), openFds(), heap);
        }

        private static long openFds() throws IOException {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return fds.count();
            }
        }

        @Override
        public String toString() {
            return threads + " threads, " + fds + " fds, " + (heapBytes >> 10) + " KiB heap after GC";
        }
    }

    @Test
    public void connectAndDisconnectEveryChannelTypeWithoutGrowth() throws Exception {
        int cycles = Integer.getInteger("soak.cycles", 60);
        try (NettyLeaks leaks = NettyLeaks.watch()) {
            configureDisplay();
            SpiceServer server = startServer();
            SpiceClient client = service(SpiceClient.class);
            SpiceUri uri = SpiceUri.parse("spice://127.0.0.1:" + server.plainAddress().orElseThrow().getPort());
            Set<String> types = new TreeSet<>();
            for (String c : server.offeredChannels()) {
                types.add(c.substring(0, c.indexOf(':')));
            }
            // every channel type a bundle of the runtime serves
            assertTrue("offered: " + types, types.containsAll(List.of("main", "display", "cursor", "inputs",
                    "playback", "record", "port", "tunnel", "usbredir", "smartcard")));

            for (int i = 0; i < WARM_UP; i++) {
                cycle(client, uri, server);
            }
            Figures before = Figures.now();
            long t0 = System.nanoTime();
            for (int i = 0; i < cycles; i++) {
                cycle(client, uri, server);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Figures after = Figures.now();
            System.out.printf("SoakTest: %d cycles of %d channels (%s) in %d ms; before: %s; after: %s%n", cycles,
                    server.offeredChannels().size(), String.join(",", types), ms, before, after);
            assertTrue("threads grew: " + before + " -> " + after, after.threads() <= before.threads()
                    + THREAD_GROWTH);
            assertTrue("file descriptors grew: " + before + " -> " + after, after.fds() <= before.fds() + FD_GROWTH);
            assertTrue("heap after GC grew: " + before + " -> " + after, after.heapBytes() <= before.heapBytes()
                    + HEAP_GROWTH);
            assertEquals("clients left on the server", List.of(), server.session().clients());
            leaks.assertNoLeaks();
        }
    }

    /** One client: every offered channel linked, then the session closed and gone on both sides. */
    private static void cycle(SpiceClient client, SpiceUri uri, SpiceServer server) throws Exception {
        ClientSession s = client.connect(uri, ClientOptions.defaults().withTimeout(Duration.ofSeconds(20)))
                .get(60, TimeUnit.SECONDS);
        try {
            int offered = server.offeredChannels().size();
            await(() -> "every channel linked; linked: " + s.channels().stream()
                    .map(c -> ChannelType.name(c.type()) + ":" + c.id()).collect(Collectors.joining(","))
                    + " offered: " + server.offeredChannels(), 30_000, () -> s.channels().size() == offered);
        } finally {
            s.close();
            s.closed().get(30, TimeUnit.SECONDS);
        }
        await(() -> "the server lets the client go: " + server.session().clients(), 30_000,
                () -> server.session().clients().isEmpty());
    }
}
