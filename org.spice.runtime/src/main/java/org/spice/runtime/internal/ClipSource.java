package org.spice.runtime.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;

/**
 * The video test floppy's clip ({@link VgaRamp}, or its noisy variant) as a display source, on the floppy's schedule
 * from {@link #start}: black for {@link VgaRamp#STILL} frame times, then cycles of {@code moving} frames that move and
 * {@link VgaRamp#HOLD} held still. The frame shown follows the clock (late ticks skip frames), so frame t is due at a known
 * time and a client's lag reads off the frame it shows.
 */
final class ClipSource extends AbstractDisplaySource implements AutoCloseable {
    private final int moving;
    private final boolean noisy;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spice-bench-clip");
        t.setDaemon(true);
        return t;
    });
    private long start;
    private int shown = -1;
    private long serial;

    ClipSource(int moving, boolean noisy) {
        super(new Frame(VgaRamp.WIDTH, VgaRamp.HEIGHT, new int[VgaRamp.WIDTH * VgaRamp.HEIGHT], 0));
        this.moving = moving;
        this.noisy = noisy;
    }

    boolean noisy() {
        return noisy;
    }

    /** Starts the clip now. */
    void start() {
        start = System.nanoTime();
        timer.scheduleAtFixedRate(this::tick, 0, 5, TimeUnit.MILLISECONDS);
    }

    /** The frame (t) due {@code nanos} after the start, or -1 while the screen is black. */
    int frameAt(long nanos) {
        long k = nanos / VgaRamp.FRAME_NANOS - VgaRamp.STILL;
        if (k < 0) {
            return -1;
        }
        long cycle = k / (moving + VgaRamp.HOLD);
        long step = Math.min(k % (moving + VgaRamp.HOLD), moving - 1);
        return (int) (cycle * moving + step);
    }

    /** Nanoseconds since the start. */
    long elapsed() {
        return System.nanoTime() - start;
    }

    private void tick() {
        int t = frameAt(elapsed());
        if (t < 0 || t == shown) {
            return;
        }
        shown = t;
        int[] rgb = new int[VgaRamp.WIDTH * VgaRamp.HEIGHT];
        VgaRamp.draw(t % VgaRamp.PERIOD, noisy, rgb);
        show(new Frame(VgaRamp.WIDTH, VgaRamp.HEIGHT, rgb, ++serial), new Rect(0, 0, VgaRamp.WIDTH, VgaRamp.HEIGHT));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
