package org.spice.runtime.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spice.desktop.Frame;
import org.spice.recording.RecordingEvent;
import org.spice.recording.RecordingFormatException;
import org.spice.recording.RecordingReader;
import org.spice.recording.RecordingState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice export FILE OUTDIR}: renders a recording as PNG pictures, one for each moment the picture changed
 * (changes closer together than a frame at {@code --fps} are taken together), named by their time, so
 * {@code frame-00012345.png} is the picture from 12.345 s on.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Render a recording of the gateway (--record) as PNG pictures, one per change, named by"
                + " their time in milliseconds.")
final class ExportCommand implements Callable<Integer> {
    private final Runtime rt;

    @Parameters(index = "0", paramLabel = "FILE", description = "A recording (.spicerec).")
    Path file;

    @Parameters(index = "1", paramLabel = "OUT", description = "A directory for the PNG pictures (made if missing).")
    Path out;

    @Option(names = "--fps", description = "Changes within one frame at this rate make one picture, 1..120"
            + " (default ${DEFAULT-VALUE}).")
    int fps = 25;

    ExportCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase();
        if (name.endsWith(".mp4") || name.endsWith(".webm")) {
            rt.err().println("error: video files are not written yet (the video bundle carries no muxer); give a"
                    + " directory for PNG pictures");
            return SpiceCli.EXIT_USAGE;
        }
        if (fps < 1 || fps > 120) {
            rt.err().println("error: --fps must be 1..120, not " + fps);
            return SpiceCli.EXIT_USAGE;
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            rt.err().println("error: cannot read " + file);
            return SpiceCli.EXIT_USAGE;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            rt.err().println("error: " + out + " is not a directory");
            return SpiceCli.EXIT_USAGE;
        }
        try {
            RecordingScan.of(file);
        } catch (RecordingFormatException e) {
            rt.err().println("error: " + file + ": " + e.getMessage());
            return ReplayCommand.EXIT_DATA;
        }
        Files.createDirectories(out);
        long frameMs = Math.max(1, 1000 / fps);
        RecordingState state = new RecordingState();
        int written = 0;
        long pendingAt = -1;
        try (RecordingReader r = RecordingScan.open(file)) {
            RecordingEvent e;
            while ((e = r.next()) != null) {
                if (pendingAt >= 0 && e.millis() - pendingAt >= frameMs) {
                    write(state.frame(), pendingAt);
                    written++;
                    pendingAt = -1;
                }
                if (state.apply(e) != null && pendingAt < 0) {
                    pendingAt = e.millis();
                }
            }
        }
        if (pendingAt >= 0) {
            write(state.frame(), pendingAt);
            written++;
        }
        rt.out().println("export: " + written + " pictures in " + out);
        return 0;
    }

    private void write(Frame f, long millis) throws java.io.IOException {
        ScreenshotCommand.write(f, out.resolve(String.format("frame-%08d.png", millis)));
    }
}
