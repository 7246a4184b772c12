package org.spice.runtime.interop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of a bundle {@link ServerSoakIT} drops into the soak's runtimes: 12 s after its start it allocates
 * one Netty buffer and never releases it, then collects garbage and allocates (and releases) small buffers for a while, which is when
 * Netty's leak detector finds the lost one and logs its LEAK report. Packed by the test, never shipped.
 */
public final class LeakingBundle implements BundleActivator {
    /** Long enough for the soak command to be listening for reports in its own JVM, which starts the bundle too. */
    private static final long LOSE_AFTER_MS = 12_000;
    private volatile boolean stopped;

    @Override
    public void start(BundleContext context) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(LOSE_AFTER_MS);
            } catch (InterruptedException e) {
                return;
            }
            ByteBufAllocator.DEFAULT.buffer(1024).writeInt(0x1eac); // lost: never released
            for (int i = 0; i < 600 && !stopped; i++) {
                System.gc();
                ByteBuf b = ByteBufAllocator.DEFAULT.buffer(16);
                b.release();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "leaking-bundle");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void stop(BundleContext context) {
        stopped = true;
    }
}
