package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Fifty viewers of one VM through {@code ./spice gateway} on this machine: QEMU 7.2 (one client only) shows
 * SeaBIOS's still boot splash; 40 of our own viewers ({@code ./spice bench viewers}, one runtime, main and display
 * each) hold their sessions while 10 spicy-screenshot processes connect beside them, and every one of the 50 gets
 * the splash pixel for pixel. The gateway's resident memory and CPU time are read from /proc before any viewer,
 * with one viewer and with the 40 held after the 10 came and went, and printed per viewer with the ratio to one
 * viewer (the table in docs/gateway-load.md comes from these lines; .ci/run's log has each run's).
 */
class GatewayLoadIT {
    static final int OURS = 40;
    static final int SPICY = 10;
    private static final Duration WAIT = Duration.ofSeconds(120);

    /**
     * The gateway's JVM: resident memory (KiB), CPU time so far (clock ticks) and its heap in use after a full GC
     * (KiB; jcmd's GC.run then GC.heap_info: resident memory hardly moves for one viewer, as the JVM keeps the heap it
     * once took).
     */
    record Usage(long rssKiB, long cpuTicks, long heapKiB) {
        static Usage of(long pid) {
            try {
                long cpu = cpuTicks(pid);
                Proc.Result gc = Proc.of(List.of(Peers.binary("jcmd"), Long.toString(pid), "GC.run"))
                        .run(Path.of("/tmp"), "jcmd-gc", Duration.ofSeconds(30));
                assertEquals(0, gc.exitCode(), gc::describe);
                Proc.Result info = Proc.of(List.of(Peers.binary("jcmd"), Long.toString(pid), "GC.heap_info"))
                        .run(Path.of("/tmp"), "jcmd-heap", Duration.ofSeconds(30));
                java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info.stdout());
                assertTrue(used.find(), info::describe);
                long rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                        .findFirst().orElseThrow();
                return new Usage(rss, cpu, Long.parseLong(used.group(1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static long cpuTicks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The java process under {@code timeout} (the launcher script execs java). */
    private static long javaUnder(Proc p) {
        for (long end = System.nanoTime() + Duration.ofSeconds(20).toNanos(); System.nanoTime() < end; ) {
            java.util.Optional<ProcessHandle> java = ProcessHandle.of(p.pid()).stream()
                    .flatMap(ProcessHandle::descendants)
                    .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
            if (java.isPresent()) {
                return java.get().pid();
            }
            Proc.sleep(100);
        }
        throw new AssertionError("no java process under " + p.describe());
    }

    /**
     * Waits until the viewers have their pictures; when they do not, says what the VM itself showed then (HMP
     * screendump), which tells a gateway that kept an old picture from a VM that showed another.
     */
    private static void awaitHolding(Proc viewers, Path monitor, Path dir, int[] splash) {
        try {
            viewers.awaitStdout("^viewers: holding", WAIT);
        } catch (AssertionError e) {
            Path vm = dir.resolve(viewers.name + "-vm.ppm");
            Hmp.run(monitor, "screendump " + vm);
            int[] shown = Pictures.read(vm);
            throw new AssertionError(e.getMessage() + "\nthe VM itself showed a " + Pictures.size(shown)
                    + " picture, " + (Pictures.size(shown).equals(Pictures.size(splash))
                    ? Pictures.differing(splash, shown) + " pixels other than the splash" : "not the splash")
                    + " (" + vm + ")", e);
        }
    }

    @Test
    void fiftyViewersGetTheExactPicture() throws Exception {
        Path dir = Peers.workDir(getClass(), "fifty");
        Path bmp = dir.resolve("splash.bmp");
        ImageIO.write(QemuDisplayIT.splash(), "bmp", bmp.toFile());
        int[] splash = Pictures.read(bmp);
        Path monitor = dir.resolve("mon.sock");
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + vmPort + ",addr=127.0.0.1,disable-ticketing=on",
                List.of("-boot", "menu=on,splash=" + bmp + ",splash-time=60000", "-monitor", "unix:" + monitor
                        + ",server,nowait"), vmPort);
                Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "400"), "gateway",
                        "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port,
                        "--max-viewers", Integer.toString(OURS + SPICY + 5)).start(dir, "gateway")) {
            gateway.awaitStdout("^gateway: showing spice://127.0.0.1:" + vmPort + " \\(1024x768\\)$", WAIT);
            gateway.awaitStdout("^SPICE server listening on spice://127.0.0.1:" + port + "$", WAIT);
            long pid = javaUnder(gateway);
            String uri = "spice://127.0.0.1:" + port;
            // SeaBIOS's splash lasts 60 s from a reset: each phase starts with one (the gateway stays connected)
            GatewayIT.resetUntilTheGatewayShowsTheSplash(monitor, dir, splash, port, "reset-1");
            Usage idle = Usage.of(pid);

            Usage one;
            try (Proc viewer = Spice.command(List.of(), "bench", "viewers", "--count", "1", "--expect",
                    bmp.toString(), "--mismatch", dir.resolve("one-mismatch.png").toString(), "--hold", "3", uri)
                    .start(dir, "one")) {
                awaitHolding(viewer, monitor, dir, splash);
                one = Usage.of(pid);
                assertEquals(0, viewer.awaitExit(WAIT), viewer::describe);
            }

            GatewayIT.resetUntilTheGatewayShowsTheSplash(monitor, dir, splash, port, "reset-2");
            Usage before = Usage.of(pid);
            Usage all;
            List<int[]> spicyPictures = new ArrayList<>();
            try (Proc ours = Spice.command(List.of(), "bench", "viewers", "--count", Integer.toString(OURS),
                    "--expect", bmp.toString(), "--mismatch", dir.resolve("ours-mismatch.png").toString(), "--hold",
                    "60", uri).start(dir, "ours")) {
                awaitHolding(ours, monitor, dir, splash);
                // the 40 stay linked while 10 spicy-screenshot processes link beside them, all at once
                List<CompletableFuture<int[]>> spicy = new ArrayList<>();
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(SPICY);
                try {
                    for (int i = 0; i < SPICY; i++) {
                        String name = "spicy-" + i;
                        spicy.add(CompletableFuture.supplyAsync(() -> GatewayIT.spicyScreenshot(dir, port, name),
                                pool));
                    }
                    for (CompletableFuture<int[]> s : spicy) {
                        spicyPictures.add(s.join());
                    }
                } finally {
                    pool.shutdown();
                }
                all = Usage.of(pid);
                assertTrue(ours.stdout().contains("viewers: " + OURS + " of " + OURS + " got the expected picture"),
                        ours::describe);
            }
            for (int i = 0; i < SPICY; i++) {
                assertEquals(0, Pictures.differing(splash, spicyPictures.get(i)), "spicy-screenshot " + i
                        + " through the gateway is not the splash (see " + dir + ")");
            }
            String table = table(idle, one, before, all);
            System.out.print(table);
            Files.writeString(dir.resolve("gateway-load.md"), table);
            assertTrue(gateway.isAlive(), gateway::describe);
            assertTrue(qemu.isAlive(), qemu::describe);
        }
    }

