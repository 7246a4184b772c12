package org.spice.display.internal.client;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.spice.desktop.Rect;
import org.spice.display.internal.codec.ImageLimits;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.raster.Surface;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoDecoder;
import org.spice.display.video.VideoPicture;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.wire.Wire;

/**
 * The video streams of one client display channel: decodes each frame in arrival order (later frames of H.264, VP8
 * and VP9 depend on earlier ones) and shows it when the session's multimedia clock reaches the frame's time. A frame
 * that arrives late is decoded but not shown; one that arrives early waits, a few at most per stream (frames are
 * always shown in their order). When the
 * server activates reports, it gets a STREAM_REPORT per window of frames. Once {@link #skipDecoding} was called,
 * frames are timed and reported the same way but neither decoded nor shown. Runs on the channel's thread, under the
 * channel's lock ({@link Target}).
 */
final class StreamPlayer {
    private static final System.Logger LOG = System.getLogger("org.spice.display");
    /** Frames waiting for their time, per stream; more are shown at once rather than queued. */
    static final int MAX_WAITING = 8;
    /** A frame this far ahead of the clock means the clock is not the stream's: it is shown at once. */
    static final long MAX_EARLY_MS = 3000;
    /**
     * After this many late frames in a row the clock is taken to run ahead of the stream (a server whose clock
     * differs) and late frames are shown anyway, so that a stream never freezes for good.
     */
    static final int MAX_LATE_IN_A_ROW = 10;
    /**
     * Arrays of pictures a stream no longer shows, kept for its next frames to be decoded into: a 1920x1080 frame's
     * array is 8 MB, which the JVM zeroes each time it allocates one (an eighth of a JPEG frame's decode).
     */
    static final int SPARE_ARRAYS = 2;
    /** SpiceMsgcDisplayStreamReport.audio_delay when no audio plays. */
    static final long NO_AUDIO_DELAY = 0xffffffffL;

    /** Where frames go: the channel, which owns surfaces and notifies viewers. */
    interface Target {
        Surface surface(long id);

        void shown(long surfaceId, Rect area);

        /** A stream stopped for a reason the picture suffers from (listed as not rendered). */
        void notRendered(String what);

        /** Runs {@code r} later under the channel's lock. */
        void later(Runnable r, long delayMs);

        /**
         * A stream ended; {@code last} is the newest frame it decoded (shown, or still waiting or late when the
         * stream ended: those are not painted), for {@code dest} within {@code clip}, or null when it had none.
         */
        void streamEnded(long surfaceId, Pixels last, Rect dest, List<Rect> clip);

        /** The last live stream ended (after its {@link #streamEnded}). */
        void videoEnded();
    }

    private final ClientChannelContext ctx;
    private final VideoDecoders decoders;
    private final Target target;
    private final Map<Long, Stream> streams = new HashMap<>();
    /** Streams per codec that showed a frame, in the order first met. */
    private final Map<String, Long> codecs = new LinkedHashMap<>();
    /** Frames are timed and reported, not decoded ({@link #skipDecoding}). */
    private boolean skipDecoding;

    StreamPlayer(ClientChannelContext ctx, VideoDecoders decoders, Target target) {
        this.ctx = ctx;
        this.decoders = decoders;
        this.target = target;
    }

    private record Waiting(long seq, long mmTime, Pixels picture, Rect dest) {
    }

    /** The last frame dropped as late: its bytes when not decoded (MJPEG), else its picture. */
    private record Dropped(long seq, byte[] frame, Pixels picture, Rect dest) {
    }

