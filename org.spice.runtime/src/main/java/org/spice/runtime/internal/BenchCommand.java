package org.spice.runtime.internal;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.ClientCommand;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.server.ServerConfig;
import org.spice.protocol.server.SpiceServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spice bench}: how long this runtime took to start, and how long a channel bundle takes from being
 * started to being offered and linked, each also as a ratio to a reference measured in the same run (a new
 * client linking main on loopback), so figures from different machines compare.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Print runtime cold start and channel bundle start -> channel live timings.")
final class BenchCommand implements Callable<Integer> {
    private final Runtime rt;

    @Option(names = "--rounds", description = "Rounds per measurement (default ${DEFAULT-VALUE}).")
    int rounds = 10;

    @Option(names = "--bundle", description = "The channel bundle to restart (default ${DEFAULT-VALUE}).")
    String bundleName = "org.spice.cursor";

    BenchCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        long coldStartMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        Bundle bundle = Arrays.stream(rt.context().getBundles()).filter(b -> b.getSymbolicName().equals(bundleName))
                .findFirst().orElse(null);
        if (bundle == null) {
            rt.err().println("error: no bundle " + bundleName + " in this runtime");
            return 1;
        }
        SpiceServer server = startServer(rt);
        if (server == null) {
            rt.err().println("error: the SPICE server did not start; the log above says why");
            return 1;
        }
        SpiceUri uri = new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null);
        ClientOptions options = ClientOptions.defaults().withConnectChannels(false);
        String channel = bundleName.equals("org.spice.cursor") ? "cursor:0" : null;
        int type = channel == null ? -1 : ChannelType.CURSOR;

        long[] connect = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            ClientSession s = rt.client().connect(uri, options).get(30, TimeUnit.SECONDS);
            connect[i] = System.nanoTime() - t0;
            ClientCommand.closeAndWait(s);
        }
        long[] offered = new long[rounds];
        long[] linked = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            bundle.stop();
            await(() -> channel == null || !server.offeredChannels().contains(channel));
            long t0 = System.nanoTime();
            bundle.start();
            await(() -> channel == null || server.offeredChannels().contains(channel));
            offered[i] = System.nanoTime() - t0;
            ClientSession s = rt.client().connect(uri, options).get(30, TimeUnit.SECONDS);
            if (type > 0) {
                s.link(type, 0).get(30, TimeUnit.SECONDS);
            }
            linked[i] = System.nanoTime() - t0;
            ClientCommand.closeAndWait(s);
        }
        double reference = median(connect);
        rt.out().printf("runtime cold start (JVM start to this command): %d ms%n", coldStartMs);
        rt.out().printf("reference, a new client linking main on loopback: median %.1f ms over %d rounds%n",
                reference / 1e6, rounds);
        rt.out().printf("%s start -> %s offered: median %.1f ms (%.1fx the reference), max %.1f ms%n", bundleName,
                channel, median(offered) / 1e6, median(offered) / reference, max(offered) / 1e6);
        rt.out().printf("%s start -> %s linked by a new client: median %.1f ms (%.1fx the reference), max %.1f ms%n",
                bundleName, channel, median(linked) / 1e6, median(linked) / reference, max(linked) / 1e6);
        rt.out().printf("runtime cold start: %.0fx the reference%n", coldStartMs * 1e6 / reference);
        return 0;
    }

    /** Our server on a free loopback port of this runtime, or null when it did not start within 20 s. */
    static SpiceServer startServer(Runtime rt) throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("listen", "127.0.0.1:0");
        ServiceTracker<SpiceServer, SpiceServer> t = new ServiceTracker<>(rt.context(), SpiceServer.class, null);
        t.open();
        try {
            rt.configAdmin().getConfiguration(ServerConfig.PID, "?").update(props);
            return t.waitForService(20_000);
        } finally {
            t.close();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the channel did not come or go within 20 s");
            }
            Thread.sleep(1);
        }
    }

    /** The value at quantile {@code q} (0..1) of sorted {@code v}, nearest rank; -1 for none. */
    static long nearestRank(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
