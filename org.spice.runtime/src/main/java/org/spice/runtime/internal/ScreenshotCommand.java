package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.spice.cli.ClientCommand;
import org.spice.cli.ExitCodes;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.ClientDisplays;
import org.spice.display.video.VideoCodec;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice screenshot URI OUT.png}: a headless client that links main and the display channel it shows (as
 * spicy-screenshot does), waits until the primary surface is complete (the server's display mark arrived: the
 * server sends it after the surface's image, and the client decodes each image as its message comes, so nothing is
 * pending then) and writes it as PNG. Only {@code --after} waits for the picture to be quiet as well.
 */
@Command(name = "screenshot", mixinStandardHelpOptions = true,
        description = "Connect, wait until the display is complete (the server's display mark), write it as PNG.")
final class ScreenshotCommand extends ClientCommand<ClientDisplays> {
    static final int EXIT_INCOMPLETE = 5;
    private static final long QUIET_MS = 700;
    /** spice-gtk's names of SPICE_IMAGE_COMPRESSION_OFF..LZ4. */
    static final java.util.List<String> COMPRESSIONS = java.util.List.of("off", "auto-glz", "auto-lz", "quic", "glz",
            "lz", "lz4");
    private static final long SETTLE_MS = 3000;
    /**
     * Time without frames or changes that --wait-video-still needs after the video: fifteen frame times at 30 a
     * second. Stillness alone does not show which picture the video left on a busy machine: a client behind the
     * server meets the last frames and the server's redraw of them back to back, so the streams' last frames do.
     */
    static final long STILL_MS = 500;
    /**
     * How long --wait-video-still waits, with no frame coming, for the server to end its streams before it takes
     * the picture as it is (spice-server ends them after one second).
     */
    static final long STREAMS_KEPT_MS = 4000;
    /**
     * How long --redrawn waits for the redraw: spice-server's stream timeout (1 s) and slack for a busy machine
     * (a test against QEMU saw no redraw within 3 s twice at a high load).
     */
    static final long REDRAW_MS = 10_000;

    @Option(names = "--monitor", paramLabel = "N", description = "The display to take, numbered as remote-viewer"
            + " numbers its displays: display channel id plus head (monitor id), so head N of display channel 0 or"
            + " display channel N; the picture is that head's area of its surface (default ${DEFAULT-VALUE}).")
    int monitor;

    @Option(names = "--cursor", paramLabel = "CURSOR.png",
            description = "Also wait for the server's cursor shape, write it as PNG (with alpha) and print its position.")
    Path cursorOut;

    @Option(names = "--preferred-compression", paramLabel = "NAME",
            description = "Ask the server to prefer this image compression (off, auto-glz, auto-lz, quic, glz, lz, lz4),"
                    + " as spice-gtk's --spice-preferred-compression (default: the saved client settings').")
    String preferredCompression;

    @Option(names = "--preferred-video-codec", paramLabel = "LIST",
            description = "Ask the server to stream video in these codecs, most wanted first (e.g. h264,vp8,mjpeg;"
                    + " default: the saved client settings').")
    String preferredVideoCodecs;

    @Option(names = "--wait-video", description = "Before the picture, wait (up to three timeouts) until a video"
            + " stream has shown a frame.")
    boolean waitVideo;

    @Option(names = "--wait-video-still", description = "Wait until a video stream has shown a frame and then the"
            + " video stopped, and take the picture its last frames left: each ended stream's last frame as the"
            + " client decoded it (spice-server ends a stream one second after its last frame, just after redrawing"
            + " its area losslessly), once the server ended every stream and nothing changed for " + STILL_MS
            + " ms; from a server that keeps its streams, the picture once nothing changed for " + STILL_MS
            + " ms after " + STREAMS_KEPT_MS + " ms without a frame.")
    boolean waitVideoStill;

    @Option(names = "--redrawn", paramLabel = "REDRAWN.png", description = "With --wait-video-still: after the"
            + " picture, wait (up to " + REDRAW_MS + " ms) until the server redraws the stopped video, then until"
            + " the display is quiet, and write that picture too.")
    Path redrawn;

    @Option(names = "--after", paramLabel = "MS", description = "Take the picture no sooner than MS milliseconds"
            + " after linking, then once the display is quiet (for a guest that draws while the client is connected).")
    long afterMs;

    @Parameters(index = "1", paramLabel = "OUT.png")
    Path out;

    /** The canonical name of an image compression (auto_glz and AUTO-GLZ alike), or null for none known. */
    static String compressionName(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return COMPRESSIONS.contains(n) ? n : null;
    }

