package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.api.ClientDisplay;

/**
 * A window-sized change (the demo's 352 x 240 video window) reaches a client in one draw, so that a client never
 * shows one frame's top over the previous frame's bottom (a screen source capturing such a client saw torn frames).
 */
@org.junit.jupiter.api.extension.ExtendWith(org.spice.protocol.LeakCheck.class)
class WindowChangeTest {
    private static final int W = 1024;
    private static final int H = 768;
    private static final Rect VIDEO = new Rect(610, 100, 352, 240);

    /** A black desktop that publishes one changed video window when told. */
    private static final class VideoSource extends AbstractDisplaySource {
        VideoSource() {
            super(new Frame(W, H, new int[W * H], 1));
        }

        void playFrame() {
            Frame current = frame();
            int[] px = current.rgb().clone();
            for (int y = VIDEO.y(); y < VIDEO.y() + VIDEO.height(); y++) {
                for (int x = VIDEO.x(); x < VIDEO.x() + VIDEO.width(); x++) {
                    px[y * W + x] = (x * 7 + y * 13) & 0xffffff; // noise-like: no run compresses it away
                }
            }
            show(new Frame(W, H, px, current.serial() + 1), VIDEO);
        }
    }

    @Test
    void aVideoWindowsChangeGoesInOneDraw() throws Exception {
        VideoSource source = new VideoSource();
        try (DisplayLink link = DisplayLink.open(source, new TestConfig("service:video", "off", "off"))) {
            ClientDisplay d = link.display();
            assertNotNull(d, "the first picture");
            assertOneDraw(source, d);
        }
    }

    private static void assertOneDraw(VideoSource source, ClientDisplay d) throws InterruptedException {
        List<Rect> draws = new CopyOnWriteArrayList<>();
        d.addChangeListener(draws::add);
        source.playFrame();
        for (int i = 0; i < 500 && draws.stream().mapToLong(r -> (long) r.width() * r.height()).sum()
                < (long) VIDEO.width() * VIDEO.height(); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of(VIDEO), draws, "the draws that brought the video window's change");
    }
}