    private final class Stream {
        final long id;
        long surfaceId;
        VideoCodec codec;
        int codecWire;
        boolean topDown;
        Rect dest;
        List<Rect> clip;
        VideoDecoder decoder;
        /** Why the stream stopped decoding, or null while it plays. */
        String stopped;
        boolean counted;
        final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
        /** A wake-up for the waiting frames is scheduled (it finds the stream gone if destroyed meanwhile). */
        boolean wakeUpPending;
        int lateInARow;
        /** Frames that came, and the number of the last one shown. */
        long frames;
        long shownSeq;
        /** The last frame dropped as late, shown when the stream ends if no later one was shown. */
        Dropped dropped;
        /** The last frame shown, where and within what clip (for {@link Target#streamEnded}). */
        Pixels lastShown;
        Rect lastDest;
        List<Rect> lastClip;
        /**
         * Arrays of pictures no longer shown nor waiting, of the last picture's size, for the next frames to be
         * decoded into (at most {@link #SPARE_ARRAYS}); a stream's arrays are never reused once it ends, when its
         * last picture goes to {@link Target#streamEnded}.
         */
        final ArrayDeque<int[]> spare = new ArrayDeque<>();
        // reports
        boolean reporting;
        long uniqueId;
        long maxWindow;
        long timeoutMs;
        long windowStartMm;
        long windowEndMm;
        long windowStartNanos;
        long windowFrames;
        long windowDrops;
        int lastDelay;

        Stream(long id) {
            this.id = id;
        }

        void close() {
            if (decoder != null) {
                decoder.close();
                decoder = null;
            }
            waiting.clear();
            spare.clear();
        }

        /** Keeps {@code array}, which no picture of this stream holds any more, for a next frame of its size. */
        void spare(int[] array, int pixels) {
            if (array.length == pixels && spare.size() < SPARE_ARRAYS) {
                spare.add(array);
            }
        }
    }

    void create(long surfaceId, long id, int flags, int codecWire, Rect dest, List<Rect> clip) {
        if (id >= DisplayMessages.MAX_STREAMS) {
            throw new SpiceProtocolException("stream id " + id + " is outside [0, " + DisplayMessages.MAX_STREAMS
                    + ")");
        }
        Stream old = streams.remove(id);
        if (old != null) {
            old.close();
        }
        Stream s = new Stream(id);
        s.surfaceId = surfaceId;
        s.codecWire = codecWire;
        s.codec = VideoCodec.ofWire(codecWire);
        s.topDown = (flags & 1) != 0;
        s.dest = dest;
        s.clip = clip;
        streams.put(id, s);
        if (skipDecoding) {
            return;
        }
        if (s.codec == null || !decoders.codecs().contains(s.codec)) {
            String name = s.codec == null ? "video codec " + codecWire : "video codec " + s.codec.name();
            stop(s, name + " (not announced: this client decodes " + decoders.codecs() + ")");
            return;
        }
        try {
            s.decoder = decoders.open(s.codec);
        } catch (VideoCodecException e) {
            stop(s, "video stream " + id + " in " + s.codec + ": " + e.getMessage());
            return;
        }
        if (s.decoder == null) {
            stop(s, "video codec " + s.codec.name() + " (its decoder went away)");
        }
    }

    private void stop(Stream s, String why) {
        s.close();
        s.stopped = why;
        LOG.log(Level.WARNING, ctx.describe() + ": stream " + s.id + " not shown: " + why);
        target.notRendered(why);
    }

    private Stream stream(long id) {
        Stream s = streams.get(id);
        if (s == null) {
            throw new SpiceProtocolException("stream " + id + " was never created");
        }
        return s;
    }

    void clip(long id, List<Rect> clip) {
        stream(id).clip = clip;
    }

    void data(long id, long mmTime, Rect sizedDest, byte[] frame) {
        Stream s = stream(id);
        if (s.stopped != null) {
            return;
        }
        Rect dest = sizedDest != null ? sizedDest : s.dest;
        long seq = ++s.frames;
        long now = ctx.session().multiMediaTime();
        int delay = now < 0 ? 0 : (int) (mmTime - now); // uint32 clocks: the difference wraps into an int
        boolean late = delay < 0;
        boolean drop = late && s.lateInARow < MAX_LATE_IN_A_ROW;
        if (skipDecoding) {
            // what a decoding client would report: a late frame dropped, one in time shown
            s.lateInARow = drop ? s.lateInARow + 1 : late ? s.lateInARow : 0;
            report(s, mmTime, delay, drop);
            return;
        }
        if (drop && s.codec == VideoCodec.MJPEG) {
            // a late JPEG is not even decoded (each stands alone, and a client behind needs the time); it is kept
            // in case it is the stream's last
            s.lateInARow++;
            s.dropped = new Dropped(seq, frame, null, dest);
            report(s, mmTime, delay, true);
            return;
        }
        Pixels p = decode(s, frame);
        if (p == null) {
            return;
        }
        if (drop) {
            s.lateInARow++;
            s.dropped = new Dropped(seq, null, p, dest);
            report(s, mmTime, delay, true);
            return;
        }
        if (!late) {
            s.lateInARow = 0;
        }
        report(s, mmTime, delay, false);
        // Frames are shown in their order: one shown now first shows those still waiting, and a full queue shows
        // its oldest early, or an older frame would later cover a newer one (and stay when the video stops).
        if (delay <= 0 || delay > MAX_EARLY_MS) {
            showWaiting(s, Integer.MAX_VALUE);
            show(s, seq, p, dest);
            return;
        }
        showWaiting(s, s.waiting.size() - MAX_WAITING + 1);
        s.waiting.add(new Waiting(seq, mmTime, p, dest));
        if (!s.wakeUpPending) {
            schedule(s, delay);
        }
    }

