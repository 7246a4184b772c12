package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.api.ClientDisplay;

/**
 * A display channel wants frames only when it would send them at once, and asks its source again when it caught
 * up: what lets a screen source skip captures no client would take (DisplaySource.Listener.wantsFrame).
 */
@org.junit.jupiter.api.extension.ExtendWith(org.spice.protocol.LeakCheck.class)
class FrameDemandTest {
    private static final int W = 320;
    private static final int H = 200;

    /**
     * A source that counts the display's asks and can hold the display's event loop in a flush: the channel reads
     * the source's heads there, and they wait for {@link #release} while {@link #hold} is armed.
     */
    private static final class HoldingSource extends AbstractDisplaySource {
        final AtomicInteger asked = new AtomicInteger();
        volatile CountDownLatch hold;
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HoldingSource() {
            super(new Frame(W, H, new int[W * H], 1));
        }

        @Override
        public void wanted() {
            asked.incrementAndGet();
        }

        @Override
        public List<Rect> heads() {
            if (hold != null) {
                held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.heads();
        }

        boolean wantsFrame() {
            return frameWanted();
        }

        void change(int colour) {
            int[] px = new int[W * H];
            java.util.Arrays.fill(px, colour);
            Frame f = frame();
            show(new Frame(W, H, px, f.serial() + 1), new Rect(0, 0, W, H));
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void aChannelWantsFramesOnlyWhenItHasSentWhatItWasToldAndThenAsks() throws Exception {
        HoldingSource source = new HoldingSource();
        try (DisplayLink link = DisplayLink.open(source, new TestConfig("service:held", "off", "off"))) {
            ClientDisplay d = link.display();
            assertNotNull(d, "the first picture");
            wantsFramesOnlyWhenCaughtUp(source, d);
        }
    }

    private static void wantsFramesOnlyWhenCaughtUp(HoldingSource source, ClientDisplay d) throws InterruptedException {
        await(source::wantsFrame, "a channel that sent its first picture wants frames");
        assertTrue(source.asked.get() > 0, "it asked its source when it caught up");

        source.hold = new CountDownLatch(1);
        source.change(0x336699); // the channel's event loop takes it and waits in the flush
        assertTrue(source.held.await(10, TimeUnit.SECONDS), "the flush of the change reached the source");
        int asked = source.asked.get();
        assertFalse(source.wantsFrame(), "a channel still sending a change wants no frame");
        source.change(0x669933); // told while the first is still being sent: waits for the event loop
        assertFalse(source.wantsFrame());
        source.hold = null;
        source.release.countDown();
        await(source::wantsFrame, "the channel wants frames again once both changes are sent");
        assertTrue(source.asked.get() > asked, "and asked its source for the frame it skipped");
        await(() -> (d.primary().rgb()[0] & 0xffffff) == 0x669933, "the last change drawn");
    }
}
