package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spice bench soak}: the long run of issue 19. N viewers (main, display 0, inputs) of our server, started in a
 * second JVM with Netty's leak detector at PARANOID, watch the demo desktop's video and type into it (as
 * {@link BenchServerClients} does for {@code bench server}, decoding the video) for a long time, while both processes are sampled at a
 * fixed interval: live heap after a full GC, threads, open file descriptors, Netty's pooled chunks and direct memory,
 * and LEAK reports. One row per sample; at the end the first sample against the last, a verdict, and exit 1 on growth
 * beyond the bounds, any LEAK, a viewer that dropped, or a viewer that saw no frame or no key.
 *
 * <p>Why the bounds are what they are: the first sample is taken after a warm-up (JIT, caches, the encoders' windows
 * and the pools' first chunks settle in it), so what is steady afterwards must stay level. Live heap is taken from a
 * class histogram after a full GC, exact up to what is in flight, hence {@value #DEFAULT_HEAP_MIB} MiB, and for the
 * clients {@value #WAITING_FRAMES_MIB_PER_VIEWER} MiB a viewer more: each viewer's display holds the decoded video
 * frames that wait for their time (up to 8 a stream; 51 to 76 frames of 330 KiB over 20 viewers from one sample to the
 * next, 2026-12-07, a spread of up to 8 MiB that failed a CI run at +8.7 MiB with the samples level after); threads
 * and descriptors are fixed per session and event loop, so a handful;
 * Netty 4.2's adaptive allocator keeps chunks per magazine and size class and retires and takes them as the traffic
 * moves (25 to 29 from one sample to the next with two viewers), so 8; a leaked buffer pins its chunk and the count then climbs without end. The native memory "Other"
 * (direct buffers) bound, 16 MiB, is a few of the largest chunks.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run N typing viewers of the demo desktop's video against our server (second JVM, Netty leak"
                + " detector PARANOID) for a long time; sample the server's and the clients' live heap, threads,"
                + " file descriptors, Netty buffers and LEAK reports at an interval; fail on growth, a LEAK or a"
                + " dropped viewer.")
final class BenchSoakCommand implements Callable<Integer> {
    static final int MAX_CLIENTS = 100;
    static final int DEFAULT_HEAP_MIB = 8;
    /** The clients' live heap bound grows by this much a viewer: its decoded video frames waiting for their time. */
    static final double WAITING_FRAMES_MIB_PER_VIEWER = 0.5;
    /** How the server JVM is run for the soak: every buffer tracked, native memory counted. */
    static final List<String> SERVER_JVM = List.of("-Dio.netty.leakDetection.level=paranoid",
            "-XX:NativeMemoryTracking=summary");
    /** Histograms taken at most for one sample until one had its full GC (4 s of tries, 250 ms apart). */
    private static final int HISTOGRAM_TRIES = 16;
    private static final String LEAK_LOGGER = "io.netty.util.ResourceLeakDetector";
    /** Histogram lines of the pooled allocators' chunks: 4.2's adaptive one (the default) and the older arenas'. */
    private static final Pattern POOL_CHUNK = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+"
            + "io\\.netty\\.buffer\\.(?:PoolChunk|AdaptivePoolingAllocator\\$\\w*Chunk)\\s*$");

    private final Runtime rt;

    @Option(names = "--clients", paramLabel = "N", description = "Viewers, 1.." + MAX_CLIENTS
            + " (default ${DEFAULT-VALUE}).")
    int clients = 20;

    @Option(names = "--seconds", paramLabel = "S", description = "The soak after the warm-up, 10..86400 (default"
            + " ${DEFAULT-VALUE}).")
    int seconds = 3600;

    @Option(names = "--every", paramLabel = "S", description = "Seconds between samples, 5..3600 (default"
            + " ${DEFAULT-VALUE}).")
    int every = 60;

    @Option(names = "--warmup", paramLabel = "S", description = "Seconds of typing and video before the first"
            + " sample, 0..600 (default ${DEFAULT-VALUE}).")
    int warmup = 30;

    @Option(names = "--keys-per-second", paramLabel = "R", description = "Keys a second over all viewers, round"
            + " robin, 1..1000 (default ${DEFAULT-VALUE}).")
    double keysPerSecond = 20;

    @Option(names = "--max-heap-growth", paramLabel = "MiB", description = "Live heap growth allowed, first to"
            + " last sample, each process (default ${DEFAULT-VALUE}); the clients' is " + WAITING_FRAMES_MIB_PER_VIEWER
            + " MiB a viewer more, for the video frames their displays hold until it is their time.")
    double maxHeapMiB = DEFAULT_HEAP_MIB;

    @Option(names = "--max-thread-growth", paramLabel = "N", description = "(default ${DEFAULT-VALUE})")
    int maxThreads = 2;

    @Option(names = "--max-fd-growth", paramLabel = "N", description = "(default ${DEFAULT-VALUE})")
    int maxFds = 4;

    @Option(names = "--max-chunk-growth", paramLabel = "N", description = "Netty pooled chunks (default"
            + " ${DEFAULT-VALUE}).")
    int maxChunks = 8;

    @Option(names = "--max-native-growth", paramLabel = "MiB", description = "Native memory \"Other\" (direct"
            + " buffers) of the server (default ${DEFAULT-VALUE}).")
    double maxNativeMiB = 16;

    @Option(names = "--steady-from", paramLabel = "S", description = "Judge growth from the first sample at least S"
            + " seconds into the sampling (default ${DEFAULT-VALUE}: the first sample); the samples before still print."
            + " For caches that fill to a bound over minutes: the GLZ windows took about 35 min of typing.")
    int steadyFrom;

    @Option(names = "--histogram", paramLabel = "PREFIX", description = "Write each sample's class histograms to"
            + " PREFIX-server-K.txt and PREFIX-clients-K.txt (K the sample), to diff when something grows.")
    Path histogram;

    @Option(names = "--server-option", paramLabel = "OPTION", description = "An option for the server (spice"
            + " server's); repeatable.")
    List<String> serverOptions = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "For every viewer to link and get its"
            + " picture (default ${DEFAULT-VALUE}).")
    int timeout = 300;

    BenchSoakCommand(Runtime rt) {
        this.rt = rt;
    }

    /** One process's figures at one moment; -1 where not known. */
    record Figures(long heapKiB, long threads, long fds, long chunks, long nativeKiB, int leaks) {
        /** Heap and chunks are -1 when no histogram of the tries had its full GC (see ServerProcess#liveHistogram). */
        static Figures of(ServerProcess p, Path gcLog, int leaks, Path histogramFile) throws Exception {
            String h = p.liveHistogram(gcLog, HISTOGRAM_TRIES);
            if (h == null) {
                return new Figures(-1, p.threads(), p.openFiles(), -1, p.nativeOtherKiB(), leaks);
            }
            if (histogramFile != null) {
                Files.writeString(histogramFile, h);
            }
            return new Figures(ServerProcess.liveKiB(h), p.threads(), p.openFiles(), pooledChunks(h),
                    p.nativeOtherKiB(), leaks);
        }

        boolean exact() {
            return heapKiB >= 0;
        }
    }

    /** Netty's pooled chunks alive in a class histogram. */
    static long pooledChunks(String histogram) {
        long chunks = 0;
        for (Matcher m = POOL_CHUNK.matcher(histogram); m.find();) {
            chunks += Long.parseLong(m.group(1));
        }
        return chunks;
    }

    /** Netty's LEAK reports in this JVM (Netty logs through java.util.logging here). */
    static final class Leaks extends Handler {
        private final Logger logger = Logger.getLogger(LEAK_LOGGER);
        final List<String> reports = new CopyOnWriteArrayList<>();

        Leaks() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            if (r.getMessage() != null && r.getMessage().contains("LEAK")) {
                reports.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || clients > MAX_CLIENTS || seconds < 10 || seconds > 86400 || every < 5 || every > 3600
                || warmup < 0 || warmup > 600 || timeout < 1 || timeout > 3600
                || !(keysPerSecond >= 1 && keysPerSecond <= 1000)) {
            rt.err().println("error: --clients 1.." + MAX_CLIENTS + ", --seconds 10..86400, --every 5..3600,"
                    + " --warmup 0..600, --timeout 1..3600, --keys-per-second 1..1000");
            return 64;
        }
        List<String> options = new ArrayList<>(List.of("--max-clients", Integer.toString(clients)));
        options.addAll(serverOptions);
        ServerProcess server;
        try {
            server = ServerProcess.start(SERVER_JVM, options, 60);
        } catch (IOException e) {
            rt.err().println("error: " + e.getMessage());
            return 1;
        }
        Leaks clientLeaks = new Leaks();
        try {
            rt.out().printf("server: pid %d, spice://127.0.0.1:%d (log %s), %s%n", server.pid(), server.port(),
                    server.log(), String.join(" ", SERVER_JVM));
            String level = server.systemProperty("io.netty.leakDetection.level");
            if (!"paranoid".equalsIgnoreCase(level)) {
                rt.err().println("error: the server's Netty leak detection is " + level + ", not paranoid");
                return 1;
            }
            rt.out().printf("clients: pid %d, Netty leak detection %s%n", ProcessHandle.current().pid(),
                    System.getProperty("io.netty.leakDetection.level", "default (simple, 1 buffer in 128)"));
            return soak(server, clientLeaks);
        } catch (IllegalStateException | IOException e) {
            rt.err().println("error: " + e.getMessage());
            return 1;
        } catch (NoClassDefFoundError e) {
            rt.err().println("error: bench soak needs the inputs bundle (org.spice.inputs), which is not installed");
            return 1;
        } finally {
            clientLeaks.close();
            server.close();
        }
    }

    private int soak(ServerProcess server, Leaks clientLeaks) throws Exception {
        ServerProcess self = ServerProcess.of(ProcessHandle.current().pid());
        Path serverGc = server.log().resolveSibling("server-gc.log");
        Path clientGc = server.log().resolveSibling("clients-gc.log");
        server.logGcWarningsTo(serverGc);
        self.logGcWarningsTo(clientGc);
        SpiceUri target = new SpiceUri("127.0.0.1", server.port(), -1, null);
        try (BenchServerClients c = new BenchServerClients(rt, true, false)) {
            long t0 = System.nanoTime();
            c.link(target, clients, timeout);
            rt.out().printf("linked %d viewers (main, display 0, inputs) in %d ms; typing %s keys/s round robin;"
                    + " warm-up %d s, then %d s sampled every %d s%n", clients, (System.nanoTime() - t0) / 1_000_000,
                    keysPerSecond, warmup, seconds, every);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(warmup + seconds);
            c.startWindow();
            Thread typist = new Thread(() -> {
                try {
                    c.type(keysPerSecond, end);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-soak-typist");
            typist.setDaemon(true);
            typist.start();
            TimeUnit.NANOSECONDS.sleep(Math.max(0, start + TimeUnit.SECONDS.toNanos(warmup) - System.nanoTime()));
            rt.out().printf("%6s %6s | %9s %7s %5s %6s %9s %5s | %9s %7s %5s %6s %9s %5s | %7s%n", "sample", "s",
                    "srv MiB", "threads", "fds", "chunks", "other MiB", "LEAK", "cli MiB", "threads", "fds",
                    "chunks", "other MiB", "LEAK", "linked");
            List<Figures> srv = new ArrayList<>();
            List<Figures> cli = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            long sampleStart = start + TimeUnit.SECONDS.toNanos(warmup);
            for (int k = 0;; k++) {
                long at = sampleStart + TimeUnit.SECONDS.toNanos((long) k * every);
                if (at > end) {
                    break;
                }
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                Figures s = Figures.of(server, serverGc, serverLeaks(server), histogram == null ? null
                        : Path.of(histogram + "-server-" + k + ".txt"));
                Figures m = Figures.of(self, clientGc, clientLeaks.reports.size(), histogram == null ? null
                        : Path.of(histogram + "-clients-" + k + ".txt"));
                times.add((long) k * every);
                srv.add(s);
                cli.add(m);
                int linked = linked(c, dropped);
                rt.out().printf("%6d %6d | %s | %s | %3d/%-3d%n", k, (System.nanoTime() - start) / 1_000_000_000L,
                        row(s), row(m), linked, clients);
                if (!server.alive()) {
                    dropped.add("the server exited");
                    break;
                }
            }
            typist.join(TimeUnit.SECONDS.toMillis(15));
            c.endWindow();
            double took = (System.nanoTime() - start) / 1e9;
            int steady = 0;
            while (steady < times.size() - 1 && times.get(steady) < steadyFrom) {
                steady++;
            }
            return verdict(c, srv, cli, steady, dropped, took, server, clientLeaks);
        }
    }

    /** Viewers whose session, display or inputs channel is gone; each is noted once in {@code dropped}. */
    private static int linked(BenchServerClients c, List<String> dropped) {
        int linked = 0;
        for (BenchServerClients.Viewer v : c.viewers()) {
            String why = null;
            if (v.session.closed().isDone()) {
                why = "session closed: " + v.session.lost().orElse("(closed here)");
            } else {
                var types = v.session.channels().stream().map(ch -> ch.type()).toList();
                if (!types.contains(ChannelType.DISPLAY) || !types.contains(ChannelType.INPUTS)) {
                    why = "channels now " + types + " (display " + ChannelType.DISPLAY + " or inputs "
                            + ChannelType.INPUTS + " gone)";
                }
            }
            if (why == null) {
                linked++;
            } else {
                String line = "viewer " + v.number + ": " + why;
                if (dropped.stream().noneMatch(d -> d.startsWith("viewer " + v.number + ":"))) {
                    dropped.add(line);
                }
            }
        }
        return linked;
    }

    /** LEAK lines in the server's log so far. */
    private static int serverLeaks(ServerProcess server) throws IOException {
        return serverLeakLines(server).size();
    }

    private static List<String> serverLeakLines(ServerProcess server) throws IOException {
        try (var lines = Files.lines(server.log(), java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains("LEAK:")).toList();
        }
    }

    private static String row(Figures f) {
        return String.format("%9s %7d %5d %6s %9s %5d", f.exact() ? String.format("%.1f", f.heapKiB / 1024.0)
                : "-", f.threads, f.fds, f.exact() ? Long.toString(f.chunks) : "-",
                f.nativeKiB < 0 ? "-" : String.format("%.1f", f.nativeKiB / 1024.0), f.leaks);
    }

    private int verdict(BenchServerClients c, List<Figures> srv, List<Figures> cli, int steady, List<String> dropped,
            double took, ServerProcess server, Leaks clientLeaks) throws IOException {
        List<String> failures = new ArrayList<>(dropped);
        int last = srv.size() - 1;
        if (last - steady < 1) {
            failures.add("fewer than two samples to compare (--seconds shorter than --every, or --steady-from too"
                    + " late?)");
        } else {
            double clientHeapMiB = maxHeapMiB + clients * WAITING_FRAMES_MIB_PER_VIEWER;
            if (steady > 0) {
                compare("server", "first", srv.subList(0, last + 1), maxHeapMiB, null);
                compare("clients", "first", cli.subList(0, last + 1), clientHeapMiB, null);
            }
            String from = steady == 0 ? "first" : "steady (sample " + steady + ")";
            compare("server", from, srv.subList(steady, last + 1), maxHeapMiB, failures);
            compare("clients", from, cli.subList(steady, last + 1), clientHeapMiB, failures);
        }
        List<String> serverLeaks = serverLeakLines(server);
        if (!serverLeaks.isEmpty()) {
            failures.add(serverLeaks.size() + " LEAK report(s) in the server's log " + server.log());
            serverLeaks.stream().limit(3).forEach(l -> rt.err().println("server: " + l));
        }
        if (!clientLeaks.reports.isEmpty()) {
            failures.add(clientLeaks.reports.size() + " LEAK report(s) in the clients' JVM");
            clientLeaks.reports.stream().limit(3).forEach(l -> rt.err().println("clients: " + l.lines().limit(8)
                    .reduce((a, b) -> a + "\n" + b).orElse("")));
        }
        rt.out().printf("%6s %9s %10s %6s%n", "viewer", "frames", "MiB", "keys");
        for (BenchServerClients.Viewer v : c.viewers()) {
            long keys = v.keysSeen();
            rt.out().printf("%6d %9d %10.1f %6d%n", v.number, v.framesInWindow, v.bytesInWindow / 1048576.0, keys);
            if (v.framesInWindow == 0) {
                failures.add("viewer " + v.number + " received no video frame");
            }
            if (keys == 0) {
                failures.add("viewer " + v.number + " saw no key answered");
            }
        }
        rt.out().printf("keys: %d sent, %d updates missed over %d viewers in %.0f s%n", c.keysSent(), c.keysMissed(),
                clients, took);
        rt.out().printf("load average: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        if (failures.isEmpty()) {
            rt.out().println("verdict: PASS");
            return 0;
        }
        rt.out().println("verdict: FAIL");
        failures.forEach(f -> rt.err().println("error: " + f));
        return 1;
    }

    /**
     * Prints the first of {@code samples} against the last; adds what grew beyond its bound to {@code failures} unless
     * null. Heap and chunks compare the first and last samples whose histogram had its full GC; the heap may grow
     * {@code heapMiB}.
     */
    private void compare(String who, String from, List<Figures> samples, double heapMiB, List<String> failures) {
        Figures first = samples.get(0);
        Figures last = samples.get(samples.size() - 1);
        List<Figures> exact = samples.stream().filter(Figures::exact).toList();
        if (exact.size() < 2) {
            rt.out().printf("%s: live heap not measured: fewer than two samples had their full GC%n", who);
            if (failures != null) {
                failures.add(who + " live heap not measured (the JVM skipped the histograms' GC, see"
                        + " ServerProcess.liveHistogram)");
            }
            exact = List.of(first, first);
        }
        Figures firstExact = exact.get(0);
        Figures lastExact = exact.get(exact.size() - 1);
        double heap = (lastExact.heapKiB - firstExact.heapKiB) / 1024.0;
        long threads = last.threads - first.threads;
        long fds = last.fds - first.fds;
        long chunks = lastExact.chunks - firstExact.chunks;
        boolean nmt = first.nativeKiB >= 0 && last.nativeKiB >= 0;
        double nat = nmt ? (last.nativeKiB - first.nativeKiB) / 1024.0 : 0;
        rt.out().printf("%s %s -> last: live heap %.1f -> %.1f MiB (%+.1f, bound %+.1f), threads %d -> %d (%+d,"
                + " bound %+d), fds %d -> %d (%+d, bound %+d), Netty pooled chunks %d -> %d (%+d, bound %+d), native"
                + " other %s%n", who, from, firstExact.heapKiB / 1024.0, lastExact.heapKiB / 1024.0, heap, heapMiB,
                first.threads, last.threads, threads, maxThreads, first.fds, last.fds, fds, maxFds, firstExact.chunks,
                lastExact.chunks,
                chunks, maxChunks, nmt ? String.format("%.1f -> %.1f MiB (%+.1f, bound %+.1f)",
                        first.nativeKiB / 1024.0, last.nativeKiB / 1024.0, nat, maxNativeMiB) : "not tracked");
        if (failures == null) {
            return;
        }
        if (heap > heapMiB) {
            failures.add(String.format("%s live heap grew %.1f MiB (bound %.1f)", who, heap, heapMiB));
        }
        if (threads > maxThreads) {
            failures.add(who + " threads grew by " + threads + " (bound " + maxThreads + ")");
        }
        if (fds > maxFds) {
            failures.add(who + " file descriptors grew by " + fds + " (bound " + maxFds + ")");
        }
        if (chunks > maxChunks) {
            failures.add(who + " Netty pooled chunks grew by " + chunks + " (bound " + maxChunks + ")");
        }
        if (nat > maxNativeMiB) {
            failures.add(String.format("%s native memory (Other: direct buffers) grew %.1f MiB (bound %.1f)", who,
                    nat, maxNativeMiB));
        }
    }
}