    /** The picture of {@code frame}, top-down; null when the decoder has none yet or the stream stopped. */
    private Pixels decode(Stream s, byte[] frame) {
        VideoPicture pic;
        int[] into = s.spare.poll();
        try {
            pic = s.decoder.decode(frame, into);
            if (pic != null) {
                ImageLimits.check(pic.width(), pic.height(), "stream " + s.id + " frame");
            }
        } catch (VideoCodecException | SpiceProtocolException e) {
            if (s.codec == VideoCodec.MJPEG && e instanceof SpiceProtocolException p) {
                throw p; // a bad JPEG is a bad image: the channel closes, as for any image
            }
            stop(s, "video stream " + s.id + " in " + s.codec + " stopped: " + e.getMessage());
            return null;
        }
        if (pic == null) {
            if (into != null) {
                s.spare(into, into.length);
            }
            return null;
        }
        int pixels = pic.argb().length;
        if (into != null && into != pic.argb()) {
            s.spare(into, pixels); // not taken (the decoder cannot, or the size changed)
        }
        Pixels p = new Pixels(pic.width(), pic.height(), pic.argb());
        if (s.topDown) {
            return p;
        }
        Pixels flipped = flip(p);
        s.spare(p.argb(), pixels);
        return flipped;
    }

    /** Shows up to {@code n} of the oldest waiting frames of {@code s}, before their time. */
    private void showWaiting(Stream s, int n) {
        for (int i = 0; i < n && !s.waiting.isEmpty(); i++) {
            Waiting w = s.waiting.poll();
            show(s, w.seq(), w.picture(), w.dest());
        }
    }

    private void schedule(Stream s, long delayMs) {
        s.wakeUpPending = true;
        target.later(() -> due(s), Math.max(0, delayMs));
    }

    /** Shows the waiting frames whose time has come; waits again for the rest. */
    private void due(Stream s) {
        s.wakeUpPending = false;
        if (streams.get(s.id) != s) {
            return; // destroyed meanwhile
        }
        long now = ctx.session().multiMediaTime();
        while (!s.waiting.isEmpty()) {
            Waiting w = s.waiting.peek();
            int delay = now < 0 ? 0 : (int) (w.mmTime() - now);
            if (delay > 0) {
                schedule(s, delay);
                return;
            }
            s.waiting.poll();
            show(s, w.seq(), w.picture(), w.dest());
        }
    }

    private void show(Stream s, long seq, Pixels p, Rect dest) {
        s.shownSeq = seq;
        Surface surface = target.surface(s.surfaceId);
        if (surface == null) {
            throw new SpiceProtocolException("stream on surface " + s.surfaceId + ", which does not exist");
        }
        surface.putScaled(p, new Rect(0, 0, p.width(), p.height()), dest, s.clip);
        Pixels before = s.lastShown;
        s.lastShown = p;
        if (before != null && before.argb() != p.argb()) {
            // drawn over: nothing holds the picture shown before (the surface has its pixels), so its array is spare
            s.spare(before.argb(), p.argb().length);
        }
        s.lastDest = dest;
        s.lastClip = s.clip;
        count(s);
        target.shown(s.surfaceId, dest.intersect(surface.bounds()));
    }

