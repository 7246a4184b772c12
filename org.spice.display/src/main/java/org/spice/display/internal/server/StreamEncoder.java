package org.spice.display.internal.server;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.video.VideoEncoder;

/**
 * Encodes one stream's frames on the worker pool, one at a time: while a frame encodes, only the newest frame that
 * arrives waits (the one it replaces is dropped), so a slow encoder or client never builds a queue. Encoded frames
 * go to {@code sink} on the channel's event loop; everything here else runs there too.
 */
final class StreamEncoder implements VideoStream {
    private static final System.Logger LOG = System.getLogger("org.spice.display");
    /** Bit rates a stream moves between as the client's reports say (bits a second). */
    static final long MIN_BIT_RATE = 200_000;
    static final long MAX_BIT_RATE = 40_000_000;

    /**
     * The most a stream of {@code area} is given: a bit per pixel per frame at 25 frames a second, within the bounds
     * above. More buys a picture nothing, and openh264 refuses every frame of a small stream opened at a rate far
     * beyond its size's H.264 level.
     */
    static long maxBitRate(Rect area) {
        return Math.max(MIN_BIT_RATE, Math.min(MAX_BIT_RATE, (long) area.width() * area.height() * 25));
    }

    record Encoded(long mmTime, byte[] data) {
    }

    private final VideoEncoder encoder;
    /** Where frames other streams encoded too come from (MJPEG), or null: this stream's encoder is its own. */
    private final SharedFrames shared;
    private final Rect area;
    private final Executor pool;
    private final Executor loop;
    private final Consumer<Encoded> sink;
    private final String who;
    private boolean busy;
    private Frame waiting;
    private long waitingMm;
    private volatile boolean closed;
    private boolean encoderClosed;
    private volatile long bitRate;
    private long appliedBitRate;
    long dropped;
    /** Frames the encoder failed (worker thread). */
    private int failures;
    private final RateControl rate;

    StreamEncoder(VideoEncoder encoder, Rect area, long bitRate, Executor pool, Executor loop,
            Consumer<Encoded> sink, String who) {
        this(encoder, null, area, bitRate, pool, loop, sink, who);
    }

    /**
     * With {@code shared}, a frame is encoded once for every stream of {@code shared} that shows the same area of it
     * (for an encoder whose output depends on the pixels alone).
     */
    StreamEncoder(VideoEncoder encoder, SharedFrames shared, Rect area, long bitRate, Executor pool, Executor loop,
            Consumer<Encoded> sink, String who) {
        this.encoder = encoder;
        this.shared = shared;
        this.area = area;
        this.bitRate = bitRate;
        this.appliedBitRate = bitRate;
        this.pool = pool;
        this.loop = loop;
        this.sink = sink;
        this.who = who;
        this.rate = new RateControl(area, who);
    }

    /** A new frame of the stream (event loop). */
    @Override
    public void offer(Frame f, long mmTime) {
        if (closed) {
            return;
        }
        if (busy) {
            if (waiting != null) {
                dropped++;
            }
            waiting = f;
            waitingMm = mmTime;
            return;
        }
        start(f, mmTime);
    }

    private void start(Frame f, long mmTime) {
        busy = true;
        try {
            pool.execute(() -> encode(f, mmTime));
        } catch (RejectedExecutionException e) {
            busy = false;
            dropped++; // every encoding thread is taken and the queue is full: this frame is late anyway
        }
    }

    /** Worker thread. */
    private void encode(Frame f, long mmTime) {
        byte[] data = null;
        try {
            synchronized (encoder) {
                if (closed) {
                    return;
                }
                long target = bitRate;
                if (target != appliedBitRate) {
                    encoder.bitRate(target);
                    long before = appliedBitRate;
                    appliedBitRate = target;
                    LOG.log(Level.DEBUG, () -> who + ": stream bit rate " + before / 1000 + " -> " + target / 1000
                            + " kbit/s");
                }
                int offset = area.y() * f.width() + area.x();
                data = shared == null ? encoder.encode(f.rgb(), offset, f.width())
                        : shared.encode(f, area, () -> encoder.encode(f.rgb(), offset, f.width()));
            }
        } catch (RuntimeException e) {
            // Once a stream, not 25 times a second: an encoder that fails usually fails every frame after.
            failures++;
            LOG.log(failures == 1 ? Level.WARNING : Level.DEBUG, who + ": encoding a video frame failed"
                    + (failures == 1 ? "" : " (" + failures + " so far)") + ": " + e);
        } finally {
            byte[] out = data;
            try {
                loop.execute(() -> done(mmTime, out));
            } catch (RejectedExecutionException channelGone) {
                // the channel's loop has ended: nothing to send to
            }
        }
    }

    private void done(long mmTime, byte[] data) {
        busy = false;
        if (closed) {
            closeEncoder();
            return;
        }
        if (data != null && data.length > 0) {
            sink.accept(new Encoded(mmTime, data));
        }
        if (waiting != null) {
            Frame f = waiting;
            waiting = null;
            start(f, waitingMm);
        }
    }

    @Override
    public long bitRate() {
        return bitRate;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    /** Follows a STREAM_REPORT ({@link RateControl#report}). */
    @Override
    public void report(long frames, long drops, int lastFrameDelayMs, long nanoTime) {
        bitRate = rate.report(bitRate, frames, drops, lastFrameDelayMs, nanoTime);
    }

    /** The ack window's verdict on a frame ({@link RateControl#paced}). */
    @Override
    public void paced(boolean sent, boolean raise, long nanoTime) {
        bitRate = rate.paced(bitRate, sent, raise, nanoTime);
    }

    /** A frame this stream's own encoder made that the client could not take: later frames refer to it anyway. */
    @Override
    public void missed() {
    }

    /**
     * Ends the stream (event loop). The native encoder is freed now, or when the frame it encodes is done: the
     * event loop never waits for an encode.
     */
    @Override
    public void close() {
        closed = true;
        waiting = null;
        if (!busy) {
            closeEncoder();
        }
    }

    private void closeEncoder() {
        if (!encoderClosed) {
            encoderClosed = true;
            synchronized (encoder) {
                encoder.close();
            }
        }
    }
}
