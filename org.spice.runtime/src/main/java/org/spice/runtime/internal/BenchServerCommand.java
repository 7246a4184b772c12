package org.spice.runtime.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.spice.protocol.SpiceUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice bench server}: N client sessions of this runtime (main, display 0, inputs) against our server, which
 * runs in a second JVM started here (or any server given by URI, measured when its process id is given), so that the
 * server's CPU, resident memory and heap are its own. Each client's frames and bytes a second and its key-down to
 * screen-update latency are printed as a row; see {@link BenchServerClients} for how an update is told to answer a
 * key. Bounded: at most {@value #MAX_CLIENTS} clients, loopback only, and it stops by itself.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Drive N client sessions (main, display 0, inputs) against our server (started in a second"
                + " JVM, or URI on loopback) while they type; print each client's frames/s, bytes/s and key -> update"
                + " latency, and the server's CPU, resident memory and heap per session.")
final class BenchServerCommand implements Callable<Integer> {
    static final int MAX_CLIENTS = 500;

    private final Runtime rt;

    @Parameters(index = "0", arity = "0..1", paramLabel = "URI", description = "spice://127.0.0.1:PORT of a running"
            + " server instead of starting one.")
    String uri;

    @Option(names = "--clients", paramLabel = "N", description = "Client sessions, 1.." + MAX_CLIENTS
            + " (default ${DEFAULT-VALUE}).")
    int clients = 10;

    @Option(names = "--seconds", paramLabel = "S", description = "The measured time, 1..3600 (default"
            + " ${DEFAULT-VALUE}).")
    int seconds = 10;

    @Option(names = "--idle", description = "Clients only watch: no keys.")
    boolean idle;

    @Option(names = "--keys-per-second", paramLabel = "R", description = "Keys a second over all clients, one at a"
            + " time, round robin, 1..1000 (default ${DEFAULT-VALUE}).")
    double keysPerSecond = 20;

    @Option(names = "--decode-video", description = "Clients decode and draw every video frame, as a viewer does,"
            + " instead of counting the frames as they arrive (hundreds of decoding clients in one process cost more"
            + " CPU than the server they measure).")
    boolean decodeVideo;

    @Option(names = "--server-pid", paramLabel = "PID", description = "The process of the server at URI, to measure.")
    long serverPid;

    @Option(names = "--server-option", paramLabel = "OPTION", description = "An option for the server started here"
            + " (spice server's, e.g. --server-option=--image-compression=lz); repeatable.")
    List<String> serverOptions = new ArrayList<>();

