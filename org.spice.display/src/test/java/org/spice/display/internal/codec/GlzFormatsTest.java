package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.display.internal.codec.LzFormat.*;
import static org.spice.display.internal.codec.LzFormatsTest.PALETTE;
import static org.spice.display.internal.codec.LzFormatsTest.opaque;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.junit.jupiter.api.Test;

/** GLZ streams written by hand: the reference forms, images of every supported type, and the window. */
class GlzFormatsTest {
    final GlzWindow window = new GlzWindow();
    final GlzDecoder glz = new GlzDecoder(window);

    Pixels decode(LzStreams s, int[] palette) {
        byte[] b = s.toBytes();
        return glz.decode(b, 0, b.length, palette);
    }

    /** Image {@code id}: {@code n} pixels, pixel i = 0x10000 * id + i, rows of up to 1000, top-down. */
    Pixels counting(long id, int n) {
        int[] px = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = (int) (0x10000 * id + i) & 0xffffff;
        }
        int w = Math.min(n, 1000);
        LzStreams s = LzStreams.glz(RGB32, true, w, n / w, w * 4, id, id);
        s.rgbLiterals(px);
        return decode(s, null);
    }

    @Test
    void referencesInsideTheImage() {
        Pixels px = decode(LzStreams.glz(RGB32, true, 20, 1, 80, 0, 0)
                .rgbLiterals(0x0a, 0x0b, 0x0c)
                .glzBack(1, 1)            // shortest match: one pixel
                .glzBack(9, 4)            // overlapping: 0a 0b 0c 0c repeated
                .glzRef(7, 3, 0, true),   // the long offset form, 4 back
                null);
        int[] e = new int[20];
        int op = 0;
        e[op++] = 0x0a;
        e[op++] = 0x0b;
        e[op++] = 0x0c;
        e[op] = e[op - 1];
        op++;
        for (int i = 0; i < 9; i++, op++) {
            e[op] = e[op - 4];
        }
        for (int i = 0; i < 7; i++, op++) {
            e[op] = e[op - 4];
        }
        assertEquals(20, op + 0);
        assertArrayEquals(opaque(e), px.argb());
    }

    @Test
    void referencesToEarlierImagesInEveryForm() {
        counting(0, 200_000);
        counting(1, 100);
        // Image 2 copies from image 1 (short form, 1 back), image 0 at offsets needing the 12-bit short form, the
        // 17-bit long form and the 25-bit very long form, with image distances of 1 and 2 bytes' worth.
        LzStreams s = LzStreams.glz(RGB32, true, 40, 1, 160, 2, 2)
                .glzRef(10, 5, 1, false)
                .glzRef(10, 4000, 2, false)
                .glzRef(10, 100_000, 2, true)
                .glzRef(10, 150_000, 2, true);
        Pixels px = decode(s, null);
        for (int i = 0; i < 10; i++) {
            assertEquals(0xff000000 | 0x10000 + 5 + i, px.argb()[i]);
            assertEquals(0xff000000 | 4000 + i, px.argb()[10 + i]);
            assertEquals(0xff000000 | (100_000 + i) & 0xffffff, px.argb()[20 + i]);
            assertEquals(0xff000000 | (150_000 + i) & 0xffffff, px.argb()[30 + i]);
        }
        // Image distances coded in 1 and 2 extra bytes (short form: 6 + 8 + 8 bits).
        for (long id = 3; id < 100; id++) {
            counting(id, 1);
        }
        LzStreams far = LzStreams.glz(RGB32, true, 2, 1, 8, 100, 100).glzRef(1, 0, 99, false).glzRef(1, 0, 70, false);
        assertArrayEquals(opaque(0x010000, 0x1e0000), decode(far, null).argb());
    }

    @Test
    void windowKeepsStreamOrderOfBottomUpImages() {
        // Image 0 is bottom-up: its stream starts with its bottom row, and references count in stream order.
        Pixels first = decode(LzStreams.glz(RGB32, false, 2, 2, 8, 0, 0).rgbLiterals(1, 2, 3, 4), null);
        assertArrayEquals(opaque(3, 4, 1, 2), first.argb());
        Pixels second = decode(LzStreams.glz(RGB32, true, 2, 1, 8, 1, 1).glzRef(2, 0, 1, false), null);
        assertArrayEquals(opaque(1, 2), second.argb());
    }

    @Test
    void rgbaKeepsAlphaAndOpaqueImagesCopyingFromItStayOpaque() {
        Pixels rgba = decode(LzStreams.glz(RGBA, true, 3, 1, 12, 0, 0).rgbLiterals(0x111111, 0x222222, 0x333333)
                .units(XXXA).byteLiterals(0x00, 0x40, 0x80), null);
        assertArrayEquals(new int[] {0x00111111, 0x40222222, 0x80333333}, rgba.argb());
        Pixels opaqueCopy = decode(LzStreams.glz(RGB32, true, 3, 1, 12, 1, 1).glzRef(3, 0, 1, false), null);
        assertArrayEquals(opaque(0x111111, 0x222222, 0x333333), opaqueCopy.argb());
        // An alpha pass copying alpha from an earlier RGBA image and, within itself, repeating it.
        Pixels alphaCopy = decode(LzStreams.glz(RGBA, true, 6, 1, 24, 2, 2).rgbLiterals(1, 2, 3, 4, 5, 6)
                .units(XXXA).glzRef(3, 0, 2, false).glzBack(3, 3), null);
        assertArrayEquals(new int[] {0x00000001, 0x40000002, 0x80000003, 0x00000004, 0x40000005, 0x80000006},
                alphaCopy.argb());
    }

    @Test
    void alphaCopiedFromAnOpaqueImageIsTheCDecodersZeroPadByte() {
        Pixels rgb = decode(LzStreams.glz(RGB32, true, 3, 1, 12, 0, 0).rgbLiterals(0x111111, 0x222222, 0x333333),
                null);
        assertArrayEquals(opaque(0x111111, 0x222222, 0x333333), rgb.argb());
        // Colour from the opaque image, then alpha from it too: spice-common's window holds a zero pad byte there.
        Pixels rgba = decode(LzStreams.glz(RGBA, true, 3, 1, 12, 1, 1).glzRef(3, 0, 1, false)
                .units(XXXA).glzRef(3, 0, 1, false), null);
        assertArrayEquals(new int[] {0x00111111, 0x00222222, 0x00333333}, rgba.argb());
        // Decoding it changed neither the opaque image's pixels nor their window copy (they are one array).
        assertArrayEquals(opaque(0x111111, 0x222222, 0x333333), rgb.argb());
        Pixels again = decode(LzStreams.glz(RGB32, true, 3, 1, 12, 2, 2).glzRef(3, 0, 2, false), null);
        assertArrayEquals(opaque(0x111111, 0x222222, 0x333333), again.argb());
    }

    @Test
    void paletteAndRgb16Images() {
        // PLT4: references count bytes, two pixels each, here and in the earlier image.
        Pixels a = decode(LzStreams.glz(PLT4_BE, true, 6, 1, 3, 0, 0).byteLiterals(0x01, 0x23, 0x45), PALETTE);
        assertArrayEquals(opaque(PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[5]), a.argb());
        Pixels b = decode(LzStreams.glz(PLT4_LE, true, 8, 1, 4, 1, 1).glzRef(3, 0, 1, false).byteLiterals(0x76),
                PALETTE);
        assertArrayEquals(opaque(PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[5], PALETTE[6],
                PALETTE[7]), b.argb());
        // PLT1 with row padding (5 of 8 bits), PLT8, RGB16 with its 2-pixel minimum match.
        Pixels c = decode(LzStreams.glz(PLT1_BE, true, 5, 2, 1, 2, 2).byteLiterals(0b10100000, 0b01011000),
                new int[] {0x000000, 0xffffff});
        assertArrayEquals(opaque(0xffffff, 0, 0xffffff, 0, 0, 0, 0xffffff, 0, 0xffffff, 0xffffff), c.argb());
        Pixels d = decode(LzStreams.glz(PLT8, true, 4, 1, 4, 3, 3).byteLiterals(7).glzBack(3, 1), PALETTE);
        assertArrayEquals(opaque(PALETTE[7], PALETTE[7], PALETTE[7], PALETTE[7]), d.argb());
        Pixels e = decode(LzStreams.glz(RGB16, true, 3, 1, 6, 4, 4).literal(1, 0x7c, 0x00).glzBack(2, 1), null);
        assertArrayEquals(opaque(0xff0000, 0xff0000, 0xff0000), e.argb());
    }

    @Test
    void windowReleasesWhatTheServerNoLongerReaches() {
        for (long id = 0; id < 5; id++) {
            counting(id, 10);
        }
        assertEquals(5, window.size());
        // win_head_dist 2: the server's window now starts at image 3.
        decode(LzStreams.glz(RGB32, true, 1, 1, 4, 5, 2).rgbLiterals(1), null);
        assertEquals(3, window.size());
        assertFalse(window.contains(2));
        assertTrue(window.contains(3));
    }

    @Test
    void outOfOrderImagesReleaseOnlyOnceTheGapCloses() {
        counting(0, 10);
        counting(1, 10);
        // Image 3 (another display) arrives before image 2 and says the window starts at 3.
        decode(LzStreams.glz(RGB32, true, 1, 1, 4, 3, 0).rgbLiterals(1), null);
        assertEquals(3, window.size());
        // Image 2 still copies from image 0; once it arrived, image 3's head releases 0..2.
        Pixels two = decode(LzStreams.glz(RGB32, true, 1, 1, 4, 2, 2).glzRef(1, 4, 2, false), null);
        assertArrayEquals(opaque(4), two.argb());
        assertEquals(1, window.size());
        assertTrue(window.contains(3));
    }

    @Test
    void windowBudgetDropsTheOldestButNeverTheNewest() {
        GlzDecoder small = new GlzDecoder(new GlzWindow(25));
        for (long id = 0; id < 4; id++) {
            byte[] b = LzStreams.glz(RGB32, true, 10, 1, 40, id, id).rgbLiterals(new int[10]).toBytes();
            small.decode(b, 0, b.length, null);
        }
        assertEquals(3, small.window().size(), "two older images of 10 pixels fit 25 besides the newest");
        assertFalse(small.window().contains(0));
        byte[] big = LzStreams.glz(RGB32, true, 100, 1, 400, 4, 4).rgbLiterals(new int[100]).toBytes();
        small.decode(big, 0, big.length, null);
        assertEquals(3, small.window().size());
        assertTrue(small.window().contains(4));
        small.window().clear();
        assertEquals(0, small.window().size());
        assertEquals(0, small.window().storedPixels());
    }

    @Test
    void zlibGlzInflatesToExactlyTheGlzStream() throws Exception {
        byte[] stream = LzStreams.glz(RGB32, true, 4, 1, 16, 0, 0).rgbLiterals(1, 2, 3, 4).toBytes();
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(zlib, new Deflater(9))) {
            out.write(stream);
        }
        byte[] z = zlib.toByteArray();
        assertArrayEquals(stream, GlzDecoder.inflateZlibGlz(z, 0, z.length, stream.length));
        assertArrayEquals(opaque(1, 2, 3, 4), glz.decodeZlibGlz(z, 0, z.length, stream.length, null).argb());
    }
}
