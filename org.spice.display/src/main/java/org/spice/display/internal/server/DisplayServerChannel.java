package org.spice.display.internal.server;

import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.util.List;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoEncoder;
import java.util.EnumSet;
import java.util.Set;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.wire.Wire;

/**
 * The server side of one client's display channel: creates the primary surface at the source's size, sends
 * the whole picture, then the rectangles that change, each image encoded as the image-compression setting says
 * ({@link ImageEncoders}). Changes accumulate while the client's ack window is full, so a slow client gets fewer,
 * larger updates instead of an unbounded queue.
 *
 * <p>The first picture waits for the client's display init (what GLZ and the pixmap cache need to know of the
 * client), at most {@link #INIT_WAIT_MS}; a client that sends none gets it then, without GLZ, and GLZ and the cache
 * start with the first image after an init that comes later.
 */
final class DisplayServerChannel implements ChannelHandler, DisplaySource.Listener {
    private static final System.Logger LOG = System.getLogger("org.spice.display");
    /**
     * Rows per draw message: big enough to be cheap, and that a window-sized change (a 352 x 240 video, 330 KiB)
     * goes in one draw, so that a client never shows one frame's top over the previous frame's bottom; small
     * enough that a full frame goes in several (4 at 1920x1080), paced by the ack window and the outbound buffer
     * ({@link ServerChannelContext#canSend}). Each band is an image of its own whose QUIC model starts afresh: with
     * 512 KiB (16 bands a 1080p screen) the encoder took 13 % longer for a photo screen than in one image, 3 % at
     * 2 MiB.
     */
    private static final int BAND_BYTES = 2 * 1024 * 1024;
    /** How far ahead of the session clock video frames are stamped, so clients show them in time. */
    private static final long LATENCY_MS = 100;
    /** How long the first picture waits for the client's display init. */
    static final long INIT_WAIT_MS = 1000;