    ScreenshotCommand(Runtime rt) {
        super(rt, ClientDisplays.class, "display");
    }

    @Override
    protected void validate() {
        if (monitor < 0) {
            throw new IllegalArgumentException("--monitor " + monitor + ": displays are numbered from 0");
        }
        if (afterMs < 0 || afterMs > TimeUnit.HOURS.toMillis(1)) {
            throw new IllegalArgumentException("--after " + afterMs + ": from 0 to 3600000 ms");
        }
        if (redrawn != null && !waitVideoStill) {
            throw new IllegalArgumentException("--redrawn needs --wait-video-still");
        }
        if (preferredCompression != null) {
            String name = compressionName(preferredCompression);
            if (name == null) {
                throw new IllegalArgumentException("unknown image compression '" + preferredCompression
                        + "' (one of " + String.join(", ", COMPRESSIONS) + ")");
            }
            preferredCompression = name;
        }
        if (preferredVideoCodecs != null) {
            preferredVideoCodecs = VideoCodec.canonicalList(preferredVideoCodecs);
        }
    }

    /** The saved preference (in the options) unless --preferred-compression says otherwise. */
    @Override
    protected ClientSession connect(ClientDisplays displays, SpiceUri u) throws Exception {
        ClientOptions o = auth.options(rt, u).withConnectChannels(linkAllChannels());
        if (preferredCompression != null) {
            o = o.withPreferredCompression(preferredCompression);
        }
        if (preferredVideoCodecs != null) {
            o = o.withPreferredVideoCodecs(preferredVideoCodecs);
        }
        return rt.client().connect(u, o).get();
    }

