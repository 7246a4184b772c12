package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.audio.AudioModes;
import org.spice.audio.Pcm;
import org.spice.audio.Wav;
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
 * {@code --audio-out F.wav}, sends {@code --mic F.wav} (or silence) when the server records, and reports what
 * went each way.
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = "Connect, play the server's sound (device or --audio-out WAV), send --mic WAV or silence"
                + " when it records, and report both.")
final class ListenCommand implements Callable<Integer> {
    private final Runtime rt;
    @Mixin
    SpiceCli.ClientAuth auth = new SpiceCli.ClientAuth();

    @Option(names = "--audio-out", paramLabel = "F.wav", description = "Write the playback to this WAV file"
            + " instead of the audio device.")
    Path audioOut;

    @Option(names = "--mic", paramLabel = "F.wav", description = "Send this WAV file (once) when the server"
            + " starts recording; silence without it.")
    Path mic;

    @Option(names = "--seconds", description = "Listen this long, then disconnect; 0 (default) until the server"
            + " disconnects.")
    int seconds;

    @Option(names = "--no-opus", description = "Announce no Opus: the server then sends and takes raw PCM.")
    boolean noOpus;

    @Parameters(paramLabel = "URI")
    String uri;

    ListenCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        SpiceUri u;
        try {
            u = SpiceUri.parse(uri);
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return SpiceCli.EXIT_USAGE;
        }
        if (mic != null && !Files.isReadable(mic)) {
            rt.err().println("error: --mic " + mic + ": no such readable file");
            return SpiceCli.EXIT_USAGE;
        }
        if (seconds < 0) {
            rt.err().println("error: --seconds must not be negative");
            return SpiceCli.EXIT_USAGE;
        }
        String out = audioOut == null ? "" : audioOut.toAbsolutePath().toString();
        String in = mic == null ? "" : mic.toAbsolutePath().toString();
        configure("org.spice.playback.client", "audio.out", out);
        configure("org.spice.record.client", "mic", in);
        ClientPlaybacks playbacks = await(ClientPlaybacks.class, "audio.out", out);
        ClientRecords records = await(ClientRecords.class, "mic", in);
        if (playbacks == null || records == null) {
            rt.err().println("error: the playback and record bundles did not take the configuration");
            return 1;
        }
        ClientSession session;
        try {
            session = rt.client().connect(u, auth.options(rt, u)).get();
        } catch (ExecutionException e) {
            return SpiceCli.ProbeCommand.failure(rt, e.getCause());
        }
        ClientPlayback playback = null;
        ClientRecord record = null;
        try {
            rt.out().println("connected to " + u + (seconds > 0 ? "; listening " + seconds + " s" : "; listening"
                    + " until the server disconnects"));
            long end = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
            while (System.nanoTime() < end && !session.closed().isDone()) {
                playback = or(playbacks.playback(session), playback);
                record = or(records.record(session), record);
                Thread.sleep(100);
            }
            playback = or(playbacks.playback(session), playback);
            record = or(records.record(session), record);
        } finally {
            session.close();
        }
        for (int i = 0; i < 50 && playbacks.playback(session) != null; i++) {
            Thread.sleep(20); // the WAV file is complete once the channel has closed
        }
        boolean offered = session.main() != null && session.main().channels().stream()
                .anyMatch(c -> c.type() == ChannelType.PLAYBACK || c.type() == ChannelType.RECORD);
        report(playback, record);
        if (playback == null && record == null) {
            rt.err().println("error: " + (offered ? "the playback and record channels did not link"
                    : "the server offers neither playback nor record"));
            return SpiceCli.EXIT_CONNECT;
        }
        return 0;
    }

    private static <T> T or(T now, T before) {
        return now != null ? now : before;
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

    /** The service once its properties show the configuration just written (DS applies it asynchronously). */
    private <S> S await(Class<S> type, String key, String value) throws InterruptedException {
        ServiceTracker<S, S> t = new ServiceTracker<>(rt.context(), type, null);
        t.open();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                ServiceReference<S> ref = t.getServiceReference();
                if (ref != null && value.equals(ref.getProperty(key))
                        && Boolean.valueOf(!noOpus).equals(ref.getProperty("opus"))) {
                    return t.getService(ref);
                }
                Thread.sleep(20);
            }
            return null;
        } finally {
            t.close();
        }
    }
}
