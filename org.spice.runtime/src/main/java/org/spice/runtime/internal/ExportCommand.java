package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecProvider;
import org.spice.display.video.VideoEncoder;
import org.spice.desktop.Frame;
import org.spice.recording.RecordingEvent;
import org.spice.recording.RecordingFormatException;
import org.spice.recording.RecordingReader;
import org.spice.recording.RecordingState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice export FILE OUT}: renders a recording as PNG pictures in a directory, one for each moment the picture
 * changed (changes closer together than a frame at {@code --fps} are taken together), named by their time, so
 * {@code frame-00012345.png} is the picture from 12.345 s on; or, for {@code OUT.webm}, as a VP8 video with the same
 * pictures at the same times, encoded by the video codec bundle.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Render a recording of the gateway (--record) as PNG pictures, one per change, named by"
                + " their time in milliseconds, or as a VP8 video (OUT.webm).")
final class ExportCommand implements Callable<Integer> {
    private final Runtime rt;

    @Parameters(index = "0", paramLabel = "FILE", description = "A recording (.spicerec).")
    Path file;

    @Parameters(index = "1", paramLabel = "OUT", description = "A directory for the PNG pictures (made if missing), or OUT.webm.")
    Path out;

    @Option(names = "--fps", description = "Changes within one frame at this rate make one picture, 1..120"
            + " (default ${DEFAULT-VALUE}).")
    int fps = 25;

    ExportCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean webm = name.endsWith(".webm");
        if (name.endsWith(".mp4")) {
            rt.err().println("error: MP4 files are not written yet; give OUT.webm (VP8) or a directory for PNG"
                    + " pictures");
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
        if (!webm && Files.exists(out) && !Files.isDirectory(out)) {
            rt.err().println("error: " + out + " is not a directory");
            return SpiceCli.EXIT_USAGE;
        }
        RecordingScan scan;
        try {
            scan = RecordingScan.of(file);
        } catch (RecordingFormatException e) {
            rt.err().println("error: " + file + ": " + e.getMessage());
            return ReplayCommand.EXIT_DATA;
        }
        if (scan.updates() == 0) {
            rt.err().println("error: " + file + " holds no picture");
            return ReplayCommand.EXIT_DATA;
        }
        Pictures pictures;
        if (webm) {
            VideoEncoder encoder = vp8Encoder(scan.width(), scan.height());
            if (encoder == null) {
                return 1;
            }
            pictures = new Webm(encoder, new WebmWriter(new java.io.BufferedOutputStream(Files.newOutputStream(out)),
                    "V_VP8", scan.width(), scan.height()), scan.width(), scan.height());
        } else {
            Files.createDirectories(out);
            pictures = new Pngs();
        }
        long frameMs = Math.max(1, 1000 / fps);
        RecordingState state = new RecordingState();
        int written = 0;
        long pendingAt = -1;
        try (pictures; RecordingReader r = RecordingScan.open(file)) {
            RecordingEvent e;
            while ((e = r.next()) != null) {
                if (pendingAt >= 0 && e.millis() - pendingAt >= frameMs) {
                    pictures.picture(state.frame(), pendingAt);
                    written++;
                    pendingAt = -1;
                }
                if (state.apply(e) != null && pendingAt < 0) {
                    pendingAt = e.millis();
                }
            }
            if (pendingAt >= 0) {
                pictures.picture(state.frame(), pendingAt);
                written++;
            }
            pictures.end(state.frame(), scan.duration());
        }
        rt.out().println("export: " + written + " pictures" + (webm ? " as VP8 video" : "") + " in " + out + " ("
                + scan.duration() + " ms)");
        return 0;
    }

    /** Where the pictures go, each shown from its time on. */
    private interface Pictures extends AutoCloseable {
        void picture(Frame f, long millis) throws IOException;

        /** The recording ends at {@code millis} showing {@code f}. */
        default void end(Frame f, long millis) throws IOException {
        }

        @Override
        void close() throws IOException;
    }

    private final class Pngs implements Pictures {
        @Override
        public void picture(Frame f, long millis) throws IOException {
            ScreenshotCommand.write(f, out.resolve(String.format("frame-%08d.png", millis)));
        }

        @Override
        public void close() {
        }
    }

    /**
     * VP8 frames in a WebM file, each at its picture's time; the video has the first surface's size (a later surface
     * of another size is shown from its top-left corner, cut or padded with black). The last picture is repeated at
     * the recording's end so that the video lasts as long.
     */
    private static final class Webm implements Pictures {
        private final VideoEncoder encoder;
        private final WebmWriter writer;
        private final int width;
        private final int height;
        private long last = -1;

        Webm(VideoEncoder encoder, WebmWriter writer, int width, int height) {
            this.encoder = encoder;
            this.writer = writer;
            this.width = width;
            this.height = height;
        }

        @Override
        public void picture(Frame f, long millis) throws IOException {
            int[] argb = f.rgb();
            if (f.width() != width || f.height() != height) {
                argb = new int[width * height];
                for (int y = 0; y < Math.min(height, f.height()); y++) {
                    System.arraycopy(f.rgb(), y * f.width(), argb, y * width, Math.min(width, f.width()));
                }
            }
            byte[] data = encoder.encode(argb, 0, width);
            if (data.length > 0) {
                // A VP8 frame tag's lowest bit is 0 for a key frame (RFC 6386, 9.1).
                writer.frame(millis, data, (data[0] & 1) == 0);
                last = millis;
            }
        }

        @Override
        public void end(Frame f, long millis) throws IOException {
            if (millis > last) {
                picture(f, millis);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                writer.close();
            } finally {
                encoder.close();
            }
        }
    }

    /** A VP8 encoder of the video codec bundle (org.spice.video), or null after saying why there is none. */
    private VideoEncoder vp8Encoder(int width, int height) {
        ServiceTracker<VideoCodecProvider, VideoCodecProvider> t = new ServiceTracker<>(rt.context(),
                VideoCodecProvider.class, null);
        t.open();
        try {
            VideoCodecProvider p = t.waitForService(TimeUnit.SECONDS.toMillis(10));
            for (Object o : t.getServices() == null ? new Object[0] : t.getServices()) {
                VideoCodecProvider c = (VideoCodecProvider) o;
                if (c.encodes().contains(VideoCodec.VP8)) {
                    p = c;
                }
            }
            if (p == null || !p.encodes().contains(VideoCodec.VP8)) {
                rt.err().println("error: video files need the video codec bundle (org.spice.video, FFmpeg) with a"
                        + " VP8 encoder, which is not here (the log says why); give a directory for PNG pictures");
                return null;
            }
            // Lossless pictures are the goal, not a bandwidth: a generous rate keeps text sharp.
            return p.encoder(VideoCodec.VP8, width, height, fps, Math.max(2_000_000L, (long) width * height * 8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            t.close();
        }
    }
}
