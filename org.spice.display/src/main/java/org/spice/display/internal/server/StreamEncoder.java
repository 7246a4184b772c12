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
final class StreamEncoder {
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
    /** The pacing window of {@link #paced}: when it began (0: none yet), and what happened in it. */
    private long windowStart;
    private int windowFrames;
    private int windowHeld;
    /** When held-back frames last lowered the rate (0: never). */
    private long lastLowered;

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
    }

    /** A new frame of the stream (event loop). */
    void offer(Frame f, long mmTime) {
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

    long bitRate() {
        return bitRate;
    }

    /**
     * Follows a STREAM_REPORT: a window with drops or a frame that arrived late lowers the rate by a quarter; a
     * clean window with time to spare raises it by a tenth, unless this server is holding frames back (the client's
     * report cannot see those: what did arrive was in time): some held back in the current pacing window, or the
     * rate lowered for them within the last {@link #PACING_WINDOW_NANOS}.
     */
    void report(long frames, long drops, int lastFrameDelayMs, long nanoTime) {
        long r = bitRate;
        if (drops > 0 || lastFrameDelayMs < 0) {
            r = r * 3 / 4;
        } else if (frames > 0 && lastFrameDelayMs > 50 && windowHeld == 0
                && (lastLowered == 0 || nanoTime - lastLowered >= PACING_WINDOW_NANOS)) {
            r = r * 11 / 10;
        }
        bitRate = Math.max(MIN_BIT_RATE, Math.min(maxBitRate(area), r));
    }

    /** One step of {@link #paced}: a second, long enough for the acks to follow a change. */
    static final long PACING_WINDOW_NANOS = 1_000_000_000L;

    /**
     * The ack window's verdict on each frame, as spice-server lets its own frame drops steer its encoders: {@code
     * sent} false is an encoded or waiting frame the channel could not send because the client had not acknowledged
     * enough of what came before, which happens now and then after a burst (a key frame) and all the time when the
     * link (or the client) carries less than the stream needs. Once a window of {@link #PACING_WINDOW_NANOS} has
     * passed, a window in which more than a tenth of the frames were held back lowers the rate by a quarter, for every
     * client; for a client that sends no STREAM_REPORT (spice-html5, older clients; {@code raise}) a window in which
     * every frame went raises it by a tenth, as its reports would (event loop).
     */
    void paced(boolean sent, boolean raise, long nanoTime) {
        if (windowStart == 0) {
            windowStart = nanoTime;
        }
        windowFrames++;
        if (!sent) {
            windowHeld++;
        }
        if (nanoTime - windowStart >= PACING_WINDOW_NANOS) {
            long r = bitRate;
            if (windowHeld * 10 > windowFrames) {
                r = r * 3 / 4;
                lastLowered = nanoTime;
            } else if (windowHeld == 0 && raise) {
                r = r * 11 / 10;
            }
            bitRate = Math.max(MIN_BIT_RATE, Math.min(maxBitRate(area), r));
            int frames = windowFrames;
            int held = windowHeld;
            LOG.log(Level.TRACE, () -> who + ": " + held + " of " + frames + " frames held back by the ack window"
                    + " in the last second");
            windowStart = nanoTime;
            windowFrames = 0;
            windowHeld = 0;
        }
    }

    /**
     * Ends the stream (event loop). The native encoder is freed now, or when the frame it encodes is done: the
     * event loop never waits for an encode.
     */
    void close() {
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
