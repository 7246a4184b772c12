package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.spice.audio.AudioModes;
import org.spice.audio.Pcm;
import org.spice.audio.Wav;
import org.spice.cli.ClientAuth;
import org.spice.cli.CommandContext;
import org.spice.cli.CommandProvider;
import org.spice.cli.ConfiguredService;
import org.spice.cli.ExitCodes;
import org.spice.playback.api.ClientPlayback;
import org.spice.playback.api.ClientPlaybacks;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import org.spice.record.api.ClientRecord;
import org.spice.record.api.ClientRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice listen URI}: a headless audio client. Plays the server's sound to the default device or to
 * {@code --audio-out F.wav}, sends {@code --mic F.wav} (without it nothing) when the server records, and reports what
 * went each way.
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = "Connect, play the server's sound (device or --audio-out WAV), send --mic WAV"
                + " when it records, and report both.")
public final class ListenCommand implements Callable<Integer> {
    private final CommandContext rt;
    @Mixin
    ClientAuth auth = new ClientAuth();

    @Option(names = "--audio-out", paramLabel = "F.wav", description = "Write the playback to this WAV file"
            + " instead of the audio device.")
    Path audioOut;

    @Option(names = "--mic", paramLabel = "F.wav", description = "Send this WAV file (once) when the server"
            + " starts recording; without it nothing is sent.")
    Path mic;

    @Option(names = "--seconds", description = "Listen this long, then disconnect; 0 (default) until killed. A"
            + " session the server or the network ends before then is an error (exit 3).")
    int seconds;

    @Option(names = "--no-opus", description = "Announce no Opus: the server then sends and takes raw PCM.")
    boolean noOpus;

    @Option(names = "--until-eof", description = "Also end when standard input ends (a script closes it once the"
            + " event lines told it what it waited for).")
    boolean untilEof;

    @Parameters(paramLabel = "URI")
    String uri;

