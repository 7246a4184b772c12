package org.spice.runtime.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.ClientCommand;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.ClientDisplays;
import org.spice.display.api.DisplaySettings;
import org.spice.display.video.VideoCodec;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.server.ServerConfig;
import org.spice.protocol.server.SpiceServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spice bench video}: what a video stream costs and how good it looks, per codec, from our server and from
 * QEMU's spice-server playing the same clip: the video test floppy's moving gradient ({@link VgaRamp}; QEMU boots the
 * floppy, our server plays {@link ClipSource}). Our client, preferring one codec, reaches the server through a
 * {@link ShapedRelay} that counts the bytes the server sends; each decoded video frame is matched to the clip frame
 * it is closest to and its PSNR taken against it. Then an adaptive run: our server streams through a link of {@code
 * --link} kB/s for the first half of the clip and half as fast after it, printed second by second, with how
 * many frames the picture is behind the clip (a queue that grows shows as a lag that grows). The adaptive run plays
 * the clip with grain, which no codec squeezes, so that the stream needs what the link gives.
 */
@Command(name = "video", mixinStandardHelpOptions = true,
        description = "Bytes per second and PSNR of each video codec from our server and QEMU's for the same clip,"
                + " and the bit rate following a link halved mid-clip.")
final class BenchVideoCommand implements Callable<Integer> {
    private static final String SOURCE = "bench-video";
    /** Frames at the start of motion left out: the server's stream detection and the codec's first key frame. */
    private static final long SETTLE_NANOS = 2_000_000_000L;

    private final Runtime rt;

    @Option(names = "--codecs", paramLabel = "LIST", description = "Codecs to measure, or 'none' (default"
            + " ${DEFAULT-VALUE}).")
    String codecs = "mjpeg,h264,vp8,vp9";

    @Option(names = "--seconds", paramLabel = "S", description = "Seconds of motion measured (default"
            + " ${DEFAULT-VALUE}); the clip moves for 2 s more.")
    int seconds = 30;

    @Option(names = "--qemu-floppy", paramLabel = "FILE", description = "The video test floppy built with MOVING ="
            + " the clip's frames (scripts/bench/video.sh builds it): QEMU's spice-server plays it beside ours.")
    Path floppy;

    @Option(names = "--adaptive", paramLabel = "CODEC", description = "Codec of the adaptive run, or 'none'"
            + " (default ${DEFAULT-VALUE}).")
    String adaptive = "h264";

    @Option(names = "--link", paramLabel = "KB", description = "The adaptive run's link in kB/s before it is halved"
            + " (default ${DEFAULT-VALUE}).")
    int linkKb = 200;

    BenchVideoCommand(Runtime rt) {
        this.rt = rt;
    }

