package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.internal.client.DisplayClientFactory;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;

/** The server's model of a client's pixmap cache, and a client that gets images from its cache. */
@ExtendWith(LeakCheck.class)
class PixmapCacheTest {
    @Test
    void keysFollowContentNotPosition() {
        int[] px = new int[200 * 100];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 200) < 100 ? i % 7 * 0x010203 : (i - 100) % 7 * 0x010203;
        }
        // the left and right halves hold the same pixels
        assertEquals(PixmapCache.key(px, 0, 200, 100, 100), PixmapCache.key(px, 100, 200, 100, 100));
        assertNotEquals(PixmapCache.key(px, 0, 200, 100, 100), PixmapCache.key(px, 1, 200, 100, 100));
        assertNotEquals(PixmapCache.key(px, 0, 200, 100, 50), PixmapCache.key(px, 0, 200, 50, 100));
        int[] alpha = px.clone();
        alpha[0] |= 0x7f000000;
        assertEquals(PixmapCache.key(px, 0, 200, 100, 100), PixmapCache.key(alpha, 0, 200, 100, 100),
                "the unused top byte does not count");
    }

    @Test
    void leastRecentlyUsedLeaveFirstAndAreReported() {
        PixmapCache c = new PixmapCache(3000);
        PixmapCache.Key a = new PixmapCache.Key(32, 32, 1, 1);
        PixmapCache.Key b = new PixmapCache.Key(32, 32, 2, 2);
        PixmapCache.Key d = new PixmapCache.Key(32, 32, 3, 3);
        long ia = c.add(a);
        long ib = c.add(b);
        assertEquals(List.of(), c.drainEvicted());
        assertEquals(ia, c.lookup(a)); // a is now the most recent
        c.add(d); // 3072 > 3000: b leaves
        assertEquals(List.of(ib), c.drainEvicted());
        assertEquals(List.of(), c.drainEvicted());
        assertEquals(-1, c.lookup(b));
        assertEquals(ia, c.lookup(a));
        assertEquals(2, c.size());
        assertEquals(2048, c.used());
        assertTrue(c.eligible(32, 32));
        assertTrue(!c.eligible(31, 32), "too small to be worth it");
        assertTrue(!new PixmapCache(1500).eligible(40, 40), "larger than the cache");
    }

    @Test
    void theSameContentGoesFromTheCacheAndEvictionsAreListed() {
        ImageEncoders e = new ImageEncoders(ImageCompression.LZ);
        e.clientInit(0, 2 * 320 * 240);
        Frame f = ImageEncodersTest.frame();
        SpiceImage first = e.encode(f, new Rect(0, 0, 320, 240));
        assertEquals(SpiceImage.FLAG_CACHE_ME, first.flags());
        assertTrue(first.id() > 0);
        SpiceImage again = e.encode(f, new Rect(0, 0, 320, 240));
        assertEquals(SpiceImage.TYPE_FROM_CACHE, again.type());
        assertEquals(first.id(), again.id());
        SpiceImage other = e.encode(f, new Rect(320, 0, 320, 240));
        assertEquals(SpiceImage.TYPE_LZ_RGB, other.type());
        assertEquals(List.of(), e.drainEvicted());
        SpiceImage third = e.encode(f, new Rect(100, 100, 320, 240));
        assertEquals(List.of(first.id()), e.drainEvicted(), "the least recently used left");
        assertEquals(SpiceImage.FLAG_CACHE_ME, third.flags());
        // small images are not cached; no init, no cache
        assertEquals(0, e.encode(f, new Rect(0, 0, 30, 30)).flags());
        ImageEncoders none = new ImageEncoders(ImageCompression.LZ);
        assertEquals(0, none.encode(f, new Rect(0, 0, 320, 240)).flags());
        assertEquals(0, none.encode(f, new Rect(0, 0, 320, 240)).flags());
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    /** A 640x480 picture whose 200x100 box at (50, 60) blinks between two contents on {@link #blink}. */
    static final class BlinkSource implements DisplaySource {
        static final Rect BOX = new Rect(50, 60, 200, 100);
        private final List<Listener> listeners = new CopyOnWriteArrayList<>();
        private final Frame[] frames = new Frame[2];
        private volatile int shown;

        BlinkSource() {
            for (int k = 0; k < 2; k++) {
                int[] rgb = ImageEncodersTest.frame().rgb().clone();
                for (int y = BOX.y(); y < BOX.bottom(); y++) {
                    for (int x = BOX.x(); x < BOX.right(); x++) {
                        rgb[y * 640 + x] = k == 0 ? 0x2050a0 + x : ((x / 7 + y / 5) % 2 == 0 ? 0xffffff : 0x101010);
                    }
                }
                frames[k] = new Frame(640, 480, rgb, k + 1);
            }
        }

        void blink() {
            shown ^= 1;
            for (Listener l : listeners) {
                l.changed(frames[shown], BOX);
            }
        }

        public Frame frame() {
            return frames[shown];
        }

        public void addListener(Listener l) {
            listeners.add(l);
        }

        public void removeListener(Listener l) {
            listeners.remove(l);
        }
    }

    /**
     * A box that blinks between two pictures: from the third change on, its images come from our client's cache
     * (FROM_CACHE), and the client's picture stays exact.
     */
    @Test
    void ourClientDrawsImagesFromItsCache() throws Exception {
        List<String> summaries = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger("org.spice.display");
        Handler h = new Handler() {
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains(": sent ")) {
                    summaries.add(r.getMessage());
                }
            }

            public void flush() {
            }

            public void close() {
            }
        };
        h.setLevel(Level.ALL);
        Level before = log.getLevel();
        log.setLevel(Level.ALL);
        log.addHandler(h);
        try (ServerEngine server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0),
                null, null, Set.of(), null, "cache", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start()) {
            BlinkSource blink = new BlinkSource();
            server.addFactory(new DisplayServerFactory(new TestConfig("demo", "glz", "off"), blink));
            DisplayClientFactory displays = new DisplayClientFactory();
            try (ClientEngine client = new ClientEngine(t -> t == ChannelType.DISPLAY ? displays : null)) {
                ClientSession s = client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow()
                        .getPort(), -1, null), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
                waitFor(() -> displays.display(s, 0) != null && displays.display(s, 0).marks() > 0, "no mark");
                for (int i = 0; i < 8; i++) {
                    blink.blink();
                    Frame want = blink.frame();
                    waitFor(() -> java.util.Arrays.equals(opaque(displays.display(s, 0).primary()), opaque(want)),
                            "change " + i + ": the client's picture differs");
                }
                assertEquals(List.of(), displays.display(s, 0).unsupported());
            }
            waitFor(() -> !summaries.isEmpty(), "no summary logged at close");
            String sent = summaries.get(0);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) FROM_CACHE").matcher(sent);
            assertTrue(m.find() && Integer.parseInt(m.group(1)) == 6, sent);
        } finally {
            log.removeHandler(h);
            log.setLevel(before);
        }
    }

    private static int[] opaque(Frame f) {
        int[] out = f.rgb().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xffffff;
        }
        return out;
    }
}
