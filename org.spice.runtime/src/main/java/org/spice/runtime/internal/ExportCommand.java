package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.ExitCodes;
import org.spice.cli.OptionChecks;
import org.spice.desktop.Frame;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecProvider;
import org.spice.display.video.VideoEncoder;
import org.spice.recording.RecordingEvent;
import org.spice.recording.RecordingReader;
import org.spice.recording.RecordingState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice export FILE OUT}: renders a recording as PNG pictures in a directory, one for each moment the picture
 * changed (changes closer together than a frame at {@code --fps} are taken together), named by their time, so
 * {@code frame-00012345.png} is the picture from 12.345 s on; or, for {@code OUT.webm} and {@code OUT.mp4}, as a
 * VP8 or H.264 video with the same pictures at the same times, encoded by the video codec bundle.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Render a recording of the gateway (--record) as PNG pictures, one per change, named by"
                + " their time in milliseconds, or as a video: OUT.webm (VP8) or OUT.mp4 (H.264).")
final class ExportCommand implements Callable<Integer> {
    private final Runtime rt;

    @Parameters(index = "0", paramLabel = "FILE", description = "A recording (.spicerec).")
    Path file;

    @Parameters(index = "1", paramLabel = "OUT", description = "A directory for the PNG pictures (made if missing), OUT.webm or OUT.mp4.")
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
        boolean mp4 = name.endsWith(".mp4");
        try {
            OptionChecks.range("--fps", fps, 1, 120);
            OptionChecks.readableFile(file);
            if (!webm && !mp4) {
                OptionChecks.directoryOrAbsent(out, out.toString());
            }
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        RecordingScan scan = RecordingScan.withPictures(rt, file);
        if (scan == null) {
            return ReplayCommand.EXIT_DATA;
        }
        Pictures pictures;
        if (webm || mp4) {
            VideoCodec codec = webm ? VideoCodec.VP8 : VideoCodec.H264;
            VideoEncoder encoder = encoder(codec, scan.width(), scan.height());
            if (encoder == null) {
                return 1;
            }
            pictures = webm ? new Video(encoder, new WebmWriter(new java.io.BufferedOutputStream(
                    Files.newOutputStream(out)), "V_VP8", scan.width(), scan.height()), null, scan)
                    : new Video(encoder, null, new Mp4Writer(out, scan.width(), scan.height()), scan);
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
        rt.out().println("export: " + written + " pictures" + (webm ? " as VP8 video" : mp4 ? " as H.264 video" : "")
                + " in " + out + " ("
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
     * VP8 frames in a WebM file or H.264 frames in an MP4 file, each at its picture's time; the video has the first
     * surface's size (a later surface of another size is shown from its top-left corner, cut or padded with black).
     * The last picture is repeated at the recording's end so that the video lasts as long.
     */
    private static final class Video implements Pictures {
        private final VideoEncoder encoder;
        private final WebmWriter webm;
        private final Mp4Writer mp4;
        private final int width;
        private final int height;
        private long last = -1;

        Video(VideoEncoder encoder, WebmWriter webm, Mp4Writer mp4, RecordingScan scan) {
            this.encoder = encoder;
            this.webm = webm;
            this.mp4 = mp4;
            this.width = scan.width();
            this.height = scan.height();
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
            if (data.length == 0) {
                return;
            }
            if (webm != null) {
                // A VP8 frame tag's lowest bit is 0 for a key frame (RFC 6386, 9.1).
                webm.frame(millis, data, (data[0] & 1) == 0);
            } else {
                mp4.frame(millis, data);
            }
            last = millis;
        }

        @Override
        public void end(Frame f, long millis) throws IOException {
            if (millis > last) {
                picture(f, millis);
            }
            if (mp4 != null) {
                mp4.finish(millis + 40);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (webm != null) {
                    webm.close();
                } else {
                    mp4.close();
                }
            } finally {
                encoder.close();
            }
        }
    }

    /** An encoder of the video codec bundle (org.spice.video), or null after saying why there is none. */
    private VideoEncoder encoder(VideoCodec codec, int width, int height) {
        ServiceTracker<VideoCodecProvider, VideoCodecProvider> t = new ServiceTracker<>(rt.context(),
                VideoCodecProvider.class, null);
        t.open();
        try {
            VideoCodecProvider p = t.waitForService(TimeUnit.SECONDS.toMillis(10));
            for (Object o : t.getServices() == null ? new Object[0] : t.getServices()) {
                VideoCodecProvider c = (VideoCodecProvider) o;
                if (c.encodes().contains(codec)) {
                    p = c;
                }
            }
            if (p == null || !p.encodes().contains(codec)) {
                rt.err().println("error: " + (codec == VideoCodec.VP8 ? "WebM" : "MP4") + " files need the video"
                        + " codec bundle (org.spice.video, FFmpeg) with a " + codec + " encoder, which is not here (the"
                        + " log says why); give a directory for PNG pictures");
                return null;
            }
            // Lossless pictures are the goal, not a bandwidth: a generous rate keeps text sharp.
            return p.encoder(codec, width, height, fps, Math.max(2_000_000L, (long) width * height * 8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            t.close();
        }
    }
}
