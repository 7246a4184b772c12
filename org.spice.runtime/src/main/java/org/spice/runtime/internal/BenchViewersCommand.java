package org.spice.runtime.internal;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.ClientCommand;
import org.spice.desktop.Frame;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.ClientDisplays;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice bench viewers URI}: N viewers of one server at once, as a load test of that server (a gateway in
 * front of a VM, or our server) drives them: each links main and display 0 only, as spicy-screenshot does, and
 * waits for the server's complete picture. Prints how long linking and the pictures took, whether every picture
 * equals {@code --expect} pixel for pixel, and this runtime's heap per viewer; holds the viewers connected for
 * {@code --hold} seconds so that the server's memory can be read meanwhile.
 */
@Command(name = "viewers", mixinStandardHelpOptions = true,
        description = "Link N viewers (main and display 0) to URI at once; print the time to their pictures,"
                + " whether each equals --expect, and the heap per viewer; hold them for --hold seconds.")
final class BenchViewersCommand implements Callable<Integer> {
    /** The most viewers one run links (each holds its picture: 3 MiB at 1024x768). */
    static final int MAX_VIEWERS = 500;

    private final Runtime rt;

    @Parameters(index = "0", paramLabel = "URI", description = "spice://HOST:PORT of the server.")
    String uri;

    @Option(names = "--count", paramLabel = "N", description = "Viewers, 1.." + MAX_VIEWERS
            + " (default ${DEFAULT-VALUE}).")
    int count = 10;

    @Option(names = "--expect", paramLabel = "PICTURE", description = "A PNG or BMP every viewer's picture must"
            + " equal.")
    Path expect;

    @Option(names = "--mismatch", paramLabel = "FILE", description = "Where to write, as PNG, the closest picture"
            + " of the first viewer whose picture is not --expect.")
    Path mismatch;

