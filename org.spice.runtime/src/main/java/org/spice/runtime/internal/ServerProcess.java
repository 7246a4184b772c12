package org.spice.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JVM a benchmark measures a server in: a second runtime of this one ({@code spice server} on a free loopback
 * port, started with this JVM's options and its own framework storage) or any process given by its id. What it
 * reads of that process comes from {@code /proc} (CPU time, resident memory, threads) and from the JDK's
 * {@code jcmd} (the class histogram, taken after a full GC, and its total: the live heap), so the figures are the server's alone.
 */
final class ServerProcess implements AutoCloseable {
    /** Clock ticks a second of {@code /proc/PID/stat}'s times; Linux has used 100 on every common architecture. */
    private static final long TICKS_PER_SECOND = 100;
    private static final Pattern NMT_OTHER = Pattern.compile("(?m)^-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
    /** The property naming the JVM options of a server started here; see {@link #serverJvmOptions}. */
    static final String SERVER_JVM_PROPERTY = "org.spice.bench.server.jvm";
    /** An option choosing or tuning the collector, which the server takes from {@link #SERVER_JVM_PROPERTY} instead. */
    private static final Pattern COLLECTOR_CHOICE = Pattern.compile(
            "-XX:[+-]Use\\w+GC|-XX:(MaxGCPauseMillis|G1HeapRegionSize|SoftMaxHeapSize|ConcGCThreads|ParallelGCThreads)=.*");
    private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use(\\w+)GC\\b");
    private static final Pattern PSS = Pattern.compile("(?m)^Pss:\\s+(\\d+) kB");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private final long pid;
    private final Process started;
    private final Path storage;
    private final Path log;
    private final int port;

    private ServerProcess(long pid, Process started, Path storage, Path log, int port) {
        this.pid = pid;
        this.started = started;
        this.storage = storage;
        this.log = log;
        this.port = port;
    }

    /** A process this one did not start, measured only. */
    static ServerProcess of(long pid) {
        return new ServerProcess(pid, null, null, null, -1);
    }

    /**
     * Starts {@code spice server --listen 127.0.0.1:PORT} plus {@code args} in a second JVM of this runtime and
     * returns once its port accepts connections; its output goes to {@code server.log} in a temporary directory,
     * whose last lines the exception carries when it does not come up within {@code timeoutSeconds}.
     */
    static ServerProcess start(List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
        return start(List.of(), args, timeoutSeconds);
    }

    /** As {@link #start(List, int)}, with {@code jvmOptions} after this JVM's own (a later -D wins). */
    static ServerProcess start(List<String> jvmOptions, List<String> args, int timeoutSeconds) throws IOException,
            InterruptedException {
        int port = freePort();
        Path storage = Files.createTempDirectory("spice-bench-server");
        Path log = storage.resolve("server.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // its own framework storage (two Felix instances must not share one), and the server's own heap and
            // collector: the bench's clients may need a large heap and another collector, the server is measured
            // as `spice server` runs
            if (!a.startsWith("-Dlaunch.storage.dir=") && !a.startsWith("-Xmx") && !a.startsWith("-Xms")
                    && !a.startsWith("-Xmn") && !COLLECTOR_CHOICE.matcher(a).matches()) {
                cmd.add(a);
            }
        }
        cmd.addAll(serverJvmOptions(System.getProperty(SERVER_JVM_PROPERTY)));
        cmd.addAll(jvmOptions);
        cmd.add("-Dlaunch.storage.dir=" + storage.resolve("framework"));
        cmd.add("-jar");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("server");
        cmd.add("--listen");
        cmd.add("127.0.0.1:" + port);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(p.pid(), p, storage, log, port);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return server;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > end) {
                    String tail = server.logTail();
                    server.close();
                    throw new IOException("the server " + (p.isAlive() ? "did not listen within " + timeoutSeconds
                            + " s" : "exited with " + p.exitValue()) + "; its log ends:\n" + tail);
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * The options a server started here gets besides this JVM's own: the {@code spice} script gives a bench the JVM
     * options it gives {@code spice server} in this property (space-separated), so that the server is measured with
     * its own collector, not the one the bench's clients run on.
     */
    static List<String> serverJvmOptions(String property) {
        if (property == null || property.isBlank()) {
            return List.of();
        }
        return List.of(property.trim().split("\\s+"));
    }

    /**
     * A loopback port that was free a moment ago, below Linux's ephemeral range (32768..60999): a port the kernel gave
     * out for the asking could be given again to an outgoing connection (a bench client's) before the server binds it.
     */
    static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int port = random.nextInt(20000, 32768);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free loopback port in 20000..32767");
    }

    long pid() {
        return pid;
    }

    /** The port a started server listens on (127.0.0.1), -1 for a process given by its id. */
    int port() {
        return port;
    }

    /** Where a started server's output goes; null for a process given by its id. */
    Path log() {
        return log;
    }

    boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** User and system CPU time so far, in nanoseconds. */
    long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /**
     * Resident memory in KiB: the proportional set size ({@code /proc/PID/smaps_rollup} Pss), VmRSS where the kernel
     * has no rollup. Not VmRSS alone: ZGC maps its heap at three addresses, and VmRSS counts each page once for each
     * (a server on ZGC read three times its heap); Pss counts it once.
     */
    long residentKiB() throws IOException {
        Path rollup = Path.of("/proc/" + pid + "/smaps_rollup");
        if (Files.isReadable(rollup)) {
            Matcher m = PSS.matcher(Files.readString(rollup));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return statusField("VmRSS:");
    }

    long threads() throws IOException {
        return statusField("Threads:");
    }

    /** Open file descriptors: the entries of /proc/PID/fd. */
    long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    /**
     * Native memory the JVM counts as "Other" (KiB committed; jcmd VM.native_memory summary), which is where direct
     * buffers are (ByteBuffer.allocateDirect and Unsafe.allocateMemory, Netty's pooled arenas' chunks among them);
     * -1 when the process was started without -XX:NativeMemoryTracking.
     */
    long nativeOtherKiB() throws IOException, InterruptedException {
        String nmt;
        try {
            nmt = jcmd("VM.native_memory", "summary");
        } catch (IOException notTracking) {
            return -1;
        }
        return nativeOtherKiB(nmt);
    }

    /** "Other" committed KiB of a {@code VM.native_memory summary}, -1 when it has none (tracking off). */
    static long nativeOtherKiB(String nmtSummary) {
        Matcher m = NMT_OTHER.matcher(nmtSummary);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private long statusField(String name) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(name)) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no " + name + " in /proc/" + pid + "/status");
    }

    /**
     * The heap in use by live objects, in KiB, from a class histogram (its total: jcmd takes it after a full GC). Not
     * GC.run then GC.heap_info: a server streaming video allocates tens of MiB in the second between the two.
     */
    static long liveKiB(String histogram) throws IOException {
        Matcher total = HISTOGRAM_TOTAL.matcher(histogram);
        if (!total.find()) {
            throw new IOException("a class histogram without its total");
        }
        return Long.parseLong(total.group(1)) / 1024;
    }

    /** {@code jcmd PID GC.class_histogram}: instances and bytes of each class, largest first. */
    String classHistogram() throws IOException, InterruptedException {
        return jcmd("GC.class_histogram");
    }

    /** A system property of the process's JVM as it runs ({@code jcmd PID VM.system_properties}), or null. */
    String systemProperty(String name) throws IOException, InterruptedException {
        String prefix = name + "=";
        return jcmd("VM.system_properties").lines().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).findFirst().orElse(null);
    }

    /**
     * Has the process's JVM log its GC warnings (also) to {@code file} ({@code jcmd PID VM.log}), so that
     * {@link #liveHistogram} can tell a histogram taken after a full GC from one whose GC was skipped.
     */
    void logGcWarningsTo(Path file) throws IOException, InterruptedException {
        jcmd("VM.log", "output=" + file, "what=gc=warning", "decorators=uptime");
    }

    /**
     * Has the process's JVM log each of its safepoints to {@code file} ({@code jcmd PID VM.log}) until
     * {@link #stopLogging}: every time all its Java threads stood still (a collection's pause, or another VM operation),
     * with how long, whatever the collector. What {@link SafepointStops} reads.
     */
    void logSafepointsTo(Path file) throws IOException, InterruptedException {
        jcmd("VM.log", "output=" + file, "output_options=filecount=0", "what=safepoint=info", "decorators=uptime");
    }

    /** Ends the JVM's logging to {@code file}, as given to {@link #logSafepointsTo} or {@link #logGcWarningsTo}. */
    void stopLogging(Path file) throws IOException, InterruptedException {
        jcmd("VM.log", "output=" + file, "what=all=off");
    }

    /** The collector the process's JVM runs ({@code jcmd PID VM.flags}: G1, Z, Shenandoah, Serial, Parallel...). */
    String collector() throws IOException, InterruptedException {
        Matcher m = COLLECTOR.matcher(jcmd("VM.flags"));
        return m.find() ? m.group(1) : "unknown";
    }

    /**
     * A class histogram whose full GC ran, or null when each of {@code tries} was taken without it. The JVM skips the
     * histogram's GC while a thread is inside a JNI critical region (the GC locker: native video and image codecs
     * hold it, often, in a process decoding 20 streams), says so only in its log ("pre-dump GC was skipped"), and the
     * histogram then counts garbage too: hundreds of MiB in a client JVM. {@code gcLog} is the file given to
     * {@link #logGcWarningsTo}.
     */
    String liveHistogram(Path gcLog, int tries) throws IOException, InterruptedException {
        for (int i = 0; i < tries; i++) {
            long skipped = skippedGcs(gcLog);
            String h = classHistogram();
            if (skippedGcs(gcLog) == skipped) {
                return h;
            }
            Thread.sleep(250);
        }
        return null;
    }

    private static long skippedGcs(Path gcLog) throws IOException {
        if (!Files.exists(gcLog)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(gcLog, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains("GC was skipped")).count();
        }
    }

    private String jcmd(String... what) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new IOException("no " + jcmd + " (a JDK's jcmd reads the server's heap)");
        }
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        cmd.addAll(List.of(what));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        // the pipes closed here, not when a collection finds them: the soak counts this JVM's descriptors next
        try (OutputStream stdin = p.getOutputStream(); InputStream stdout = p.getInputStream()) {
            out = stdout.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + String.join(" ", what) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops a started server (10 s, then forcibly) and removes its directory; a process given by id is left. */
    @Override
    public void close() throws InterruptedException {
        if (started == null) {
            return;
        }
        started.destroy();
        if (!started.waitFor(10, TimeUnit.SECONDS)) {
            started.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        removeTree(storage);
    }

    /** Deletes a temporary directory and everything in it, as far as it can (what it cannot is left behind). */
    static void removeTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
