package org.spice.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose code leaked a Netty buffer: Netty's detector (PARANOID in every test JVM) logs
 * "LEAK:" when it finds a buffer collected without release; this turns that log line into a failure.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    private LogCapture capture;

    @Override
    public void beforeAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        capture = new LogCapture("io.netty.util.ResourceLeakDetector");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(50);
                // The detector reports on allocation, so allocate to make it look.
                ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
                b.release();
            }
            List<String> leaks = capture.lines().stream().filter(l -> l.contains("LEAK")).toList();
            assertEquals(List.of(), leaks, "Netty buffers leaked");
        } finally {
            capture.close();
        }
    }
}
