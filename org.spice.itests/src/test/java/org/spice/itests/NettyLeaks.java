package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Netty's leak detector inside the container: every buffer is tracked (the build runs the tests with
 * io.netty.leakDetection.level=PARANOID, targetRecords=0 so that tracking costs an allocation trace, not one per
 * access), and a buffer collected unreleased is reported as "LEAK:". Netty would log that through pax-logging;
 * {@link #watch()} routes Netty's logging to java.util.logging first, where this class listens, and proves with
 * a deliberate leak that it hears the detector.
 */
final class NettyLeaks extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.netty.util.ResourceLeakDetector");
    private final List<String> leaks = new CopyOnWriteArrayList<>();

    private NettyLeaks() {
        logger.addHandler(this);
    }

    /** Call before the SPICE engine allocates its first buffer in this framework. */
    static NettyLeaks watch() throws InterruptedException {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        NettyLeaks w = new NettyLeaks();
        leakOne();
        if (!w.collect(40)) {
            w.close();
            fail("Netty's leak detector did not report a deliberate leak: it logs elsewhere or is off");
        }
        w.leaks.clear();
        return w;
    }

    private static void leakOne() {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(8);
        b.writeLong(42);
    }

    /** Collects garbage and allocates (the detector reports on allocation) until a leak is reported. */
    private boolean collect(int rounds) throws InterruptedException {
        for (int i = 0; i < rounds && leaks.isEmpty(); i++) {
            System.gc();
            Thread.sleep(25);
            ByteBufAllocator.DEFAULT.buffer(8).release();
        }
        return !leaks.isEmpty();
    }

    /** Fails when the code under test leaked a buffer since {@link #watch()}. */
    void assertNoLeaks() throws InterruptedException {
        collect(8);
        assertEquals("Netty buffers leaked", List.of(), leaks.stream().map(l -> l.lines().limit(8)
                .collect(Collectors.joining("\n"))).collect(Collectors.toList()));
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getMessage() != null && r.getMessage().contains("LEAK")) {
            leaks.add(r.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
