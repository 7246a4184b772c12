package org.spice.display.internal.client;

import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.api.ClientDisplay;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.display.internal.codec.ImageLimits;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.raster.Area;
import org.spice.display.internal.raster.Surface;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.display.video.VideoCodec;
import org.spice.protocol.Capabilities;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.wire.Wire;

/**
 * The client side of one display channel: keeps the surfaces the server creates and renders its draw commands
 * into them. What it cannot render yet is skipped, logged once and listed, never silently.
 */
final class DisplayClientChannel implements ChannelHandler, ClientDisplay {
    private static final System.Logger LOG = System.getLogger("org.spice.display");

    /**
     * What the client announces: LZ4 images, preferred compression and video codec, stream reports, composite
     * draws (rendered as pixman renders them, so spice-server sends a QXL device's composite commands instead of
     * drawing them itself), and the video codecs {@code codecs} (MJPEG always; the others when a codec provider
     * decodes them here), with MULTI_CODEC, and A8_SURFACE: alpha-only surfaces are kept as pixman keeps them
     * ({@link Surface}), so a QXL guest may put its glyph masks and depth-8 pictures in them.
     */
    static Capabilities capabilities(java.util.Set<VideoCodec> codecs) {
        List<Integer> caps = new ArrayList<>(List.of(DisplayMessages.CAP_MONITORS_CONFIG,
                DisplayMessages.CAP_SIZED_STREAM, DisplayMessages.CAP_COMPOSITE, DisplayMessages.CAP_A8_SURFACE,
                DisplayMessages.CAP_MULTI_CODEC,
                DisplayMessages.CAP_STREAM_REPORT, DisplayMessages.CAP_LZ4_COMPRESSION, DisplayMessages.CAP_PREF_COMPRESSION,
                DisplayMessages.CAP_PREF_VIDEO_CODEC_TYPE));
        codecs.forEach(c -> caps.add(c.capability()));
        return Capabilities.of(caps.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The GLZ dictionary window spice-gtk announces. */
    static final int GLZ_WINDOW = 6290432;
    /**
     * The pixels all surfaces of one channel may hold together: one surface of the largest size the limits admit.
     * QXL keeps its surfaces in the guest's video memory (16 Mi pixels of surface RAM by default), far below; a
     * server that creates more is lying, and without a bound its surface_create messages of 20 bytes each would
     * make the client allocate 256 MiB apiece until it runs out of memory.
     */
    static final long MAX_SURFACE_PIXELS = ImageLimits.MAX_PIXELS;

    private final ClientChannelContext ctx;
    private final Map<Long, Surface> surfaces = new HashMap<>();
    private final ImageReader images;
    private final StreamPlayer streams;
    /** The video codecs announced on this channel. */
    private final java.util.Set<VideoCodec> announced;
    private long streamFrames;
    private final Set<String> unsupported = new LinkedHashSet<>();
    /** How many SURFACE_CREATEs came of each format, by name, in the order first met. */
    private final Map<String, Long> surfaceFormats = new java.util.LinkedHashMap<>();
    private long primaryId = -1;
    private long surfacePixels;
    private int marks;
    private final CompletableFuture<ClientDisplay> complete = new CompletableFuture<>();
    private long lastChange = System.nanoTime();
    private List<DisplayMessages.Head> heads = List.of();
    private final List<Consumer<Rect>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Frame>> videoEndListeners = new CopyOnWriteArrayList<>();
    /** The primary surface's streams that ended since the last live one, while a video end listener listens. */
    private final List<EndedStream> endedStreams = new ArrayList<>();

    /** A stream's last frame as it was put on the primary surface. */
    private record EndedStream(Pixels last, Rect dest, List<Rect> clip) {
    }

    /** A channel that decodes MJPEG streams only. */
    DisplayClientChannel(ClientChannelContext ctx, GlzWindow glzWindow) {
        this(ctx, glzWindow, VideoDecoders.builtIn(), java.util.Set.of(VideoCodec.MJPEG));
    }

    /** {@code announced}: the codecs this channel's link announced, which {@code decoders} decode. */
    DisplayClientChannel(ClientChannelContext ctx, GlzWindow glzWindow, VideoDecoders decoders,
            java.util.Set<VideoCodec> announced) {
        this.ctx = ctx;
        this.announced = java.util.Set.copyOf(announced);
        this.streams = new StreamPlayer(ctx, decoders, new StreamPlayer.Target() {
            @Override
            public Surface surface(long id) {
                return surfaces.get(id);
            }

            @Override
            public void shown(long surfaceId, Rect area) {
                if (surfaceId == primaryId) {
                    lastChange = System.nanoTime();
                    notifyChanged(area);
                }
            }

            @Override
            public void notRendered(String what) {
                unsupported.add(what);
            }

            @Override
            public void later(Runnable r, long delayMs) {
                ctx.executor().schedule(() -> {
                    synchronized (DisplayClientChannel.this) {
                        r.run();
                    }
                }, delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
            }

            @Override
            public void streamEnded(long surfaceId, Pixels last, Rect dest, List<Rect> clip) {
                if (surfaceId == primaryId && last != null && !videoEndListeners.isEmpty()) {
                    endedStreams.add(new EndedStream(last, dest, clip));
                }
            }

            @Override
            public void videoEnded() {
                Surface primary = surfaces.get(primaryId);
                if (primary != null && !videoEndListeners.isEmpty()) {
                    Surface held = primary.copy();
                    for (EndedStream e : endedStreams) {
                        held.putScaled(e.last(), new Rect(0, 0, e.last().width(), e.last().height()), e.dest(),
                                e.clip());
                    }
                    Frame picture = new Frame(held.width, held.height, held.px, marks);
                    for (Consumer<Frame> l : videoEndListeners) {
                        try {
                            l.accept(picture);
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, ctx.describe() + ": a video end listener failed", e);
                        }
                    }
                }
                endedStreams.clear();
            }
        });
        this.images = new ImageReader(surfaces::get, glzWindow, decoders::jpeg, decoders.lz4Blocks());
        // The codec preference goes first: QEMU 7.2's spice-server (0.15.1) can crash (SIGSEGV in its worker) when
        // the preference arrives while it already streams to this client, and streams start once init is in.
        preferVideoCodecs(ctx.session().options().preferredVideoCodecs());
        ctx.send(new DisplayMessages.Init(1, ImageReader.PIXMAP_CACHE_PIXELS, 1, GLZ_WINDOW));
        String preferred = ctx.session().options().preferredCompression();
        if (preferred != null && !preferred.isBlank()) {
            int code = DisplayMessages.compressionCode(preferred);
            if (code == 0) {
                LOG.log(Level.WARNING, ctx.describe() + ": not asking for unknown image compression '" + preferred
                        + "'");
            } else if (ctx.remoteChannelCaps().has(DisplayMessages.CAP_PREF_COMPRESSION)) {
                ctx.send(new DisplayMessages.PreferredCompression(code));
            } else {
                LOG.log(Level.WARNING, ctx.describe() + ": the server cannot be asked to prefer " + preferred
                        + " images (no PREF_COMPRESSION capability)");
            }
        }
    }

    /**
     * Sends PREFERRED_VIDEO_CODEC_TYPE when the user named codecs and the server takes the message. Codecs this
     * client cannot decode stay in the list (a server never picks a codec the client did not announce) but are
     * warned about, since asking for them is likely a mistake.
     */
    private void preferVideoCodecs(String names) {
        if (names == null || names.isBlank()) {
            return;
        }
        List<VideoCodec> codecs;
        try {
            codecs = VideoCodec.parseList(names);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, ctx.describe() + ": not asking for video codecs: " + e.getMessage());
            return;
        }
        if (!ctx.remoteChannelCaps().has(DisplayMessages.CAP_PREF_VIDEO_CODEC_TYPE)) {
            LOG.log(Level.WARNING, ctx.describe() + ": the server cannot be asked to prefer video codecs " + names
                    + " (no PREF_VIDEO_CODEC_TYPE capability)");
            return;
        }
        for (VideoCodec c : codecs) {
            if (!announced.contains(c)) {
                LOG.log(Level.WARNING, ctx.describe() + ": preferring video codec " + c.lowerName()
                        + ", which this client does not decode (not announced)");
            }
        }
        ctx.send(new DisplayMessages.PreferredVideoCodecType(codecs.stream().map(VideoCodec::wire).toList()));
    }

    @Override
    public synchronized void onMessage(int type, ByteBuf body) {
        try {
            dispatch(type, body);
        } catch (UnsupportedFeature e) {
            if (unsupported.add(e.getMessage())) {
                LOG.log(Level.WARNING, ctx.describe() + ": cannot render " + e.getMessage()
                        + " yet; the picture may differ from the server's");
            }
        }
    }

    private void dispatch(int type, ByteBuf body) {
        switch (type) {
            case DisplayMessages.SURFACE_CREATE -> {
                DisplayMessages.SurfaceCreate c = DisplayMessages.SurfaceCreate.decode(body);
                create(c);
                surfaceFormats.merge(DisplayMessages.surfaceFormatName(c.format()), 1L, Long::sum);
                LOG.log(Level.DEBUG, () -> ctx.describe() + ": surface " + c.surfaceId() + " " + c.width() + "x"
                        + c.height() + " " + DisplayMessages.surfaceFormatName(c.format())
                        + (c.primary() ? " (primary)" : ""));
            }
            case DisplayMessages.SURFACE_DESTROY -> {
                long id = DisplayMessages.SurfaceDestroy.decode(body).surfaceId();
                Surface gone = surfaces.remove(id);
                if (gone != null) {
                    surfacePixels -= gone.px.length;
                }
                if (id == primaryId) {
                    primaryId = -1;
                }
            }
            case DisplayMessages.MODE -> {
                Wire.need(body, 12, "mode");
                int w = body.readIntLE();
                int h = body.readIntLE();
                body.skipBytes(4);
                create(new DisplayMessages.SurfaceCreate(0, w, h, DisplayMessages.SURFACE_FMT_32_XRGB,
                        DisplayMessages.SURFACE_FLAG_PRIMARY));
            }
            case DisplayMessages.MONITORS_CONFIG -> monitorsConfig(DisplayMessages.MonitorsConfig.decode(body));
            case DisplayMessages.MARK -> {
                marks++;
                if (primaryId >= 0) {
                    complete.complete(this);
                }
            }
            case DisplayMessages.RESET -> {
                images.invalidateAllPalettes();
                streams.destroyAll();
            }
            case DisplayMessages.INVAL_LIST -> {
                int n = Wire.u16(body, "inval_list");
                Wire.need(body, 9L * n, "inval_list");
                for (int i = 0; i < n; i++) {
                    body.skipBytes(1);
                    images.invalidatePixmap(body.readLongLE());
                }
            }
            case DisplayMessages.INVAL_ALL_PIXMAPS -> {
                body.skipBytes(body.readableBytes()); // the wait list orders caches across channels; one channel here
                images.invalidateAllPixmaps();
            }
            case DisplayMessages.INVAL_PALETTE -> images.invalidatePalette(Wire.u64(body, "inval_palette"));
            case DisplayMessages.INVAL_ALL_PALETTES -> images.invalidateAllPalettes();
            case DisplayMessages.COPY_BITS -> {
                Base b = base(body);
                int sx = Wire.i32(body, "copy_bits");
                int sy = Wire.i32(body, "copy_bits");
                b.surface.copyBits(sx, sy, b.box, b.clip);
                changed(b);
            }
            case DisplayMessages.DRAW_FILL, DisplayMessages.DRAW_OPAQUE, DisplayMessages.DRAW_COPY,
                    DisplayMessages.DRAW_BLEND, DisplayMessages.DRAW_BLACKNESS, DisplayMessages.DRAW_WHITENESS,
                    DisplayMessages.DRAW_INVERS, DisplayMessages.DRAW_ROP3, DisplayMessages.DRAW_STROKE,
                    DisplayMessages.DRAW_TEXT, DisplayMessages.DRAW_TRANSPARENT, DisplayMessages.DRAW_ALPHA_BLEND,
                    DisplayMessages.DRAW_COMPOSITE -> draw(type, body);
            case DisplayMessages.STREAM_CREATE -> streamCreate(body);
            case DisplayMessages.STREAM_DATA, DisplayMessages.STREAM_DATA_SIZED -> streamData(type, body);
            case DisplayMessages.STREAM_CLIP -> {
                long id = Wire.u32(body, "stream_clip");
                streams.clip(id, clip(body));
            }
            case DisplayMessages.STREAM_DESTROY -> streams.destroy(Wire.u32(body, "stream_destroy"));
            case DisplayMessages.STREAM_DESTROY_ALL -> streams.destroyAll();
            case DisplayMessages.STREAM_ACTIVATE_REPORT ->
                streams.activateReport(DisplayMessages.StreamActivateReport.decode(body));
            case DisplayMessages.GL_SCANOUT_UNIX, DisplayMessages.GL_DRAW, DisplayMessages.QUALITY_INDICATOR ->
                throw new UnsupportedFeature("display message " + type);
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    private void create(DisplayMessages.SurfaceCreate c) {
        ImageLimits.check(c.width(), c.height(), "surface " + c.surfaceId());
        if (surfaces.size() >= DisplayMessages.MAX_SURFACES && !surfaces.containsKey(c.surfaceId())) {
            throw new SpiceProtocolException("more than " + DisplayMessages.MAX_SURFACES + " surfaces");
        }
        Surface old = surfaces.get(c.surfaceId());
        long total = surfacePixels - (old == null ? 0 : old.px.length) + (long) c.width() * c.height();
        if (total > MAX_SURFACE_PIXELS) {
            throw new SpiceProtocolException("surface " + c.surfaceId() + " of " + c.width() + "x" + c.height()
                    + " would make the surfaces hold " + total + " pixels, over " + MAX_SURFACE_PIXELS);
        }
        Surface s = new Surface(c.width(), c.height(), c.format());
        surfaces.put(c.surfaceId(), s);
        surfacePixels = total;
        if (c.primary()) {
            primaryId = c.surfaceId();
            lastChange = System.nanoTime();
            notifyChanged(s.bounds());
            if (marks > 0) {
                complete.complete(this);
            }
        }
    }

    /** DisplayBase: the target surface, the box drawn into and the clip. */
    private record Base(long surfaceId, Surface surface, Rect box, List<Rect> clip) {
    }

    private Base base(ByteBuf in) {
        long id = Wire.u32(in, "display base");
        Rect box = DisplayMessages.readRect(in, "display base box");
        List<Rect> clip = clip(in);
        Surface s = surfaces.get(id);
        if (s == null) {
            throw new SpiceProtocolException("draw on surface " + id + ", which does not exist");
        }
        return new Base(id, s, box, clip);
    }

    private static List<Rect> clip(ByteBuf in) {
        int type = Wire.u8(in, "clip");
        if (type == 0) {
            return null;
        }
        if (type != 1) {
            throw new SpiceProtocolException("unknown clip type " + type);
        }
        int n = Wire.count(in, DisplayMessages.MAX_CLIP_RECTS, "clip rects");
        Wire.need(in, 16L * n, "clip rects");
        List<Rect> rects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rects.add(DisplayMessages.readRect(in, "clip rect"));
        }
        return rects;
    }

    private void draw(int type, ByteBuf body) {
        int start = body.readerIndex();
        Base b = base(body);
        try {
            Draw d = DrawParser.parse(type, body, start, b.box, images);
            d.render(b.surface, Area.of(b.surface, b.box, b.clip), b.box);
        } finally {
            images.drawn();
        }
        changed(b);
    }

    private void streamCreate(ByteBuf body) {
        long surfaceId = Wire.u32(body, "stream_create");
        long id = Wire.u32(body, "stream_create");
        int flags = Wire.u8(body, "stream_create");
        int codec = Wire.u8(body, "stream_create");
        Wire.need(body, 24, "stream_create");
        body.skipBytes(24); // stamp, stream and source sizes: each frame carries its own size
        Rect dest = DisplayMessages.readRect(body, "stream dest");
        List<Rect> clip = clip(body);
        streams.create(surfaceId, id, flags, codec, dest, clip);
    }


    private void streamData(int type, ByteBuf body) {
        long id = Wire.u32(body, "stream_data");
        long time = Wire.u32(body, "stream_data time");
        Rect dest = null;
        if (type == DisplayMessages.STREAM_DATA_SIZED) {
            Wire.need(body, 8, "stream_data_sized");
            body.skipBytes(8); // the frame's width and height: the decoded frame says them
            dest = DisplayMessages.readRect(body, "stream_data_sized dest");
        }
        byte[] frame = ImageReader.data(body, "stream data");
        streamFrames++;
        streams.data(id, time, dest, frame);
    }

    private void changed(Base b) {
        if (b.surfaceId == primaryId) {
            // a draw after a stream ended is newer than the stream's last frame there (the upgrade spice-server
            // sends for a stream it times out comes before the stream's end, so it does not count here)
            if (!endedStreams.isEmpty()) {
                endedStreams.removeIf(e -> !e.dest().intersect(b.box).isEmpty());
            }
            lastChange = System.nanoTime();
            notifyChanged(b.box.intersect(b.surface.bounds()));
        }
    }

    private void notifyChanged(Rect area) {
        for (Consumer<Rect> l : listeners) {
            try {
                l.accept(area);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, ctx.describe() + ": a display change listener failed", e);
            }
        }
    }

    @Override
    public void addChangeListener(Consumer<Rect> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeChangeListener(Consumer<Rect> listener) {
        listeners.remove(listener);
    }

    @Override
    public void addVideoEndListener(Consumer<Frame> listener) {
        videoEndListeners.add(listener);
    }

    @Override
    public void removeVideoEndListener(Consumer<Frame> listener) {
        videoEndListeners.remove(listener);
    }

    @Override
    public synchronized Frame primary() {
        Surface s = surfaces.get(primaryId);
        return s == null ? null : new Frame(s.width, s.height, s.px.clone(), marks);
    }

    @Override
    public CompletableFuture<ClientDisplay> complete() {
        return complete;
    }

    /** The channel closed: video decoders are freed, and a wait for the complete picture fails. */
    @Override
    public void onClose() {
        synchronized (this) {
            streams.close();
        }
        complete.completeExceptionally(new IllegalStateException("the display channel closed before the picture"
                + " was complete"));
    }

    @Override
    public synchronized int marks() {
        return marks;
    }

    @Override
    public synchronized long lastChangeNanos() {
        return lastChange;
    }

    @Override
    public synchronized List<String> unsupported() {
        return List.copyOf(unsupported);
    }

    @Override
    public synchronized Map<String, Long> streamCodecs() {
        return streams.codecs();
    }

    @Override
    public synchronized List<String> liveStreamCodecs() {
        return streams.liveCodecs();
    }

    @Override
    public synchronized Map<String, Long> imageTypes() {
        return Map.copyOf(images.decoded);
    }

    @Override
    public synchronized Map<String, Long> surfaceFormats() {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(surfaceFormats));
    }

    @Override
    public synchronized long streamFrames() {
        return streamFrames;
    }

    @Override
    public synchronized void skipVideoDecoding() {
        streams.skipDecoding();
    }

    /**
     * Keeps the heads of a MONITORS_CONFIG as spice-gtk does: an empty one is ignored, and more heads than its
     * max_allowed (itself at least 1) are cut to that many, logged. Heads outside the surface are kept as they came
     * and clamped when read ({@link #heads()}), since the surface may change after them. Listeners hear of the
     * whole surface, so viewers look at the heads again.
     */
    private void monitorsConfig(DisplayMessages.MonitorsConfig m) {
        if (m.heads().isEmpty()) {
            LOG.log(Level.INFO, ctx.describe() + ": an empty monitors config, ignored");
            return;
        }
        int max = Math.max(1, m.maxAllowed());
        List<DisplayMessages.Head> kept = m.heads();
        if (kept.size() > max) {
            LOG.log(Level.WARNING, ctx.describe() + ": monitors config of " + kept.size() + " heads, more than its"
                    + " max_allowed " + m.maxAllowed() + "; keeping the first " + max);
            kept = kept.subList(0, max);
        }
        heads = List.copyOf(kept);
        Surface s = surfaces.get(primaryId);
        if (s != null) {
            for (DisplayMessages.Head h : heads) {
                if (h.width() != 0 && h.height() != 0 && area(h, s).isEmpty()) {
                    LOG.log(Level.WARNING, ctx.describe() + ": head " + h.monitorId() + " (" + Integer.toUnsignedString(
                            h.width()) + "x" + Integer.toUnsignedString(h.height()) + "+" + Integer.toUnsignedString(
                            h.x()) + "+" + Integer.toUnsignedString(h.y()) + ") is outside the " + s.width + "x"
                            + s.height + " surface; it shows nothing");
                }
            }
            notifyChanged(s.bounds());
        }
    }

    /**
     * The area of {@code s} head {@code h} shows: its rectangle (unsigned on the wire) clamped to the surface;
     * empty when it is disabled, on another surface or wholly outside.
     */
    private Rect area(DisplayMessages.Head h, Surface s) {
        long x = Integer.toUnsignedLong(h.x());
        long y = Integer.toUnsignedLong(h.y());
        long w = Integer.toUnsignedLong(h.width());
        long ht = Integer.toUnsignedLong(h.height());
        if (h.surfaceId() != primaryId || w == 0 || ht == 0 || x >= s.width || y >= s.height) {
            return new Rect(0, 0, 0, 0);
        }
        return new Rect((int) x, (int) y, (int) Math.min(w, s.width - x), (int) Math.min(ht, s.height - y));
    }

    @Override
    public synchronized List<Rect> heads() {
        Surface s = surfaces.get(primaryId);
        if (s == null) {
            return List.of();
        }
        if (heads.isEmpty()) {
            return List.of(s.bounds());
        }
        return heads.stream().map(h -> area(h, s)).toList();
    }
}