    @Option(names = "--hold", paramLabel = "SECONDS", description = "Keep the viewers connected this long after"
            + " their pictures came (default ${DEFAULT-VALUE}).")
    int hold;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "For all pictures to come (default"
            + " ${DEFAULT-VALUE}).")
    int timeout = 60;

    BenchViewersCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > MAX_VIEWERS) {
            rt.err().println("error: --count must be 1.." + MAX_VIEWERS + ", not " + count);
            return 64;
        }
        if (timeout < 1 || timeout > 3600 || hold < 0 || hold > 86_400) {
            rt.err().println("error: --timeout must be 1..3600 and --hold 0..86400 seconds");
            return 64;
        }
        int[] expected = expect == null ? null : expected(expect);
        if (expect != null && expected == null) {
            rt.err().println("error: " + expect + " is not a PNG or BMP picture");
            return 64;
        }
        SpiceUri target = SpiceUri.parse(uri);
        ServiceTracker<ClientDisplays, ClientDisplays> tracker = new ServiceTracker<>(rt.context(),
                ClientDisplays.class, null);
        tracker.open();
        List<ClientSession> sessions = new ArrayList<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            ClientDisplays displays = tracker.waitForService(20_000);
            if (displays == null) {
                rt.err().println("error: the display bundle (org.spice.display) is not running");
                return 1;
            }
            long heapBefore = usedHeapAfterGc();
            long t0 = System.nanoTime();
            long end = t0 + TimeUnit.SECONDS.toNanos(timeout);
            ClientOptions options = ClientOptions.defaults().withConnectChannels(false);
            long[] pictured = new long[count];
            List<CompletableFuture<Frame>> pictures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                CompletableFuture<ClientSession> session = rt.client().connect(target, options);
                pictures.add(session.thenCompose(s -> {
                    synchronized (sessions) {
                        sessions.add(s);
                    }
                    return displays.linked(s, 0);
                }).thenCompose(ClientDisplay::complete).thenCompose(d -> exact(d, expected, end, timer))
                        .whenComplete((f, e) -> pictured[n] = System.nanoTime() - t0));
            }
            int exact = 0;
            String failure = null;
            for (CompletableFuture<Frame> p : pictures) {
                try {
                    Frame f = p.get(Math.max(1, end - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1),
                            TimeUnit.NANOSECONDS);
                    if (expected == null || f != null && same(f, expected)) {
                        exact++;
                    } else if (failure == null) {
                        failure = f == null ? "no picture" : "the closest of its pictures in " + timeout + " s, "
                                + f.width() + "x" + f.height() + ", has " + differing(f, expected)
                                + " pixels other than " + expect;
                        if (f != null && mismatch != null) {
                            ScreenshotCommand.write(f, mismatch);
                            failure += " (written to " + mismatch + ")";
                        }
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (failure == null) {
                        failure = e instanceof java.util.concurrent.TimeoutException ? "no complete picture within "
                                + timeout + " s" : String.valueOf(e.getCause().getMessage());
                    }
                }
            }
            long all = System.nanoTime() - t0;
            long[] sorted = pictured.clone();
            Arrays.sort(sorted);
            rt.out().printf("viewers: %d of %d got %s picture; all in %d ms (median viewer %d ms, slowest %d ms)%n",
                    exact, count, expected == null ? "a complete" : "the expected", all / 1_000_000,
                    sorted[count / 2] / 1_000_000, sorted[count - 1] / 1_000_000);
            long heap = usedHeapAfterGc() - heapBefore;
            rt.out().printf("viewers: this runtime's heap grew %.1f MiB, %.2f MiB a viewer%n", heap / 1048576.0,
                    heap / 1048576.0 / count);
            if (exact < count) {
                rt.err().println("error: " + (count - exact) + " of " + count + " viewers did not get "
                        + (expected == null ? "a complete picture" : "the expected picture")
                        + (failure == null ? "" : " (first failure: " + failure + ")"));
                return 1;
            }
            if (hold > 0) {
                rt.out().printf("viewers: holding %d viewers for %d s%n", count, hold);
                rt.out().flush();
                Thread.sleep(hold * 1000L);
            }
            return 0;
        } finally {
            synchronized (sessions) {
                sessions.forEach(ClientSession::close);
                for (ClientSession s : sessions) {
                    ClientCommand.closeAndWait(s);
                }
            }
            timer.shutdownNow();
            tracker.close();
        }
    }

    /**
     * Completes with the display's picture once it equals {@code expected} (the complete picture can still be
     * drawn to after its mark, and a server may show another one first), or at {@code end} (nanotime) with the
     * closest one it had; with the picture at once without one. Checked every 100 ms on {@code timer}, never
     * blocking a thread.
     */
    private static CompletableFuture<Frame> exact(ClientDisplay d, int[] expected, long end,
            ScheduledExecutorService timer) {
        CompletableFuture<Frame> result = new CompletableFuture<>();
        timer.execute(new Runnable() {
            private Frame closest;
            private long closestDiffering = Long.MAX_VALUE;

            @Override
            public void run() {
                Frame f = d.primary();
                long off = expected == null || f == null ? 0 : differing(f, expected);
                if (f != null && off < closestDiffering) {
                    closest = f;
                    closestDiffering = off;
                }
                if (expected == null || f != null && off == 0) {
                    result.complete(f);
                } else if (System.nanoTime() > end) {
                    result.complete(closest);
                } else {
                    timer.schedule(this, 100, TimeUnit.MILLISECONDS);
                }
            }
        });
        return result;
    }

    /** The picture as width, height, then 0xRRGGBB pixels; null when ImageIO cannot read it. */
    private static int[] expected(Path file) throws java.io.IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            return null;
        }
        int[] px = new int[2 + img.getWidth() * img.getHeight()];
        px[0] = img.getWidth();
        px[1] = img.getHeight();
        img.getRGB(0, 0, img.getWidth(), img.getHeight(), px, 2, img.getWidth());
        return px;
    }

    /** Pixels of {@code f} other than {@code expected}'s (all of them at another size). */
    private static long differing(Frame f, int[] expected) {
        if (f.width() != expected[0] || f.height() != expected[1]) {
            return (long) f.width() * f.height();
        }
        int[] rgb = f.rgb();
        long n = 0;
        for (int i = 0; i < rgb.length; i++) {
            if (((rgb[i] ^ expected[i + 2]) & 0xffffff) != 0) {
                n++;
            }
        }
        return n;
    }

    private static boolean same(Frame f, int[] expected) {
        if (f.width() != expected[0] || f.height() != expected[1]) {
            return false;
        }
        int[] rgb = f.rgb();
        for (int i = 0; i < rgb.length; i++) {
            if (((rgb[i] ^ expected[i + 2]) & 0xffffff) != 0) {
                return false;
            }
        }
        return true;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