    @Override
    protected int run(ClientDisplays displays, ClientSession session, SpiceUri u) throws Exception {
        long linked = System.nanoTime();
        long deadline = linked + TimeUnit.SECONDS.toNanos(auth.timeoutSeconds() * 3L);
        ClientDisplay first;
        try {
            first = displays.linked(session, 0).thenCompose(ClientDisplay::complete)
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return noPicture(displays.display(session, 0), 0, e);
        }
        Head head = head(displays, session, first, deadline);
        if (head == null) {
            rt.err().println("error: no display " + monitor + ": the server offers display channel(s) "
                    + displayIds(session) + " and display channel 0 has " + first.heads().size() + " head(s)");
            return ExitCodes.CONNECT;
        }
        ClientDisplay d = head.display();
        // The picture the video left, made on the channel's thread when the last stream ends.
        java.util.concurrent.atomic.AtomicReference<VideoEnd> videoEnd = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.function.Consumer<Frame> atVideoEnd = held -> videoEnd.set(new VideoEnd(held, d.streamFrames()));
        if (waitVideoStill) {
            d.addVideoEndListener(atVideoEnd);
        }
        while ((waitVideo || waitVideoStill) && d.streamCodecs().isEmpty()) {
            if (System.nanoTime() > deadline || session.closed().isDone()) {
                rt.err().println("error: no video stream showed a frame within " + auth.timeoutSeconds() * 3 + " s");
                return ExitCodes.CONNECT;
            }
            Thread.sleep(50);
        }
        VideoEnd still = null;
        if (waitVideoStill) {
            still = awaitStill(d, videoEnd, session, deadline);
            d.removeVideoEndListener(atVideoEnd);
            if (still == null) {
                return ExitCodes.CONNECT;
            }
        }
        long untilAfter = linked + TimeUnit.MILLISECONDS.toNanos(afterMs) - System.nanoTime();
        if (untilAfter > 0) {
            TimeUnit.NANOSECONDS.sleep(untilAfter);
        }
        // Complete. With --after the guest draws while the client is connected: wait for it to be quiet too, but an
        // animated picture is taken as it is after a while, and one showing video at once (video never goes quiet).
        long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        long videoFrames = d.streamFrames();
        long quietLeft;
        while (afterMs > 0 && !waitVideoStill
                && (quietLeft = TimeUnit.MILLISECONDS.toNanos(QUIET_MS)
                        - (System.nanoTime() - d.lastChangeNanos())) > 0) {
            long now = System.nanoTime();
            if (now > settle) {
                rt.err().println("note: the picture is still changing; taking it as it is now");
                break;
            }
            // video plays: frames keep coming and one of its streams has shown a frame (an early frame waits for
            // its multimedia time, so "streams:" would otherwise name none)
            if (d.streamFrames() > videoFrames + 1 && !d.streamCodecs().isEmpty()) {
                rt.err().println("note: video is playing; taking the picture as it is now");
                break;
            }
            // until it has been quiet for QUIET_MS, unless it changed meanwhile (then the loop waits again); a
            // video frame is looked for every 50 ms
            TimeUnit.NANOSECONDS.sleep(Math.min(Math.min(quietLeft, settle - now + 1),
                    TimeUnit.MILLISECONDS.toNanos(50)));
        }
        Frame surface = still != null ? still.picture() : d.primary(); // a copy: written and described as it is
        java.util.List<Rect> heads = d.heads();
        Rect area = head.index() < heads.size() ? heads.get(head.index()).intersect(new Rect(0, 0, surface.width(),
                surface.height())) : new Rect(0, 0, 0, 0);
        if (area.isEmpty()) {
            rt.err().println("error: display " + monitor + " (head " + head.index() + " of display channel "
                    + head.channelId() + ") went away before the picture was taken");
            return ExitCodes.CONNECT;
        }
        Frame picture = crop(surface, area);
        write(picture, out);
        rt.out().println("wrote " + out + " (" + picture.width() + "x" + picture.height() + ") "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - linked) + " ms after linking");
        if (heads.size() > 1 || head.channelId() != 0) {
            rt.out().println("display " + monitor + ": head " + head.index() + " of display channel "
                    + head.channelId() + ", " + area.width() + "x" + area.height() + "+" + area.x() + "+" + area.y()
                    + " of its " + surface.width() + "x" + surface.height() + " surface");
        }
        // off-screen surfaces by format: 8_A ones show the guest put glyph masks or depth-8 pictures in surfaces
        rt.out().println("surfaces: " + (d.surfaceFormats().isEmpty() ? "none" : d.surfaceFormats().entrySet()
                .stream().map(e -> e.getKey() + " x" + e.getValue()).collect(java.util.stream.Collectors.joining(", "))));
        rt.out().println("images: " + (d.imageTypes().isEmpty() ? "none" : d.imageTypes().entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue()).sorted().collect(java.util.stream.Collectors.joining(", "))));
        // Video streams (spice-server's streaming-video): the codec of each, and how many frames came.
        rt.out().println("streams: " + (d.streamCodecs().isEmpty() ? "none" : d.streamCodecs().entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue()).collect(java.util.stream.Collectors.joining(", "))
                + " (" + d.streamFrames() + " frames)"));
        if (redrawn != null) {
            // spice-server's redraw came before the streams ended, so usually it is there already; else it is waited for
            Frame after = crop(d.primary(), area);
            boolean changed = !java.util.Arrays.equals(after.rgb(), picture.rgb());
            if (!changed) {
                long stillChange = d.lastChangeNanos();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REDRAW_MS);
                while (d.lastChangeNanos() == stillChange && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                long quietBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REDRAW_MS);
                while (System.nanoTime() - d.lastChangeNanos() < TimeUnit.MILLISECONDS.toNanos(QUIET_MS)
                        && System.nanoTime() < quietBy) {
                    Thread.sleep(20);
                }
                after = crop(d.primary(), area);
                changed = !java.util.Arrays.equals(after.rgb(), picture.rgb());
            }
            write(after, redrawn);
            rt.out().println("wrote " + redrawn + (changed ? " (redrawn)" : " (no redraw within " + REDRAW_MS
                    + " ms)"));
        }
        if (cursorOut != null && !cursor(session, deadline)) {
            return ExitCodes.CONNECT;
        }
        if (!d.unsupported().isEmpty()) {
            rt.err().println("error: the picture is incomplete; not rendered: " + String.join(", ",
                    d.unsupported()));
            return EXIT_INCOMPLETE;
        }
        return 0;
    }

    private int noPicture(ClientDisplay known, int channelId, Exception e) {
        rt.err().println("error: no complete picture on display channel " + channelId + " within "
                + auth.timeoutSeconds() * 3 + " s" + (e instanceof ExecutionException ? " ("
                + e.getCause().getMessage() + ")" : known == null ? " (display channel not linked)"
                : " (no display mark yet)"));
        return ExitCodes.CONNECT;
    }

    /** A head of a display channel: {@code index} in its MONITORS_CONFIG. */
    record Head(ClientDisplay display, int channelId, int index) {
    }

    /** How long a display's monitors config may follow its first complete picture. */
    private static final long HEADS_WAIT_MS = 3000;

    /**
     * remote-viewer's display {@link #monitor}: it numbers a display channel's heads by channel id plus monitor id
     * and shows channels beside channel 0 only when each has one head, so N is head N of channel 0 when that head
     * is enabled, else head 0 of channel N. Null when neither is there (after waiting a while for a monitors config
     * that may come after channel 0's first picture).
     */
    private Head head(ClientDisplays displays, ClientSession session, ClientDisplay first, long deadline)
            throws Exception {
        if (monitor == 0) {
            return new Head(first, 0, 0);
        }
        long giveUp = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEADS_WAIT_MS));
        while (true) {
            java.util.List<Rect> heads = first.heads();
            if (monitor < heads.size() && !heads.get(monitor).isEmpty()) {
                return new Head(first, 0, monitor);
            }
            if (displayIds(session).contains(monitor)) {
                try {
                    ClientDisplay d = displays.linked(session, monitor).thenCompose(ClientDisplay::complete)
                            .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return new Head(d, monitor, 0);
                } catch (ExecutionException | TimeoutException e) {
                    noPicture(displays.display(session, monitor), monitor, e);
                    return null;
                }
            }
            if (System.nanoTime() > giveUp || session.closed().isDone()) {
                return null;
            }
            Thread.sleep(50);
        }
    }

    private static java.util.List<Integer> displayIds(ClientSession session) {
        return session.main().channels().stream().filter(c -> c.type() == org.spice.protocol.ChannelType.DISPLAY)
                .map(c -> c.id()).sorted().toList();
    }

    /** The pixels of {@code area} (within the frame) as a frame of their own. */
    static Frame crop(Frame f, Rect area) {
        if (area.x() == 0 && area.y() == 0 && area.width() == f.width() && area.height() == f.height()) {
            return f;
        }
        int[] px = new int[area.width() * area.height()];
        for (int row = 0; row < area.height(); row++) {
            System.arraycopy(f.rgb(), (area.y() + row) * f.width() + area.x(), px, row * area.width(), area.width());
        }
        return new Frame(area.width(), area.height(), px, f.serial());
    }

    /** The picture the video left on the primary surface and how many frames had come by then. */
    private record VideoEnd(Frame picture, long frames) {
    }

    /**
     * Waits until the video stopped: the server ended its last stream ({@code ended} holds the picture it left) with
     * no frame since, and neither a frame came nor the display changed for {@link #STILL_MS} (streams that end while
     * the picture keeps changing were not the end of the video); from a server that keeps its streams, once no frame
     * came for {@link #STREAMS_KEPT_MS} and no change for {@link #STILL_MS} (the picture is taken then). Null (with the
     * error said) when neither happens before {@code deadline} or the session ends.
     */
    private VideoEnd awaitStill(ClientDisplay d, java.util.concurrent.atomic.AtomicReference<VideoEnd> ended,
            ClientSession session, long deadline) throws InterruptedException {
        long frames = d.streamFrames();
        long lastFrame = System.nanoTime();
        long still = TimeUnit.MILLISECONDS.toNanos(STILL_MS);
        while (true) {
            long now = System.nanoTime();
            long f = d.streamFrames();
            if (f != frames) {
                frames = f;
                lastFrame = now;
            }
            boolean quiet = now - lastFrame >= still && now - d.lastChangeNanos() >= still;
            VideoEnd end = ended.get();
            if (quiet && end != null && end.frames() == f) {
                return end;
            }
            if (quiet && now - lastFrame >= TimeUnit.MILLISECONDS.toNanos(STREAMS_KEPT_MS)) {
                return new VideoEnd(d.primary(), f);
            }
            if (now > deadline || session.closed().isDone()) {
                rt.err().println("error: the video did not stop within " + auth.timeoutSeconds() * 3 + " s");
                return null;
            }
            Thread.sleep(10);
        }
    }

    /**
     * Waits for the cursor and writes it (see {@link CursorShot}); the cursor API is imported dynamically, so a runtime
     * without the cursor bundle (spice-minimal) still runs screenshots.
     */
    private boolean cursor(ClientSession session, long deadline) throws Exception {
        try {
            return CursorShot.write(rt, session, deadline, cursorOut, auth.timeoutSeconds() * 3, QUIET_MS);
        } catch (NoClassDefFoundError e) {
            rt.err().println("error: --cursor needs the cursor bundle (org.spice.cursor), which is not installed");
            return false;
        }
    }

    /** Writes the frame as an RGB PNG file (the top byte of each pixel is not read). */
    static void write(Frame f, Path out) throws IOException {
        PngFile.write(out, f.width(), f.height(), f.rgb(), false);
    }
}
