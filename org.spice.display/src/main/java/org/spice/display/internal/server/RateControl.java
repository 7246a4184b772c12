package org.spice.display.internal.server;

import java.lang.System.Logger.Level;
import org.spice.desktop.Rect;

/**
 * How one client's video stream steers its bit rate: its STREAM_REPORTs and the ack window's verdict on each frame.
 * The rate itself is kept by the caller (a stream's own encoder, or the group of streams sharing one), so that a
 * member of a group can ask what its client wants of the group's rate (event loop of the client's channel).
 */
final class RateControl {
    /** One step of {@link #paced}: a second, long enough for the acks to follow a change. */
    static final long PACING_WINDOW_NANOS = 1_000_000_000L;

    private static final System.Logger LOG = System.getLogger("org.spice.display");

    private final Rect area;
    /** The stream and client, for the log. */
    private final String who;
    /** The pacing window of {@link #paced}: when it began (0: none yet), and what happened in it. */
    private long windowStart;
    private int windowFrames;
    private int windowHeld;
    /** When held-back frames last lowered the rate (0: never). */
    private long lastLowered;

    RateControl(Rect area, String who) {
        this.area = area;
        this.who = who;
    }

    /**
     * The rate after a STREAM_REPORT on a stream at {@code rate}: a window with drops or a frame that arrived late
     * lowers it by a quarter; a clean window with time to spare raises it by a tenth, unless this server is holding
     * frames back (the client's report cannot see those: what did arrive was in time): some held back in the current
     * pacing window, or the rate lowered for them within the last {@link #PACING_WINDOW_NANOS}.
     */
    long report(long rate, long frames, long drops, int lastFrameDelayMs, long nanoTime) {
        long r = rate;
        if (drops > 0 || lastFrameDelayMs < 0) {
            r = r * 3 / 4;
        } else if (frames > 0 && lastFrameDelayMs > 50 && windowHeld == 0
                && (lastLowered == 0 || nanoTime - lastLowered >= PACING_WINDOW_NANOS)) {
            r = r * 11 / 10;
        }
        return clamp(r);
    }

    /**
     * The rate after the ack window's verdict on a frame of a stream at {@code rate}, as spice-server lets its own
     * frame drops steer its encoders: {@code sent} false is an encoded or waiting frame the channel could not send
     * because the client had not acknowledged enough of what came before, which happens now and then after a burst (a
     * key frame) and all the time when the link (or the client) carries less than the stream needs. Once a window of
     * {@link #PACING_WINDOW_NANOS} has passed, a window in which more than a tenth of the frames were held back
     * lowers the rate by a quarter, for every client; for a client that sends no STREAM_REPORT (spice-html5, older
     * clients; {@code raise}) a window in which every frame went raises it by a tenth, as its reports would.
     */
    long paced(long rate, boolean sent, boolean raise, long nanoTime) {
        if (windowStart == 0) {
            windowStart = nanoTime;
        }
        windowFrames++;
        if (!sent) {
            windowHeld++;
        }
        if (nanoTime - windowStart < PACING_WINDOW_NANOS) {
            return rate;
        }
        long r = rate;
        if (windowHeld * 10 > windowFrames) {
            r = r * 3 / 4;
            lastLowered = nanoTime;
        } else if (windowHeld == 0 && raise) {
            r = r * 11 / 10;
        }
        int frames = windowFrames;
        int held = windowHeld;
        LOG.log(Level.TRACE, () -> who + ": " + held + " of " + frames + " frames held back by the ack window in the"
                + " last second");
        windowStart = nanoTime;
        windowFrames = 0;
        windowHeld = 0;
        return clamp(r);
    }

    private long clamp(long r) {
        return Math.max(StreamEncoder.MIN_BIT_RATE, Math.min(StreamEncoder.maxBitRate(area), r));
    }
}
