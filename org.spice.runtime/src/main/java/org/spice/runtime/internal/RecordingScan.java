package org.spice.runtime.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spice.recording.Header;
import org.spice.recording.RecordingEvent;
import org.spice.recording.RecordingFormatException;
import org.spice.recording.RecordingReader;

/**
 * A recording read through once before it is served or exported, so that a truncated or corrupt file is refused
 * with its offset before anything is shown: every record decoded, and what the commands print about it.
 *
 * @param firstUpdate milliseconds of the first surface or region record, -1 for none
 * @param lastUpdate milliseconds of the last one
 * @param duration milliseconds of the last record
 * @param ended whether the recording has its end record (else it was cut off where a record ends)
 */
record RecordingScan(Header header, int updates, long firstUpdate, long lastUpdate, long duration, int width,
        int height, boolean ended) {

    static RecordingReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new RecordingReader(in, Files.size(file));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    static RecordingScan of(Path file) throws IOException {
        try (RecordingReader r = open(file)) {
            int updates = 0;
            long first = -1;
            long last = -1;
            long duration = 0;
            int width = 0;
            int height = 0;
            RecordingEvent e;
            while ((e = r.next()) != null) {
                duration = e.millis();
                if (e instanceof RecordingEvent.Surface s) {
                    width = s.width();
                    height = s.height();
                }
                if (e instanceof RecordingEvent.Surface || e instanceof RecordingEvent.Region) {
                    updates++;
                    first = first < 0 ? e.millis() : first;
                    last = e.millis();
                }
            }
            return new RecordingScan(r.header(), updates, first, last, duration, width, height, r.ended());
        }
    }

    /**
     * The recording in {@code file} read through (replay, export), or null after printing why it cannot be shown:
     * not a recording, truncated or corrupt, or no picture in it; the command then exits with
     * {@link ReplayCommand#EXIT_DATA}.
     */
    static RecordingScan withPictures(Runtime rt, Path file) throws IOException {
        RecordingScan scan;
        try {
            scan = of(file);
        } catch (RecordingFormatException e) {
            rt.err().println("error: " + file + ": " + e.getMessage());
            return null;
        }
        if (scan.updates() == 0) {
            rt.err().println("error: " + file + " holds no picture");
            return null;
        }
        return scan;
    }
}