    /** A stream counts for its codec once it gave a picture. */
    private void count(Stream s) {
        if (!s.counted) {
            s.counted = true;
            codecs.merge(s.codec.name(), 1L, Long::sum);
        }
    }

    private void report(Stream s, long mmTime, int delay, boolean dropped) {
        if (!s.reporting) {
            return;
        }
        if (s.windowFrames == 0) {
            s.windowStartMm = mmTime;
            s.windowStartNanos = System.nanoTime();
        }
        s.windowFrames++;
        if (dropped) {
            s.windowDrops++;
        }
        s.windowEndMm = mmTime;
        s.lastDelay = delay;
        if (s.windowFrames >= s.maxWindow
                || System.nanoTime() - s.windowStartNanos >= TimeUnit.MILLISECONDS.toNanos(s.timeoutMs)) {
            ctx.send(new DisplayMessages.StreamReport(s.id, s.uniqueId, s.windowStartMm, s.windowEndMm,
                    s.windowFrames, s.windowDrops, s.lastDelay, NO_AUDIO_DELAY));
            s.windowFrames = 0;
            s.windowDrops = 0;
        }
    }

    void activateReport(DisplayMessages.StreamActivateReport a) {
        Stream s = stream(a.streamId());
        if (a.maxWindowSize() == 0) {
            throw new SpiceProtocolException("stream_activate_report: a window of 0 frames");
        }
        s.reporting = true;
        s.uniqueId = a.uniqueId();
        s.maxWindow = a.maxWindowSize();
        s.timeoutMs = a.timeoutMs();
        s.windowFrames = 0;
        s.windowDrops = 0;
    }

    void destroy(long id) {
        Stream s = streams.remove(id);
        if (s != null) {
            // Frames still waiting and a late last frame are not painted, as spice-gtk drops them: spice-server
            // redraws a stopped stream's area losslessly before STREAM_DESTROY (ours right after it), and they would
            // paint over that redraw. The video end listener still gets the newest of them: the picture the video
            // left, which the redraw replaces.
            Pixels last = s.lastShown;
            Rect dest = s.lastDest;
            List<Rect> clip = s.lastClip;
            long seq = s.shownSeq;
            Waiting w = s.waiting.peekLast();
            if (w != null && w.seq() > seq) {
                last = w.picture();
                dest = w.dest();
                clip = s.clip;
                seq = w.seq();
            }
            Dropped d = s.dropped;
            if (d != null && d.seq() > seq && s.stopped == null) {
                Pixels p = d.picture() != null ? d.picture() : decode(s, d.frame());
                if (p != null) {
                    last = p;
                    dest = d.dest();
                    clip = s.clip;
                }
            }
            if (last != s.lastShown) {
                count(s);
            }
            target.streamEnded(s.surfaceId, last, dest, clip);
            s.close();
            if (streams.isEmpty()) {
                target.videoEnded();
            }
        }
    }

    void destroyAll() {
        for (Long id : List.copyOf(streams.keySet())) {
            destroy(id);
        }
    }

    /**
     * From now on frames are timed and reported but not decoded or shown (ClientDisplay.skipVideoDecoding): the
     * decoders of the streams playing now are freed, with the frames waiting for their time.
     */
    void skipDecoding() {
        skipDecoding = true;
        for (Stream s : streams.values()) {
            s.close();
            s.dropped = null;
        }
    }

    /** The channel closed: every decoder is freed. */
    void close() {
        streams.values().forEach(Stream::close);
        streams.clear();
    }

    Map<String, Long> codecs() {
        return Map.copyOf(codecs);
    }

    /** The codecs of the streams live now (created, not destroyed), each once, in the order of their stream ids. */
    List<String> liveCodecs() {
        return streams.values().stream().sorted(java.util.Comparator.comparingLong(s -> s.id))
                .map(s -> s.codec == null ? "video codec " + s.codecWire : s.codec.name()).distinct().toList();
    }

    private static Pixels flip(Pixels p) {
        int[] out = new int[p.argb().length];
        for (int y = 0; y < p.height(); y++) {
            System.arraycopy(p.argb(), y * p.width(), out, (p.height() - 1 - y) * p.width(), p.width());
        }
        return new Pixels(p.width(), p.height(), out);
    }
}