    private final ServerChannelContext ctx;
    private final DisplaySource source;
    private Frame frame;
    private int surfaceWidth = -1;
    private int surfaceHeight = -1;
    private Rect pending = new Rect(0, 0, 0, 0);
    /** Changes the source told of that the executor has not taken yet (the source's thread counts them in). */
    private final java.util.concurrent.atomic.AtomicInteger untaken = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether {@link #pending} held changes the client's window held back, when the executor last looked. */
    private volatile boolean behind;
    private boolean markPending;
    private final VideoStreams streams;
    private final java.util.concurrent.ScheduledFuture<?> idleCheck;
    private long droppedFrames;
    private final ImageEncoders encoders;
    private final VideoEncoders video;
    private final List<VideoCodec> videoCodecs;
    /** The client's PREFERRED_VIDEO_CODEC_TYPE, empty until it sends one. */
    private List<VideoCodec> clientPrefers = List.of();
    /** The running stream (its own encoder, or one it shares with other sessions' streams), or null. */
    private VideoStream streamEncoder;
    private VideoCodec streamCodec;
    private long reportId;
    /** Whether the client of the current stream sends STREAM_REPORTs (else the ack window paces its bit rate). */
    private boolean clientReports;
    /** Frames a second streams are set up for: the rate sources change at (the demo animates at 25). */
    static final int STREAM_FPS = 25;
    /** Reports asked of a client: every this many frames, or after {@link #REPORT_TIMEOUT_MS}. */
    static final int REPORT_WINDOW = 20;
    static final int REPORT_TIMEOUT_MS = 1000;
    /** Set once the client's init arrived or the wait for it ended; nothing is drawn before. */
    private boolean started;
    private boolean inited;
    /** The heads last sent in MONITORS_CONFIG; null before the first. */
    private List<DisplayMessages.Head> sentHeads;

    DisplayServerChannel(ServerChannelContext ctx, DisplaySource source, VideoStreams.Mode streaming,
            ImageCompression compression, JpegCompression jpeg, VideoEncoders video, List<VideoCodec> videoCodecs) {
        this.ctx = ctx;
        this.video = video;
        this.videoCodecs = List.copyOf(videoCodecs);
        this.source = source;
        this.streams = new VideoStreams(streaming);
        String peer = ctx.session().clients().stream().filter(c -> c.connectionId() == ctx.connectionId())
                .map(c -> c.remoteAddress()).findFirst().orElse(null);
        boolean lossy = jpeg.allows(peer);
        if (lossy) {
            LOG.log(Level.INFO, ctx.describe() + ": photo-like images go as JPEG (jpeg-compression "
                    + jpeg.configName() + ")");
        }
        this.encoders = new ImageEncoders(compression, lossy);
        this.frame = source.frame();
        this.idleCheck = ctx.executor().scheduleWithFixedDelay(this::endIdleStream, 250, 250,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        ctx.executor().execute(() -> {
            pending = new Rect(0, 0, frame.width(), frame.height());
            markPending = true;
        });
        source.addListener(this);
        ctx.executor().schedule(this::start, INIT_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Starts drawing: the client's init arrived, or it did not in time. The first picture is the source's newest
     * frame, read now that this channel listens: the frame read in the constructor may miss a change the source
     * published before the listener was added, and a change that reaches no listener is never drawn (a gateway's
     * VM drawing its boot splash top down as a browser joined kept a black band over the first rows).
     */
    private void start() {
        if (!started) {
            started = true;
            frame = source.frame();
            pending = new Rect(0, 0, frame.width(), frame.height());
            flush();
        }
    }

    @Override
    public void changed(Frame f, Rect dirty) {
        untaken.incrementAndGet();
        ctx.executor().execute(() -> {
            try {
                take(f, dirty);
            } finally {
                untaken.decrementAndGet();
                settle();
            }
        });
    }

    /**
     * Whether a frame made now would go out soon: no change told is waiting for this channel's executor and none
     * taken is held back by the client's window. Read by the source's thread, so that a screen capture is made only
     * when some client would take it.
     */
    @Override
    public boolean wantsFrame() {
        return untaken.get() == 0 && !behind;
    }

    /**
     * After changes are taken or sent: whether the client is behind (before the first picture it is not: that
     * picture is the source's latest frame), and the source asked again when it is not.
     */
    private void settle() {
        behind = started && !pending.isEmpty();
        if (!behind && untaken.get() == 0) {
            source.wanted();
        }
    }

    /** A change the source told of, on the channel's executor. */
    private void take(Frame f, Rect dirty) {
        if (!started) {
            // nothing drawn yet: the first picture will be the latest frame, whole
            frame = f;
            pending = new Rect(0, 0, f.width(), f.height());
            return;
        }
        long now = System.nanoTime();
        if (f.width() != frame.width() || f.height() != frame.height()) {
            endStream();
            pending = new Rect(0, 0, f.width(), f.height());
            markPending = true;
        } else if (streams.active() != null && streams.active().intersect(dirty).equals(dirty)) {
            frame = f;
            streams.framed(now);
            sendVideoFrame();
            return;
        } else {
            pending = pending.union(dirty);
            if (streams.observe(dirty, now)) {
                frame = f;
                startStream(streams.active());
                sendVideoFrame();
                Rect area = streams.active();
                if (area.intersect(pending).equals(pending)) {
                    pending = new Rect(0, 0, 0, 0);
                }
            }
        }
        frame = f;
        flush();
    }

    /**
     * Opens the encoder of a new stream over {@code area} in the first codec both sides have (the client's
     * preference first), and tells the client.
     */
    private void startStream(Rect area) {
        Set<VideoCodec> clientDecodes = EnumSet.noneOf(VideoCodec.class);
        boolean multiCodec = ctx.remoteChannelCaps().has(DisplayMessages.CAP_MULTI_CODEC);
        for (VideoCodec c : VideoCodec.values()) {
            if (c == VideoCodec.MJPEG ? !multiCodec || ctx.remoteChannelCaps().has(c.capability())
                    : multiCodec && ctx.remoteChannelCaps().has(c.capability())) {
                clientDecodes.add(c);
            }
        }
        VideoCodec codec = VideoEncoders.choose(videoCodecs, clientPrefers, clientDecodes, video.codecs());
        // at the rate of the streams of other sessions showing the area in the codec: it may join them
        long bitRate = codec == VideoCodec.MJPEG ? initialBitRate(area)
                : video.streams().startRate(codec, area, initialBitRate(area));
        VideoEncoder encoder = video.open(codec, area.width(), area.height(), STREAM_FPS, bitRate, ctx.describe());
        if (encoder == null) {
            codec = VideoCodec.MJPEG;
            encoder = video.open(codec, area.width(), area.height(), STREAM_FPS, bitRate, ctx.describe());
        }
        streamCodec = codec;
        int id = streams.id();
        boolean reports = ctx.remoteChannelCaps().has(DisplayMessages.CAP_STREAM_REPORT);
        streamEncoder = codec == VideoCodec.MJPEG
                ? new StreamEncoder(encoder, video.shared(encoder), area, bitRate, video.pool(), ctx.executor(),
                        e -> sendFrame(id, e), ctx.describe())
                : video.streams().join(codec, encoder, area, bitRate, ctx.executor(),
                        ctx.session().multiMediaTime() + LATENCY_MS, e -> sendFrame(id, e), ctx.describe());
        clientReports = reports;
        LOG.log(Level.INFO, ctx.describe() + ": streaming " + area + " as " + codec);
        ctx.send(new VideoStreams.Create(id, area, codec.wire()));
        if (reports) {
            reportId = java.util.concurrent.ThreadLocalRandom.current().nextInt() & 0xffffffffL;
            ctx.send(new DisplayMessages.StreamActivateReport(id, reportId, REPORT_WINDOW, REPORT_TIMEOUT_MS));
        }
    }

    /** An encoded frame of stream {@code id} (event loop): sent when the stream still runs and the window has room. */
    private void sendFrame(int id, StreamEncoder.Encoded e) {
        if (streams.active() == null || streams.id() != id) {
            droppedFrames++; // the stream ended while the frame encoded
        } else if (ctx.canSend()) {
            ctx.send(new VideoStreams.Data(id, e.mmTime(), e.data()));
            paceStream(true);
        } else {
            droppedFrames++;
            paceStream(false);
            if (streamEncoder != null) {
                streamEncoder.missed(); // a frame others sharing its encoder took: it goes on from a key frame
            }
        }
    }

    /** About 0.2 bits a pixel at 25 frames a second: smooth content at good quality. */
    static long initialBitRate(Rect area) {
        return Math.max(StreamEncoder.MIN_BIT_RATE, Math.min(StreamEncoder.MAX_BIT_RATE,
                (long) area.width() * area.height() * STREAM_FPS / 5));
    }

    /**
     * A video frame goes to the stream's encoder when the window has room and is dropped otherwise (late video is
     * useless); the encoder itself keeps at most one frame waiting.
     */
    private void sendVideoFrame() {
        if (!started || !ctx.canSend() || streamEncoder == null) {
            droppedFrames++;
            if (started && streamEncoder != null) {
                paceStream(false); // the client has not acknowledged enough: it falls behind the stream
            }
            return;
        }
        streamEncoder.offer(frame, ctx.session().multiMediaTime() + LATENCY_MS);
    }

    /**
     * The ack window steers the stream's bit rate (StreamEncoder.paced): frames it holds back lower it for every
     * client, and without STREAM_REPORT frames that all went raise it.
     */
    private void paceStream(boolean sent) {
        if (streamEncoder != null) {
            streamEncoder.paced(sent, !clientReports, System.nanoTime());
        }
    }

    private void closeStreamEncoder() {
        if (streamEncoder != null) {
            droppedFrames += streamEncoder.dropped();
            streamEncoder.close();
            streamEncoder = null;
        }
    }

    private void endIdleStream() {
        Rect area = streams.active();
        if (area != null && streams.idle(System.nanoTime())) {
            closeStreamEncoder();
            ctx.send(new VideoStreams.Destroy(streams.id()));
            pending = pending.union(area); // the last picture again, losslessly
            flush();
        }
    }

    private void endStream() {
        Rect area = streams.active();
        if (area != null) {
            streams.stop();
            closeStreamEncoder();
            ctx.send(new VideoStreams.Destroy(streams.id()));
        }
    }

    /** Runs on the channel's executor. */
    private void flush() {
        if (!started || !ctx.isOpen()) {
            return;
        }
        if (frame.width() != surfaceWidth || frame.height() != surfaceHeight) {
            if (surfaceWidth >= 0) {
                ctx.send(new DisplayMessages.SurfaceDestroy(0));
                LOG.log(Level.INFO, ctx.describe() + ": primary surface now " + frame.width() + "x" + frame.height()
                        + " (was " + surfaceWidth + "x" + surfaceHeight + ")");
            }
            surfaceWidth = frame.width();
            surfaceHeight = frame.height();
            ctx.send(new DisplayMessages.SurfaceCreate(0, surfaceWidth, surfaceHeight,
                    DisplayMessages.SURFACE_FMT_32_XRGB, DisplayMessages.SURFACE_FLAG_PRIMARY));
            sentHeads = null;
        }
        sendHeads();
        Rect todo = pending.intersect(new Rect(0, 0, frame.width(), frame.height()));
        // The first picture of a surface goes in one draw, as spice-server sends it: spice-gtk's screenshot
        // tool writes its file on the first draw it sees. Later changes go in bands that the ack window paces.
        int rowsPerBand = markPending ? todo.height() : Math.max(1, BAND_BYTES / Math.max(1, 4 * todo.width()));
        while (!todo.isEmpty() && ctx.canSend()) {
            int rows = Math.min(rowsPerBand, todo.height());
            Rect band = new Rect(todo.x(), todo.y(), todo.width(), rows);
            // no copy of the whole first picture in the GLZ window (ImageEncoders.encode says why)
            SpiceImage image = encoders.encode(frame, band, !markPending);
            List<Long> gone = encoders.drainEvicted();
            if (!gone.isEmpty()) {
                ctx.send(new InvalList(gone)); // before the draw whose image took their room
            }
            ctx.send(new ImageDraw(band, image));
            todo = new Rect(todo.x(), todo.y() + rows, todo.width(), todo.height() - rows);
        }
        pending = todo;
        if (todo.isEmpty() && markPending) {
            markPending = false;
            ctx.send(DisplayMessages.MARK_MSG);
        }
        settle();
    }

    /**
     * Sends the source's heads as MONITORS_CONFIG when they differ from those sent for this surface (a new surface
     * always gets them): each an area of the primary surface, clamped to it; max_allowed is their count, as a QXL
     * device with that many outputs announces. remote-viewer shows each head in a window of its own.
     */
    private void sendHeads() {
        if (!ctx.remoteChannelCaps().has(DisplayMessages.CAP_MONITORS_CONFIG)) {
            return;
        }
        List<DisplayMessages.Head> heads = heads(source.heads(), surfaceWidth, surfaceHeight);
        if (!heads.equals(sentHeads)) {
            sentHeads = heads;
            ctx.send(new DisplayMessages.MonitorsConfig(heads.size(), heads));
            if (heads.size() > 1) {
                LOG.log(Level.INFO, ctx.describe() + ": " + heads.size() + " heads " + heads.stream()
                        .map(h -> h.width() + "x" + h.height() + "+" + h.x() + "+" + h.y()).toList());
            }
        }
    }

    /**
     * The heads of a surface of {@code width} x {@code height}: the source's areas clamped to it, the empty ones
     * left out, at most {@link DisplayMessages#MAX_HEADS}; the whole surface when none is left.
     */
    static List<DisplayMessages.Head> heads(List<Rect> areas, int width, int height) {
        Rect surface = new Rect(0, 0, width, height);
        List<DisplayMessages.Head> heads = new java.util.ArrayList<>();
        for (Rect a : areas) {
            Rect r = a.intersect(surface);
            if (!r.isEmpty() && heads.size() < DisplayMessages.MAX_HEADS) {
                heads.add(new DisplayMessages.Head(heads.size(), 0, r.width(), r.height(), r.x(), r.y(), 0));
            }
        }
        return heads.isEmpty() ? List.of(new DisplayMessages.Head(0, 0, width, height, 0, 0, 0)) : List.copyOf(heads);
    }

    @Override
    public void onWritable() {
        flush();
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case DisplayMessages.C_INIT -> {
                DisplayMessages.Init init = DisplayMessages.Init.decode(body);
                LOG.log(Level.DEBUG, ctx.describe() + ": client pixmap cache " + init.pixmapCacheSize()
                        + " pixels, GLZ window " + Integer.toUnsignedString(init.glzWindowSize()) + " pixels");
                if (inited) {
                    throw new SpiceProtocolException("a second display init");
                }
                inited = true;
                // Also after a late init (the first picture went without it): no GLZ image and no cached one went
                // before, since both need what the init says, so the client's dictionary and cache start now
                encoders.clientInit(Integer.toUnsignedLong(init.glzWindowSize()), init.pixmapCacheSize());
                start();
            }
            case DisplayMessages.C_PREFERRED_COMPRESSION -> {
                int wire = Wire.u8(body, "preferred_compression");
                ImageCompression preferred = ImageCompression.ofWire(wire);
                if (preferred == null) {
                    LOG.log(Level.INFO, ctx.describe() + ": client prefers image compression " + wire
                            + ", which this server does not have; it keeps " + encoders.mode().configName());
                } else {
                    LOG.log(Level.INFO, ctx.describe() + ": client prefers image compression "
                            + preferred.configName());
                    encoders.mode(preferred);
                }
            }
            case DisplayMessages.C_PREFERRED_VIDEO_CODEC_TYPE -> {
                List<VideoCodec> prefers = new java.util.ArrayList<>();
                for (int wire : DisplayMessages.PreferredVideoCodecType.decode(body).codecs()) {
                    VideoCodec c = VideoCodec.ofWire(wire);
                    if (c != null && !prefers.contains(c)) {
                        prefers.add(c); // unknown numbers are skipped, as spice-server does
                    }
                }
                clientPrefers = List.copyOf(prefers);
                LOG.log(Level.INFO, ctx.describe() + ": client prefers video codecs " + clientPrefers
                        + "; new streams use " + VideoEncoders.choose(videoCodecs, clientPrefers,
                                EnumSet.allOf(VideoCodec.class), video.codecs()) + " if the client announced it");
            }
            case DisplayMessages.C_STREAM_REPORT -> {
                DisplayMessages.StreamReport r = DisplayMessages.StreamReport.decode(body);
                if (streamEncoder != null && r.streamId() == streams.id() && r.uniqueId() == reportId) {
                    streamEncoder.report(r.numFrames(), r.numDrops(), r.lastFrameDelay(), System.nanoTime());
                    LOG.log(Level.DEBUG, ctx.describe() + ": stream report " + r + "; " + streamCodec + " at "
                            + streamEncoder.bitRate() + " bit/s");
                }
            }
            case DisplayMessages.C_GL_DRAW_DONE -> body.skipBytes(body.readableBytes()); // no GL scanout sent
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    @Override
    public void onClose() {
        source.removeListener(this);
        closeStreamEncoder();
        idleCheck.cancel(false);
        LOG.log(Level.DEBUG, ctx.describe() + ": sent " + encoders.summary());
        if (droppedFrames > 0) {
            LOG.log(Level.INFO, ctx.describe() + ": " + droppedFrames + " video frames dropped while the client"
                    + " was behind");
        }
    }
}
