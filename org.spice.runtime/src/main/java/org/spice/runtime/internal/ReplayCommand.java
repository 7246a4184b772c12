package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.ExitCodes;
import org.spice.cli.LocalServer;
import org.spice.cli.OptionChecks;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.api.DisplaySettings;
import org.spice.protocol.server.ServerConfig;
import org.spice.protocol.server.SpiceServer;
import org.spice.recording.RecordingEvent;
import org.spice.recording.RecordingFormatException;
import org.spice.recording.RecordingReader;
import org.spice.recording.RecordingState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice replay FILE}: serves a recording the gateway wrote to any SPICE client. This runtime's server shows
 * the recording as a display source ({@code source=service:replay}), played with its recorded timing scaled by
 * {@code --speed}; every viewer gets the picture as far as it has been played, encoded for its own capabilities, so
 * one that joins late starts from the current picture. After the end the last picture stays until stopped.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Serve a recording of the gateway (--record) to SPICE clients, with its recorded timing.")
final class ReplayCommand implements java.util.concurrent.Callable<Integer> {
    static final String NAME = "replay";
    /** The recording holds picture and pointer only: the runtime's own sound, devices and agent are not offered. */
    static final List<String> NOT_REPLAYED = List.of("org.spice.playback", "org.spice.record", "org.spice.tunnel",
            "org.spice.usbredir", "org.spice.smartcard", "org.spice.agent");
    /** sysexits' EX_DATAERR: the recording is not one, or truncated or corrupt. */
    static final int EXIT_DATA = 65;

    private final Runtime rt;

    @Parameters(index = "0", paramLabel = "FILE", description = "A recording (.spicerec).")
    Path file;

    @Option(names = "--listen", description = "Where clients connect, host:port (default ${DEFAULT-VALUE}).")
    String listen = "127.0.0.1:5930";

    @Option(names = "--speed", description = "How much faster than recorded to play, 0.01..100 (default"
            + " ${DEFAULT-VALUE}).")
    double speed = 1.0;

    @Option(names = "--password-file", paramLabel = "F", description = "File with the viewers' password (or set"
            + " SPICE_PASSWORD).")
    Path passwordFile;

    ReplayCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        try {
            if (!(speed >= 0.01 && speed <= 100)) {
                throw new IllegalArgumentException("--speed must be 0.01..100, not " + speed);
            }
            OptionChecks.readableFile(file);
            OptionChecks.readableFile(passwordFile);
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Path deployed = LocalServer.deployedConfig(rt, ServerConfig.PID, DisplaySettings.PID);
        if (deployed != null) {
            rt.err().println("error: " + deployed + " configures the server this command sets up; move it away");
            return ExitCodes.USAGE;
        }
        RecordingScan scan = RecordingScan.withPictures(rt, file);
        if (scan == null) {
            return EXIT_DATA;
        }
        rt.out().println("replay: " + file.getFileName() + ": " + scan.header().description() + " recorded "
                + Instant.ofEpochMilli(scan.header().startMillis()) + ", " + scan.duration() + " ms, "
                + scan.updates() + " display updates" + (scan.ended() ? "" : " (cut off: no end record)"));
        LocalServer.stopBundles(rt, NOT_REPLAYED, "replay: not in a recording, so not offered to viewers: ");

        ReplaySource source = new ReplaySource(new Frame(scan.width(), scan.height(),
                new int[scan.width() * scan.height()], 0));
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(DisplaySource.NAME, NAME);
        ServiceRegistration<DisplaySource> registration = rt.context().registerService(DisplaySource.class, source,
                props);
        ServiceTracker<SpiceServer, SpiceServer> servers = new ServiceTracker<>(rt.context(), SpiceServer.class, null);
        servers.open();
        try {
            Hashtable<String, Object> display = new Hashtable<>();
            display.put("source", "service:" + NAME);
            rt.configAdmin().getConfiguration(DisplaySettings.PID, "?").update(display);
            Hashtable<String, Object> server = new Hashtable<>();
            server.put("listen", listen);
            server.put("password.file", passwordFile == null ? "" : passwordFile.toAbsolutePath().toString());
            server.put("name", "SPICE replay of " + file.getFileName());
            Configuration c = rt.configAdmin().getConfiguration(ServerConfig.PID, "?");
            c.update(server);
            SpiceServer s = servers.waitForService(TimeUnit.SECONDS.toMillis(20));
            if (s == null) {
                rt.err().println("error: the SPICE server did not start; the log above says why");
                return 1;
            }
            LocalServer.announce(rt, s);
            try {
                play(source, scan);
            } catch (RecordingFormatException e) {
                rt.err().println("error: " + file + ": " + e.getMessage() + " (the file changed while playing)");
                return EXIT_DATA;
            }
            rt.awaitStop();
            return 0;
        } finally {
            servers.close();
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the runtime is stopping
            }
        }
    }

    /** Plays the recording once with its timing scaled by the speed, then prints when the updates were shown. */
    private void play(ReplaySource source, RecordingScan scan) throws IOException, InterruptedException {
        RecordingState state = new RecordingState();
        long start = System.nanoTime();
        long first = -1;
        long last = -1;
        int shown = 0;
        try (RecordingReader r = RecordingScan.open(file)) {
            RecordingEvent e;
            while ((e = r.next()) != null) {
                long due = start + (long) (TimeUnit.MILLISECONDS.toNanos(e.millis()) / speed);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                Rect changed = state.apply(e);
                if (changed != null) {
                    source.show(state.frame(), changed);
                    long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    first = first < 0 ? at : first;
                    last = at;
                    shown++;
                } else {
                    source.showPointer(state.pointer());
                }
            }
        }
        rt.out().println("replay: played " + shown + " display updates from +" + first + " ms to +" + last
                + " ms (recorded +" + scan.firstUpdate() + " ms to +" + scan.lastUpdate() + " ms, speed " + speed
                + "); the last picture stays until stopped");
    }
}