    ListenCommand(CommandContext rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        SpiceUri u;
        try {
            u = SpiceUri.parse(uri);
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (mic != null && !Files.isReadable(mic)) {
            rt.err().println("error: --mic " + mic + ": no such readable file");
            return ExitCodes.USAGE;
        }
        if (seconds < 0) {
            rt.err().println("error: --seconds must not be negative");
            return ExitCodes.USAGE;
        }
        String out = audioOut == null ? "" : audioOut.toAbsolutePath().toString();
        String in = mic == null ? "" : mic.toAbsolutePath().toString();
        configure(ClientPlaybacks.CONFIGURATION_PID, "audio.out", out);
        configure(ClientRecords.CONFIGURATION_PID, "mic", in);
        ClientPlaybacks playbacks = ConfiguredService.await(rt.context(), ClientPlaybacks.class,
                Map.of("audio.out", out, "opus", !noOpus));
        ClientRecords records = ConfiguredService.await(rt.context(), ClientRecords.class,
                Map.of("mic", in, "opus", !noOpus));
        if (playbacks == null || records == null) {
            rt.err().println("error: the playback and record bundles did not take the configuration within a minute");
            return 1;
        }
        ClientSession session;
        try {
            session = rt.client().connect(u, auth.options(rt, u)).get();
        } catch (ExecutionException e) {
            return ExitCodes.failure(rt, e.getCause());
        }
        CompletableFuture<ClientPlayback> playbackLinked = playbacks.linked(session);
        CompletableFuture<ClientRecord> recordLinked = records.linked(session);
        try {
            rt.out().println("connected to " + u + (seconds > 0 ? "; listening " + seconds + " s" : "; listening"
                    + " until killed or the server ends the session"));
            // Each channel links after main: say when, so that a user (or a test) knows sound can flow now.
            playbackLinked.thenRun(() -> rt.out().println("playback: linked"));
            recordLinked.thenRun(() -> rt.out().println("record: linked"));
            CompletableFuture<Void> ended = session.closed().handle((v, e) -> null);
            if (untilEof) {
                ended = CompletableFuture.anyOf(ended, stdinEnds()).thenApply(x -> null);
            }
            ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "listen-events");
                t.setDaemon(true);
                return t;
            });
            events.scheduleWithFixedDelay(new EventLines(playbackLinked, recordLinked), 100, 100,
                    TimeUnit.MILLISECONDS);
            try {
                if (seconds > 0) {
                    ended.get(seconds, TimeUnit.SECONDS);
                } else {
                    ended.get();
                }
            } catch (TimeoutException e) {
                // listened for as long as asked
            } finally {
                events.shutdownNow();
            }
        } finally {
            session.close();
        }
        ClientPlayback playback = linkedOrNull(playbackLinked);
        ClientRecord record = linkedOrNull(recordLinked);
        if (playback != null) {
            try {
                playback.closed().get(1, TimeUnit.SECONDS); // the WAV file is complete once the channel has closed
            } catch (TimeoutException e) {
                rt.err().println("warning: the playback channel did not close within 1 s");
            }
        }
        boolean offered = session.main() != null && session.main().channels().stream()
                .anyMatch(c -> c.type() == ChannelType.PLAYBACK || c.type() == ChannelType.RECORD);
        report(playback, record);
        if (session.lost().isPresent()) {
            // a killed or stopped server, a lost network: what came so far is written, but the run failed
            rt.err().println("error: session lost: " + session.lost().get());
            return ExitCodes.CONNECT;
        }
        if (playback == null && record == null) {
            rt.err().println("error: " + (offered ? "the playback and record channels did not link"
                    : "the server offers neither playback nor record"));
            return ExitCodes.CONNECT;
        }
        return 0;
    }

    /** Completes when standard input ends (or cannot be read). */
    private static CompletableFuture<Void> stdinEnds() {
        CompletableFuture<Void> eof = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            byte[] skipped = new byte[512];
            try {
                while (System.in.read(skipped) >= 0) {
                    // what comes before the end is not read as anything
                }
            } catch (IOException e) {
                // unreadable is as good as ended
            }
            eof.complete(null);
        }, "listen-stdin");
        reader.setDaemon(true);
        reader.start();
        return eof;
    }

    /**
     * Prints a line as each sound channel starts, stops, or changes volume or mute ({@code event: playback started
     * 1}, {@code event: playback volume 32639 32639}, {@code event: playback mute on}, {@code event: record stopped
     * 1}): what a script waits for before it ends the session with {@code --until-eof}. Polled, so a change and its
     * reversal within a poll may be missed; start and stop counts are not.
     */
    private final class EventLines implements Runnable {
        private final CompletableFuture<ClientPlayback> playback;
        private final CompletableFuture<ClientRecord> record;
        private int playStarts;
        private int playStops;
        private int[] volume = new int[0];
        private boolean muted;
        private int recordStarts;
        private int recordStops;

        EventLines(CompletableFuture<ClientPlayback> playback, CompletableFuture<ClientRecord> record) {
            this.playback = playback;
            this.record = record;
        }

        @Override
        public void run() {
            ClientPlayback p = linkedOrNull(playback);
            if (p != null) {
                playStarts = count("playback started", playStarts, p.starts());
                playStops = count("playback stopped", playStops, p.stops());
                int[] v = p.volume();
                if (!Arrays.equals(volume, v)) {
                    rt.out().println("event: playback volume " + Arrays.stream(v).mapToObj(Integer::toString)
                            .collect(Collectors.joining(" ")));
                }
                volume = v;
                if (p.muted() != muted) {
                    muted = p.muted();
                    rt.out().println("event: playback mute " + (muted ? "on" : "off"));
                }
            }
            ClientRecord r = linkedOrNull(record);
            if (r != null) {
                recordStarts = count("record started", recordStarts, r.starts());
                recordStops = count("record stopped", recordStops, r.stops());
            }
            rt.out().flush();
        }

        private int count(String what, int before, int now) {
            for (int i = before + 1; i <= now; i++) {
                rt.out().println("event: " + what + " " + i);
            }
            return now;
        }
    }

    /** The channel a linked future holds, or null when it is not linked (yet) or failed to link. */
    private static <T> T linkedOrNull(CompletableFuture<T> linked) {
        return linked.isDone() && !linked.isCompletedExceptionally() ? linked.join() : null;
    }

    private void report(ClientPlayback p, ClientRecord r) {
        if (p == null) {
            rt.out().println("playback: not linked");
        } else {
            rt.out().println("playback: mode " + AudioModes.name(p.mode()) + ", " + (p.rate() == 0 ? "never started"
                    : p.channels() + " channels at " + p.rate() + " Hz") + ", " + p.packets() + " packets, "
                    + String.format("%.2f", p.frames() / (double) Math.max(1, p.rate())) + " s"
                    + (p.playing() ? ", playing" : "") + "; started " + p.starts() + "x, stopped " + p.stops()
                    + "x; volume " + Arrays.toString(p.volume())
                    + (p.muted() ? " muted" : "") + ", latency " + (p.latencyMs() < 0 ? "none" : p.latencyMs()
                    + " ms") + ", to " + p.output());
            if (p.wavFile() != null && p.frames() > 0) {
                try {
                    Pcm pcm = Wav.read(p.wavFile());
                    double rms = pcm.rms();
                    rt.out().println("playback: wrote " + p.wavFile() + ": " + String.format("%.2f s, %.1f Hz,"
                            + " %.1f dBFS rms", pcm.seconds(), pcm.zeroCrossingHz(0),
                            rms > 0 ? 20 * Math.log10(rms) : Double.NEGATIVE_INFINITY));
                } catch (IOException e) {
                    rt.err().println("warning: " + p.wavFile() + ": " + e.getMessage());
                }
            }
        }
        if (r == null) {
            rt.out().println("record: not linked");
        } else {
            rt.out().println("record: mode " + AudioModes.name(r.mode()) + ", " + (r.rate() == 0
                    ? "the server did not start recording" : r.channels() + " channels at " + r.rate() + " Hz")
                    + ", " + r.packets() + " packets, " + String.format("%.2f", r.frames()
                    / (double) Math.max(1, r.rate())) + " s sent from " + r.source() + (r.sourceEnded() ? " (to its end)" : "")
                    + "; started " + r.starts() + "x, stopped " + r.stops() + "x");
        }
        rt.out().flush();
    }

    private void configure(String pid, String key, String value) throws IOException {
        Dictionary<String, Object> d = new Hashtable<>();
        d.put(key, value);
        d.put("opus", !noOpus);
        rt.configAdmin().getConfiguration(pid, "?").update(d);
    }

    /**
     * Contributes {@code spice listen} while the playback and the record bundles both run. The command plays and
     * records, and one sound channel's bundle may not import the other's API, so the runtime holds it (importing
     * both APIs dynamically); its two references make the command go with either bundle.
     */
    @Component(reference = {
        @Reference(name = "playbacks", service = ClientPlaybacks.class),
        @Reference(name = "records", service = ClientRecords.class)
    })
    public static final class Provider implements CommandProvider {
        @Override
        public String name() {
            return "listen";
        }

        @Override
        public Object command(CommandContext context) {
            return new ListenCommand(context);
        }
    }
}