    @Option(names = "--histogram", paramLabel = "PREFIX", description = "Write the server's class histogram (jcmd"
            + " GC.class_histogram) with no client to PREFIX-0.txt and with the clients to PREFIX-N.txt.")
    Path histogram;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "For every client to link and get its"
            + " picture (default ${DEFAULT-VALUE}).")
    int timeout = 600;

    BenchServerCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || clients > MAX_CLIENTS) {
            rt.err().println("error: --clients must be 1.." + MAX_CLIENTS + ", not " + clients);
            return 64;
        }
        if (seconds < 1 || seconds > 3600 || timeout < 1 || timeout > 3600) {
            rt.err().println("error: --seconds and --timeout must be 1..3600");
            return 64;
        }
        if (!(keysPerSecond >= 1 && keysPerSecond <= 1000)) {
            rt.err().println("error: --keys-per-second must be 1..1000");
            return 64;
        }
        SpiceUri target = null;
        if (uri != null) {
            target = SpiceUri.parse(uri);
            if (!target.host().equals("127.0.0.1") && !target.host().equals("localhost")
                    && !target.host().equals("::1")) {
                rt.err().println("error: the bench drives servers on loopback only, not " + target.host());
                return 64;
            }
            if (!serverOptions.isEmpty()) {
                rt.err().println("error: --server-option is for the server started here, not one at URI");
                return 64;
            }
        } else if (serverPid != 0) {
            rt.err().println("error: --server-pid goes with a URI");
            return 64;
        }
        ServerProcess server = null;
        try {
            if (target == null) {
                List<String> options = new ArrayList<>(List.of("--max-clients", Integer.toString(clients)));
                options.addAll(serverOptions);
                server = ServerProcess.start(options, 60);
                target = new SpiceUri("127.0.0.1", server.port(), -1, null);
                rt.out().printf("server: pid %d, %s (log %s)%n", server.pid(), target, server.log());
            } else if (serverPid > 0) {
                server = ServerProcess.of(serverPid);
            }
            return run(target, server);
        } catch (java.io.IOException | IllegalStateException e) {
            rt.err().println("error: " + e.getMessage());
            return 1;
        } catch (NoClassDefFoundError e) {
            rt.err().println("error: bench server needs the inputs bundle (org.spice.inputs), which is not installed");
            return 1;
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private int run(SpiceUri target, ServerProcess server) throws Exception {
        Usage before = server == null ? null : Usage.of(server);
        if (server != null && histogram != null) {
            Files.writeString(Path.of(histogram + "-0.txt"), before.histogram());
        }
        long ownCpu0 = ownCpuNanos();
        try (BenchServerClients c = new BenchServerClients(rt, decodeVideo, true); Stops stops = new Stops(server)) {
            long t0 = System.nanoTime();
            c.link(target, clients, timeout);
            rt.out().printf("linked %d clients (main, display 0, inputs) in %d ms; measuring %d s%s%n", clients,
                    (System.nanoTime() - t0) / 1_000_000, seconds, idle ? ", idle" : ", typing "
                            + keysPerSecond + " keys/s in all, one at a time, round robin");
            rt.out().println(decodeVideo ? "clients decode every image and video frame; frames/s: display changes"
                    + " outside the text box" : "clients decode every image but count video frames without decoding"
                    + " them; frames/s: display changes outside the text box and video frames received");
            // a second for the stream to start and the clients' first frames to pass
            Thread.sleep(1000);
            stops.start();
            long serverCpu0 = server == null ? 0 : server.cpuNanos();
            long ownWindow0 = ownCpuNanos();
            long ownGc0 = ownCollections();
            stops.mark();
            long start = System.nanoTime();
            c.startWindow();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            if (!idle) {
                c.type(keysPerSecond, end);
            }
            long rest = end - System.nanoTime();
            if (rest > 0) {
                TimeUnit.NANOSECONDS.sleep(rest);
            }
            c.endWindow();
            double took = (System.nanoTime() - start) / 1e9;
            stops.mark();
            long serverCpu = server == null ? 0 : server.cpuNanos() - serverCpu0;
            long ownCpu = ownCpuNanos() - ownWindow0;
            long ownGc = ownCollections() - ownGc0;
            stops.stop();
            Usage after = server == null ? null : Usage.of(server);
            if (server != null && histogram != null) {
                Files.writeString(Path.of(histogram + "-" + clients + ".txt"), after.histogram());
            }
            print(c, took, server, before, after, serverCpu, ownCpu, ownCpu0, ownGc, stops);
            if (!idle && c.keysSent() > 0 && c.keysMissed() == c.keysSent() * clients) {
                rt.err().println("error: no client saw any key answered (is the server showing the demo desktop?)");
                return 1;
            }
            return 0;
        }
    }

    private void print(BenchServerClients c, double took, ServerProcess server, Usage before, Usage after,
            long serverCpu, long ownCpu, long ownCpu0, long ownCollections, Stops stops) throws Exception {
        List<BenchServerClients.Viewer> viewers = c.viewers();
        rt.out().printf("%6s %9s %10s %6s %8s %8s%n", "client", "frames/s", "KiB/s", "keys", "p50 ms", "p99 ms");
        double[] fps = new double[viewers.size()];
        double[] kibs = new double[viewers.size()];
        double[] mpixels = new double[viewers.size()];
        for (int i = 0; i < viewers.size(); i++) {
            BenchServerClients.Viewer v = viewers.get(i);
            long[] l = v.latencies();
            fps[i] = v.framesInWindow / took;
            kibs[i] = v.bytesInWindow / 1024.0 / took;
            mpixels[i] = v.pixelsInWindow / 1e6 / took;
            rt.out().printf("%6d %9.1f %10.1f %6d %8s %8s%n", v.number, fps[i], kibs[i], l.length,
                    ms(BenchCommand.nearestRank(l, 0.5)), ms(BenchCommand.nearestRank(l, 0.99)));
        }
        Arrays.sort(fps);
        Arrays.sort(kibs);
        Arrays.sort(mpixels);
        int n = viewers.size();
        rt.out().printf("all clients: frames/s median %.1f (min %.1f, max %.1f); KiB/s median %.1f (min %.1f, max"
                + " %.1f)%n", fps[n / 2], fps[0], fps[n - 1], kibs[n / 2], kibs[0], kibs[n - 1]);
        // a frame may come as several draws (bands), so the area they cover says how much of the screen changed
        rt.out().printf("all clients: megapixels drawn a second median %.2f (min %.2f, max %.2f)%n", mpixels[n / 2],
                mpixels[0], mpixels[n - 1]);
        if (!idle) {
            long[] all = BenchServerClients.all(viewers);
            rt.out().printf("key -> update, every client: p50 %s ms, p99 %s ms, max %s ms over %d samples (%d keys"
                    + " sent, %d updates missed)%n", ms(BenchCommand.nearestRank(all, 0.5)),
                    ms(BenchCommand.nearestRank(all, 0.99)), ms(BenchCommand.nearestRank(all, 1.0)),
                    all.length, c.keysSent(), c.keysMissed());
        }
        if (server != null) {
            rt.out().printf("server pid %d: CPU %.1f %% of a core in all, %.2f %% per client (%.2f ms a second)%n",
                    server.pid(), serverCpu / 1e7 / took, serverCpu / 1e7 / took / n, serverCpu / 1e6 / took / n);
            rt.out().printf("server resident memory (PSS): %.1f MiB with no client, %.1f MiB with %d (%+.2f MiB per"
                    + " client)%n", before.rssKiB / 1024.0, after.rssKiB / 1024.0, n,
                    (after.rssKiB - before.rssKiB) / 1024.0 / n);
            rt.out().printf("server: collector %s; JVM stops (safepoints) while measured: %s%n", stops.serverCollector,
                    stops.server().describe());
            rt.out().printf("server heap after GC (live objects): %.1f MiB with no client, %.1f MiB with %d (%+.3f MiB per client);"
                    + " threads %d -> %d%n", before.heapKiB / 1024.0, after.heapKiB / 1024.0, n,
                    (after.heapKiB - before.heapKiB) / 1024.0 / n, before.threads, after.threads);
        } else {
            rt.out().println("server: not measured (give --server-pid with a URI)");
        }
        rt.out().printf("clients (this JVM): CPU %.1f %% of a core while measured (%.1f s in all with linking)%n",
                ownCpu / 1e7 / took, (ownCpuNanos() - ownCpu0) / 1e9);
        rt.out().printf("clients (this JVM): collector %s, %d collections while measured; JVM stops (safepoints) while"
                + " measured: %s (a stop halts every client: key latencies include it)%n", stops.ownCollector,
                ownCollections, stops.own().describe());
        rt.out().printf("load average: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /**
     * The stops (safepoints) of this JVM and the server's while measured, whatever their collectors: each JVM logs its
     * safepoints to a file from {@link #start} ({@code jcmd VM.log}), and what it wrote between the two {@link #mark}s
     * is the measured time's.
     */
    private static final class Stops implements AutoCloseable {
        private final ServerProcess self = ServerProcess.of(ProcessHandle.current().pid());
        private final ServerProcess server;
        private final Path dir;
        private final Path ownLog;
        private final Path serverLog;
        private final long[] ownMarks = new long[2];
        private final long[] serverMarks = new long[2];
        private int marks;
        private boolean logging;
        String ownCollector = "unknown";
        String serverCollector = "unknown";

        Stops(ServerProcess server) throws java.io.IOException {
            this.server = server;
            dir = Files.createTempDirectory("spice-bench-stops");
            ownLog = dir.resolve("clients-safepoints.log");
            serverLog = dir.resolve("server-safepoints.log");
        }

        void start() throws Exception {
            ownCollector = self.collector();
            self.logSafepointsTo(ownLog);
            logging = true;
            if (server != null) {
                serverCollector = server.collector();
                server.logSafepointsTo(serverLog);
            }
        }

        /** The logs' ends now: the first call starts the measured time, the second ends it. */
        void mark() throws java.io.IOException {
            ownMarks[marks] = size(ownLog);
            serverMarks[marks] = size(serverLog);
            marks++;
        }

        void stop() throws Exception {
            if (logging) {
                logging = false;
                self.stopLogging(ownLog);
                if (server != null && server.alive()) {
                    server.stopLogging(serverLog);
                }
            }
        }

        SafepointStops own() throws java.io.IOException {
            return between(ownLog, ownMarks);
        }

        SafepointStops server() throws java.io.IOException {
            return between(serverLog, serverMarks);
        }

        private static SafepointStops between(Path log, long[] marks) throws java.io.IOException {
            if (!Files.exists(log)) {
                return SafepointStops.parse("");
            }
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(all.length, marks[0]);
            int to = (int) Math.min(all.length, Math.max(from, marks[1]));
            return SafepointStops.parse(new String(all, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        private static long size(Path f) throws java.io.IOException {
            return Files.exists(f) ? Files.size(f) : 0;
        }

        @Override
        public void close() throws Exception {
            try {
                stop();
            } finally {
                ServerProcess.removeTree(dir);
            }
        }
    }

    /** This JVM's garbage collections so far (pauses or concurrent cycles, as its collector counts them). */
    private static long ownCollections() {
        long n = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "-" : String.format("%.1f", nanos / 1e6);
    }

    private static long ownCpuNanos() throws java.io.IOException {
        return ServerProcess.of(ProcessHandle.current().pid()).cpuNanos();
    }

    /** The server's resident memory, live heap (KiB) and threads at one moment, and the class histogram behind it. */
    private record Usage(long rssKiB, long heapKiB, long threads, String histogram) {
        static Usage of(ServerProcess s) throws Exception {
            String h = s.classHistogram();
            return new Usage(s.residentKiB(), ServerProcess.liveKiB(h), s.threads(), h);
        }
    }
}
