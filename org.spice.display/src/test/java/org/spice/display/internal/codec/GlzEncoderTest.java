package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GLZ encoder to {@link GlzDecoder}, bit-exact: single images of every kind and edge size, and sessions of images
 * through one encoder and one client window, checked also against a model of spice-gtk's window (image slots by
 * id, the tail gap, release by win_head_dist), which waits forever for an image it released.
 */
class GlzEncoderTest {
    static Stream<Arguments> cases() {
        int[][] sizes = { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 3, 3 }, { 13, 11 }, { 257, 3 }, { 640, 37 },
            { 4097, 2 } };
        Stream.Builder<Arguments> b = Stream.builder();
        for (int type : new int[] { LzFormat.RGB32, LzFormat.RGBA }) {
            for (int[] s : sizes) {
                for (String kind : TestPictures.KINDS) {
                    b.add(Arguments.of(type, s[0], s[1], kind));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1}x{2} {3}")
    @MethodSource("cases")
    void oneImageRoundTrips(int type, int width, int height, String kind) {
        int[] src = TestPictures.picture(kind, width, height, width * 17L + height + type);
        GlzEncoder enc = new GlzEncoder(1 << 20);
        byte[] glz = enc.encode(type, width, height, src, 0, width);
        Pixels p = new GlzDecoder(new GlzWindow()).decode(glz, 0, glz.length, null);
        assertArrayEquals(LzEncoderTest.expected(type, src), p.argb());
    }

    /**
     * A scrolling window: each image repeats most of the one before, shifted; GLZ copies across images, so that
     * it sends a fraction of what LZ sends: a quarter for a photo, half for periodic text (where a key of pixels
     * recurs all over the last image). The desktop, flat and periodic, costs LZ little already: there GLZ may
     * lose a little (its references take three bytes where LZ's take two), but not much.
     */
    @ParameterizedTest
    @ValueSource(strings = { "text", "photo", "desktop" })
    void aSessionCopiesFromEarlierImages(String kind) {
        int w = 400;
        int h = 300;
        int[] page = TestPictures.picture(kind, w, h * 4, 1);
        GlzEncoder enc = new GlzEncoder(1 << 20);
        GlzDecoder dec = new GlzDecoder(new GlzWindow(1 << 20));
        SpiceGtkWindow gtk = new SpiceGtkWindow();
        long glzBytes = 0;
        long lzBytes = 0;
        for (int step = 0; step < 20; step++) {
            int offset = step * 37 * w; // scroll by 37 rows
            byte[] glz = enc.encodeRgb32(w, h, page, offset, w);
            Pixels p = dec.decode(glz, 0, glz.length, null);
            assertArrayEquals(LzEncoderTest.expected(LzFormat.RGB32, TestPictures.crop(page, w, 0, step * 37, w, h)),
                    p.argb(), "image " + step);
            gtk.decode(glz);
            if (step > 0) {
                glzBytes += glz.length;
                lzBytes += LzEncoder.encodeRgb32(w, h, page, offset, w).length;
            }
        }
        double ratio = glzBytes / (double) lzBytes;
        double most = switch (kind) {
            case "photo" -> 0.25;
            case "text" -> 0.5;
            default -> 1.5;
        };
        assertTrue(ratio < most, "GLZ " + glzBytes + " bytes, LZ " + lzBytes + " bytes: too few cross-image copies");
        assertTrue(gtk.crossImageReferences > 0);
    }

    /**
     * The window's table is as small as the window's content allows and grows with it: small images cost a client
     * 12 KiB (slots and their first units), not the 3 MiB of a full table. Images that repeat one another across the
     * growth (the table filled again from the window) still copy from each other, and every image decodes.
     */
    @Test
    void theTableGrowsWithTheWindowAndCrossImageCopiesSurviveIt() {
        int w = 200;
        int[] page = TestPictures.picture("text", w, 2000, 5);
        GlzEncoder enc = new GlzEncoder(1 << 22);
        GlzDecoder dec = new GlzDecoder(new GlzWindow(1 << 22));
        SpiceGtkWindow gtk = new SpiceGtkWindow();
        assertEquals(0, enc.tableSlots(), "no table before the first image");
        byte[] small = enc.encodeRgb32(20, 10, page, 0, w);
        assertArrayEquals(LzEncoderTest.expected(LzFormat.RGB32, TestPictures.crop(page, w, 0, 0, 20, 10)),
                dec.decode(small, 0, small.length, null).argb());
        assertEquals(1 << 10, enc.tableSlots(), "1024 slots for a window of 200 pixels");
        int before = gtk.crossImageReferences;
        gtk.decode(small);
        for (int step = 0; step < 12; step++) {
            int rows = 100 + 40 * step;
            int y = step * 20; // each image overlaps the one before
            byte[] glz = enc.encodeRgb32(w, rows, page, y * w, w);
            assertArrayEquals(LzEncoderTest.expected(LzFormat.RGB32, TestPictures.crop(page, w, 0, y, w, rows)),
                    dec.decode(glz, 0, glz.length, null).argb(), "image " + step);
            gtk.decode(glz);
        }
        assertTrue(enc.tableSlots() > 1 << 14 && enc.tableSlots() <= 1 << 18, enc.tableSlots() + " slots");
        assertTrue(gtk.crossImageReferences > before + 10, gtk.crossImageReferences + " cross-image references");
    }

    /**
     * An image the window keeps no copy of takes its id and decodes; the same pixels again are not copied from it,
     * and that image's head distance lets the client drop it (while an image kept is copied from and stays).
     */
    @Test
    void anImageNotKeptTakesItsPlaceButNothingCopiesFromIt() {
        int w = 300;
        int h = 200;
        int[] screen = TestPictures.picture("text", w, h, 9);
        GlzEncoder enc = new GlzEncoder(1 << 20);
        GlzDecoder dec = new GlzDecoder(new GlzWindow(1 << 20));
        SpiceGtkWindow gtk = new SpiceGtkWindow();
        byte[] first = enc.encodeRgb32(w, h, screen, 0, w, false);
        assertEquals(0, enc.keptPixels());
        assertEquals(0, enc.tableSlots(), "no table for an image nothing copies from");
        assertArrayEquals(LzEncoderTest.expected(LzFormat.RGB32, screen), dec.decode(first, 0, first.length, null)
                .argb());
        gtk.decode(first);
        byte[] again = enc.encodeRgb32(w, h, screen, 0, w);
        Header hd = Header.of(again);
        assertEquals(1, hd.id);
        assertEquals(0, hd.headDist, "the image not kept left the window");
        assertEquals(List.of(), imageDistances(again, w * h), "nothing copied from the image not kept");
        assertArrayEquals(LzEncoderTest.expected(LzFormat.RGB32, screen), dec.decode(again, 0, again.length, null)
                .argb());
        assertEquals((long) w * h, dec.window().storedPixels(), "our client let the first image go");
        gtk.decode(again);
        assertEquals((long) w * h, enc.keptPixels());
        byte[] third = enc.encodeRgb32(w, h, screen, 0, w);
        assertEquals(1, Header.of(third).headDist, "the kept image stays in the window");
        assertFalse(imageDistances(third, w * h).isEmpty(), "the kept image is copied from");
        assertArrayEquals(LzEncoderTest.expected(LzFormat.RGB32, screen), dec.decode(third, 0, third.length, null)
                .argb());
        gtk.decode(third);
    }

    /**
     * Many images through a small window: the oldest leave it, win_head_dist says so, and neither our client's
     * window nor spice-gtk's is ever asked for an image it let go.
     */
    @ParameterizedTest
    @ValueSource(longs = { 5_000, 20_000, 100_000 })
    void aSmallWindowDropsTheOldestImages(long windowPixels) {
        Random r = new Random(windowPixels);
        int[] screen = TestPictures.picture("desktop", 320, 240, 3);
        GlzEncoder enc = new GlzEncoder(windowPixels);
        GlzDecoder dec = new GlzDecoder(new GlzWindow(windowPixels));
        SpiceGtkWindow gtk = new SpiceGtkWindow();
        for (int i = 0; i < 300; i++) {
            int w = 1 + r.nextInt(90);
            int h = 1 + r.nextInt(50);
            if (!enc.fits(w, h)) {
                continue;
            }
            int x = r.nextInt(320 - w);
            int y = r.nextInt(240 - h);
            long id = enc.nextId();
            byte[] glz = enc.encodeRgb32(w, h, screen, y * 320 + x, 320);
            Header hd = Header.of(glz);
            assertEquals(id, hd.id);
            assertTrue(hd.headDist <= id);
            Pixels p = dec.decode(glz, 0, glz.length, null);
            assertArrayEquals(LzEncoderTest.expected(LzFormat.RGB32, TestPictures.crop(screen, 320, x, y, w, h)),
                    p.argb());
            gtk.decode(glz);
            assertTrue(dec.window().storedPixels() <= windowPixels, dec.window().storedPixels() + " pixels held");
        }
        assertTrue(gtk.crossImageReferences > 50, gtk.crossImageReferences + " cross-image references");
        assertTrue(gtk.released > 0, "spice-gtk's window never released an image");
    }

    @Test
    void idsRunFromZeroAndHeadDistanceFollowsTheWindow() {
        GlzEncoder enc = new GlzEncoder(1000);
        int[] px = TestPictures.picture("gradient", 30, 30, 1);
        // 300, 300, 300: all fit; the fourth 300 pushes out the first; a 900 pushes out all but itself
        long[][] expected = { { 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 2 }, { 4, 0 }, { 5, 1 } };
        int[] sizes = { 300, 300, 300, 300, 900, 90 };
        for (int i = 0; i < sizes.length; i++) {
            byte[] glz = enc.encodeRgb32(sizes[i] / 30, 30, px, 0, 30);
            Header h = Header.of(glz);
            assertEquals(expected[i][0], h.id, "id of image " + i);
            assertEquals(expected[i][1], h.headDist, "win_head_dist of image " + i);
            assertEquals(LzFormat.RGB32, h.type);
            assertTrue(h.topDown);
        }
        assertEquals(2, enc.windowImages());
    }

    @Test
    void fitsIsStrictlySmallerThanTheWindowAndTypesAreChecked() {
        GlzEncoder enc = new GlzEncoder(100);
        assertTrue(enc.fits(99, 1));
        assertFalse(enc.fits(10, 10));
        int[] px = new int[100];
        assertThrows(IllegalArgumentException.class, () -> enc.encodeRgb32(10, 10, px, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(LzFormat.PLT8, 2, 2, px, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(LzFormat.RGB32, 0, 2, px, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> enc.encode(LzFormat.RGB32, 9, 9, px, 50, 9));
        assertThrows(IllegalArgumentException.class, () -> new GlzEncoder(1));
        assertThrows(IllegalArgumentException.class, () -> new GlzEncoder(GlzEncoder.MAX_WINDOW_PIXELS + 1));
        assertEquals(0, enc.nextId(), "refused images take no id");
    }

    @Test
    void longOffsetsAndFarImages() {
        // a 2000x100 image (200000 pixels: offsets past 2^17, the very long form) repeated after many small ones
        int w = 2000;
        int h = 100;
        int[] big = TestPictures.picture("noise", w, h, 5);
        int[] small = TestPictures.picture("noise", 8, 8, 6);
        GlzEncoder enc = new GlzEncoder(1 << 20);
        GlzDecoder dec = new GlzDecoder(new GlzWindow(1 << 20));
        SpiceGtkWindow gtk = new SpiceGtkWindow();
        List<byte[]> all = new ArrayList<>();
        all.add(enc.encodeRgb32(w, h, big, 0, w));
        for (int i = 0; i < 300; i++) {
            all.add(enc.encodeRgb32(8, 8, small, 0, 8));
        }
        // the bottom half of the big image again: copies from offsets >= 100000, 301 images back
        byte[] again = enc.encodeRgb32(w, h / 2, big, w * h / 2, w);
        all.add(again);
        Pixels last = null;
        for (byte[] glz : all) {
            last = dec.decode(glz, 0, glz.length, null);
            gtk.decode(glz);
        }
        assertTrue(again.length < 3000, again.length + " bytes: the repeat was not referenced");
        assertArrayEquals(LzEncoderTest.expected(LzFormat.RGB32, TestPictures.crop(big, w, 0, h / 2, w, h / 2)),
                last.argb());
    }

    /** The GLZ header fields. */
    record Header(int type, boolean topDown, long width, long height, long id, long headDist) {
        static Header of(byte[] d) {
            int tb = d[8] & 0xff;
            return new Header(tb & 0x0f, (tb >> 4) != 0, LzFormat.u32(d, 9), LzFormat.u32(d, 13),
                    LzFormat.u32(d, 21) << 32 | LzFormat.u32(d, 25), LzFormat.u32(d, 29));
        }
    }

    /**
     * spice-gtk's GLZ window (decode-glz.c) as a model: images in slots by {@code id % nimages} (doubling when a
     * slot is taken), the tail gap closed as ids arrive, and after each image the release of every id below
     * {@code id - win_head_dist} of the newest image of the contiguous run, slot by slot without looking at the
     * ids. A reference to an image not in its slot is where spice-gtk would wait forever.
     */
    static final class SpiceGtkWindow {
        long[] slots = new long[16];
        boolean[] used = new boolean[16];
        long[] heads = new long[16];
        long oldest;
        long tailGap;
        int crossImageReferences;
        int released;

        void decode(byte[] glz) {
            Header h = Header.of(glz);
            for (long dist : imageDistances(glz, (int) (h.width * h.height))) {
                long want = h.id - dist;
                int slot = (int) (want % slots.length);
                assertTrue(used[slot] && slots[slot] == want, "image " + h.id + " references image " + want
                        + ", which spice-gtk's window no longer holds");
                crossImageReferences++;
            }
            int slot = (int) (h.id % slots.length);
            if (used[slot]) {
                resize();
                slot = (int) (h.id % slots.length);
            }
            slots[slot] = h.id;
            heads[slot] = h.headDist;
            used[slot] = true;
            while (tailGap <= h.id && used[(int) (tailGap % slots.length)]) {
                tailGap++;
            }
            int last = (int) ((tailGap - 1) % slots.length);
            assertTrue(used[last], "no image at the tail gap");
            long release = slots[last] - heads[last];
            while (oldest < release) {
                int s = (int) (oldest % slots.length);
                if (used[s]) {
                    released++;
                }
                used[s] = false;
                oldest++;
            }
        }

        private void resize() {
            int n = slots.length * 2;
            long[] s = new long[n];
            long[] hd = new long[n];
            boolean[] u = new boolean[n];
            for (int i = 0; i < slots.length; i++) {
                if (used[i]) {
                    int j = (int) (slots[i] % n);
                    s[j] = slots[i];
                    hd[j] = heads[i];
                    u[j] = true;
                }
            }
            slots = s;
            heads = hd;
            used = u;
        }
    }

    /** The image distances of the references to other images in the colour pass of an RGB32 GLZ stream. */
    static List<Long> imageDistances(byte[] in, int pixels) {
        List<Long> out = new ArrayList<>();
        int ip = GlzDecoder.HEADER_SIZE;
        int op = 0;
        while (op < pixels) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                op += ctrl + 1;
                ip += 3 * (ctrl + 1);
                continue;
            }
            int len = ctrl >> 5;
            boolean longOfs = (ctrl & 0x10) != 0;
            if (len == 7) {
                int code;
                do {
                    code = in[ip++] & 0xff;
                    len += code;
                } while (code == 255);
            }
            ip++; // pixel offset bits 4..11
            int code = in[ip++] & 0xff;
            int bytes = code >> 6;
            long dist;
            if (!longOfs) {
                dist = code & 0x3f;
                for (int i = 0; i < bytes; i++) {
                    dist += (long) (in[ip++] & 0xff) << (6 + 8 * i);
                }
            } else {
                dist = 0;
                for (int i = 0; i < bytes; i++) {
                    dist += (long) (in[ip++] & 0xff) << (8 * i);
                }
                if ((code & 0x20) != 0) {
                    ip++;
                }
            }
            if (dist != 0) {
                out.add(dist);
            }
            op += len;
        }
        return out;
    }

    @Test
    void theGoldenSessionsWindowModelHolds() {
        // the model itself, on what QEMU sent spice-gtk: no reference to an image it would have released
        SpiceGtkWindow gtk = new SpiceGtkWindow();
        List<GoldenImages.Draw> draws = GoldenImages.draws("glz-session");
        for (GoldenImages.Draw d : draws.subList(1, draws.size())) {
            gtk.decode(d.data());
        }
        assertEquals(37, countImages(draws));
        assertNotNull(gtk);
    }

    private static int countImages(List<GoldenImages.Draw> draws) {
        int n = 0;
        for (GoldenImages.Draw d : draws.subList(1, draws.size())) {
            Header h = Header.of(d.data());
            if (!imageDistances(d.data(), (int) (h.width * h.height)).isEmpty()) {
                n++;
            }
        }
        return n;
    }
}