    /** The figures as a Markdown table, per viewer and as ratios to one viewer. */
    private static String table(Usage idle, Usage one, Usage before, Usage all) {
        int n = OURS + SPICY;
        double rssOne = (one.rssKiB() - idle.rssKiB()) / 1024.0;
        // memory is read while our 40 hold their sessions (the spicy-screenshots have had their picture and left)
        double rssEach = (all.rssKiB() - before.rssKiB()) / 1024.0 / OURS;
        double heapOne = (one.heapKiB() - idle.heapKiB()) / 1024.0;
        double heapEach = (all.heapKiB() - before.heapKiB()) / 1024.0 / OURS;
        // CPU: from the phase's start until every viewer had its picture (clock ticks of 10 ms); each phase's figure
        // holds one full GC, the one jcmd ran at its start
        double cpuOne = (one.cpuTicks() - idle.cpuTicks()) * 10.0;
        double cpuEach = (all.cpuTicks() - before.cpuTicks()) * 10.0 / n;
        return String.format(java.util.Locale.ROOT, """
                interop: gateway load, %d viewers at once (%d of ours in one runtime, %d spicy-screenshot), \
                SeaBIOS splash 1024x768
                | | resident memory | heap after GC | CPU time |
                |---|---|---|---|
                | gateway, no viewer | %.1f MiB | %.1f MiB | |
                | one viewer | %+.1f MiB | %+.2f MiB | %.0f ms |
                | %d viewers, each (memory: each of the %d held) | %+.2f MiB | %+.2f MiB | %.0f ms |
                | %d viewers, each / one viewer | %s | %s | %s |
                """, n, OURS, SPICY, idle.rssKiB() / 1024.0, idle.heapKiB() / 1024.0, rssOne, heapOne, cpuOne, n,
                OURS, rssEach, heapEach, cpuEach, n, ratio(rssEach, rssOne), ratio(heapEach, heapOne),
                ratio(cpuEach, cpuOne));
    }

    private static String ratio(double each, double one) {
        return one <= 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f", each / one);
    }
}