    /** The clip's moving frames for {@code seconds} measured. */
    static int movingFrames(int seconds) {
        return (int) ((seconds * 1_000_000_000L + SETTLE_NANOS + 2_000_000_000L) / VgaRamp.FRAME_NANOS);
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 5 || seconds > 600) {
            rt.err().println("error: --seconds must be 5..600");
            return 64;
        }
        if (linkKb < 10 || linkKb > 1_000_000) {
            rt.err().println("error: --link must be 10..1000000 kB/s");
            return 64;
        }
        if (floppy != null && !Files.isRegularFile(floppy)) {
            rt.err().println("error: " + floppy + " is not a file");
            return 64;
        }
        List<String> list;
        try {
            list = codecs.equals("none") ? List.of() : VideoCodec.parseList(codecs).stream()
                    .map(VideoCodec::lowerName).toList();
            if (!adaptive.equals("none")) {
                adaptive = VideoCodec.canonicalList(adaptive);
            }
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return 64;
        }
        ServiceTracker<ClientDisplays, ClientDisplays> tracker = new ServiceTracker<>(rt.context(),
                ClientDisplays.class, null);
        tracker.open();
        try {
            ClientDisplays displays = tracker.waitForService(20_000);
            if (displays == null) {
                rt.err().println("error: the display bundle (org.spice.display) is not running");
                return 1;
            }
            rt.out().printf(Locale.ROOT, "video bench: %d s of the test floppy's clip (%dx%d, a frame every %d ms)"
                    + " after %.0f s of settling, our client preferring each codec%n", seconds, VgaRamp.WIDTH,
                    VgaRamp.HEIGHT, VgaRamp.FRAME_NANOS / 1_000_000, SETTLE_NANOS / 1e9);
            rt.out().println("server codec streamed       kB/s  frames/s  PSNR dB  lag p50/max (frames)");
            for (String codec : list) {
                Run ours = ours(displays, codec, false, 0, null);
                rt.out().println(ours.row("ours"));
                if (floppy != null) {
                    Run qemu = qemu(displays, codec);
                    rt.out().println(qemu.row("qemu"));
                    rt.out().printf(Locale.ROOT, "ours/qemu %s: bytes %.2fx, PSNR %+.1f dB, frames %.2fx%n", codec,
                            ratio(ours.bytesPerSecond(), qemu.bytesPerSecond()), ours.psnr() - qemu.psnr(),
                            ratio(ours.framesPerSecond(), qemu.framesPerSecond()));
                }
            }
            if (!adaptive.equals("none")) {
                long link = linkKb * 1000L;
                rt.out().printf(Locale.ROOT, "adaptive (ours, %s, the clip with grain): a link of %d kB/s, halved to"
                        + " %d kB/s after second %d%n", adaptive, link / 1000, link / 2000, seconds / 2);
                rt.out().println("second  link kB/s   kB/s  frames  PSNR dB  lag (frames)");
                Run r = ours(displays, adaptive, true, link, s -> rt.out().println(s));
                rt.out().println(r.row("ours"));
            }
            return 0;
        } finally {
            tracker.close();
        }
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    /** Our server playing the clip, in this runtime. */
    private Run ours(ClientDisplays displays, String codec, boolean noisy, long link, Consumer<String> perSecond)
            throws Exception {
        Hashtable<String, Object> display = new Hashtable<>();
        display.put("source", "service:" + SOURCE);
        display.put("streaming.video", "all");
        display.put("video.codecs", codec);
        rt.configAdmin().getConfiguration(DisplaySettings.PID, "?").update(display);
        try (ClipSource clip = new ClipSource(movingFrames(seconds), noisy)) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(DisplaySource.NAME, SOURCE);
            props.put(org.osgi.framework.Constants.SERVICE_RANKING, 1000);
            ServiceRegistration<DisplaySource> reg = rt.context().registerService(DisplaySource.class, clip, props);
            try {
                SpiceServer server = BenchCommand.startServer(rt);
                if (server == null) {
                    throw new IOException("the SPICE server did not start; the log above says why");
                }
                InetSocketAddress address = server.plainAddress().orElseThrow();
                clip.start();
                return measure(displays, codec, new InetSocketAddress("127.0.0.1", address.getPort()), link,
                        perSecond, clip);
            } finally {
                reg.unregister();
                stopServer();
            }
        }
    }

    /** QEMU booting the floppy, with spice-server streaming everything that moves. */
    private Run qemu(ClientDisplays displays, String codec) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process qemu = new ProcessBuilder("qemu-system-x86_64", "-machine", "accel=tcg", "-m", "32", "-vga", "qxl",
                "-display", "none", "-nodefaults", "-no-user-config", "-drive", "if=floppy,format=raw,file="
                + floppy.toAbsolutePath(), "-boot", "order=a,menu=off,splash-time=0", "-spice", "port=" + port
                + ",addr=127.0.0.1,disable-ticketing=on,streaming-video=all").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try (Socket probe = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException notYet) {
                    if (!qemu.isAlive() || System.nanoTime() > end) {
                        throw new IOException("QEMU did not listen on port " + port + " (exit "
                                + (qemu.isAlive() ? "none" : qemu.exitValue()) + ")");
                    }
                    Thread.sleep(50);
                }
            }
            return measure(displays, codec, new InetSocketAddress("127.0.0.1", port), 0, null, null);
        } finally {
            qemu.destroy();
            if (!qemu.waitFor(5, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
            }
        }
    }

    /** Ends this run's server, so that the next starts with the display's new settings. */
    private void stopServer() throws Exception {
        rt.configAdmin().getConfiguration(ServerConfig.PID, "?").delete();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rt.context().getServiceReference(SpiceServer.class) != null) {
            if (System.nanoTime() > end) {
                throw new IOException("the SPICE server did not stop");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Our client through a relay to {@code server}, preferring {@code codec}: from the first video frame on, waits
     * {@link #SETTLE_NANOS}, then measures {@link #seconds}. With {@code link} > 0 the relay carries that many bytes a
     * second for the first half and half as many after it. {@code clip}: our server's clip, whose clock gives the lag.
     */
    private Run measure(ClientDisplays displays, String codec, InetSocketAddress server, long link,
            Consumer<String> perSecond, ClipSource clip) throws Exception {
        try (ShapedRelay relay = new ShapedRelay(server)) {
            ClientOptions options = ClientOptions.defaults().withConnectChannels(false)
                    .withPreferredVideoCodecs(codec);
            ClientSession s = rt.client().connect(new SpiceUri("127.0.0.1", relay.port(), -1, null), options)
                    .get(30, TimeUnit.SECONDS);
            try {
                ClientDisplay d = displays.linked(s, 0).get(30, TimeUnit.SECONDS);
                Meter meter = new Meter(d, clip);
                d.addChangeListener(meter);
                try (meter) {
                    long wait = TimeUnit.SECONDS.toNanos(30);
                    long t0 = System.nanoTime();
                    while (meter.firstVideo() == 0) {
                        if (System.nanoTime() - t0 > wait) {
                            throw new IOException(codec + ": no video frame within 30 s");
                        }
                        Thread.sleep(20);
                    }
                    Thread.sleep(Math.max(0, meter.firstVideo() + SETTLE_NANOS - System.nanoTime()) / 1_000_000);
                    if (link > 0) {
                        relay.limit(link);
                    }
                    Second total = new Second();
                    meter.take();
                    long bytes0 = relay.bytesDown();
                    long start = System.nanoTime();
                    for (int i = 1; i <= seconds; i++) {
                        meter.take();
                        long b0 = relay.bytesDown();
                        Thread.sleep(Math.max(0, start + i * 1_000_000_000L - System.nanoTime()) / 1_000_000);
                        Second sec = meter.take();
                        sec.bytes = relay.bytesDown() - b0;
                        total.add(sec);
                        if (perSecond != null) {
                            perSecond.accept(String.format(Locale.ROOT, "%6d %10d %6d %7d %8.1f %7d", i,
                                    (link > 0 && i > seconds / 2 ? link / 2 : link) / 1000, sec.bytes / 1000,
                                    sec.frames, VgaRamp.psnr(sec.error, sec.samples), sec.maxLag));
                        }
                        if (link > 0 && i == seconds / 2) {
                            relay.limit(link / 2);
                        }
                    }
                    total.bytes = relay.bytesDown() - bytes0;
                    return new Run(codec, String.join(",", d.streamCodecs().keySet()), total, seconds,
                            meter.lags());
                } finally {
                    d.removeChangeListener(meter);
                }
            } finally {
                ClientCommand.closeAndWait(s);
            }
        }
    }

    /** What one second (or a whole run) of video gave. */
    static final class Second {
        long bytes;
        long frames;
        long error;
        long samples;
        int maxLag;

        void add(Second s) {
            frames += s.frames;
            error += s.error;
            samples += s.samples;
            maxLag = Math.max(maxLag, s.maxLag);
        }
    }

    /**
     * Judges the video frames the display paints: the areas painted while a stream is live are gathered on the
     * display's thread (nothing else is done there), and every {@value #SAMPLE_MS} ms the picture is copied once and
     * each area judged: the clip frame it is closest to, its squared error, and (against our server's clip clock) how
     * many frames behind the clip it is. Frames per second count the distinct clip frames seen.
     */
    static final class Meter implements Consumer<Rect>, AutoCloseable {
        static final long SAMPLE_MS = 30;
        private final ClientDisplay display;
        private final ClipSource clip;
        private final java.util.concurrent.ScheduledExecutorService sampler =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final java.util.Set<Rect> painted = new java.util.LinkedHashSet<>();
        private final java.util.Set<Integer> seen = new java.util.HashSet<>();
        private volatile long firstVideo;
        private Second now = new Second();
        private final List<Integer> lags = new ArrayList<>();

        Meter(ClientDisplay display, ClipSource clip) {
            this.display = display;
            this.clip = clip;
            sampler.scheduleWithFixedDelay(this::sample, SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
        }

        long firstVideo() {
            return firstVideo;
        }

        @Override
        public void accept(Rect r) {
            if (display.liveStreamCodecs().isEmpty()) {
                return;
            }
            synchronized (painted) {
                painted.add(r);
            }
        }

        private void sample() {
            List<Rect> areas;
            synchronized (painted) {
                if (painted.isEmpty()) {
                    return;
                }
                areas = List.copyOf(painted);
                painted.clear();
            }
            Frame f = display.primary();
            if (f == null || f.width() != VgaRamp.WIDTH || f.height() != VgaRamp.HEIGHT) {
                return;
            }
            if (firstVideo == 0) {
                firstVideo = System.nanoTime();
            }
            int due = clip == null ? -1 : clip.frameAt(clip.elapsed());
            for (Rect r : areas) {
                Rect a = r.intersect(new Rect(0, 0, f.width(), f.height()));
                if (a.isEmpty()) {
                    continue;
                }
                boolean noisy = clip != null && clip.noisy();
                int t = VgaRamp.frameOf(f.rgb(), a.x(), a.y(), a.width(), a.height(), noisy);
                long e = VgaRamp.squaredError(f.rgb(), a.x(), a.y(), a.width(), a.height(), t, noisy);
                synchronized (this) {
                    if (seen.add(t)) {
                        now.frames++;
                    }
                    now.error += e;
                    now.samples += 3L * a.width() * a.height();
                    if (due >= 0) {
                        int lag = Math.floorMod(due - t, VgaRamp.PERIOD);
                        now.maxLag = Math.max(now.maxLag, lag);
                        lags.add(lag);
                    }
                }
            }
        }

        /** The second so far; a new one starts. */
        synchronized Second take() {
            Second s = now;
            now = new Second();
            seen.clear();
            return s;
        }

        synchronized int[] lags() {
            return lags.stream().mapToInt(Integer::intValue).sorted().toArray();
        }

        @Override
        public void close() {
            sampler.shutdownNow();
        }
    }

    /** One codec's run. */
    record Run(String codec, String streamed, Second total, int seconds, int[] lags) {
        double bytesPerSecond() {
            return (double) total.bytes / seconds;
        }

        double framesPerSecond() {
            return (double) total.frames / seconds;
        }

        double psnr() {
            return VgaRamp.psnr(total.error, total.samples);
        }

        String row(String server) {
            String lag = lags.length == 0 ? "-" : lags[lags.length / 2] + "/" + lags[lags.length - 1];
            return String.format(Locale.ROOT, "%-6s %-5s %-9s %9.1f %9.1f %8.2f  %s", server, codec,
                    streamed.isEmpty() ? "-" : streamed, bytesPerSecond() / 1000, framesPerSecond(), psnr(), lag);
        }
    }
}
