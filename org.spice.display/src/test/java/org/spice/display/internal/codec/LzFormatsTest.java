package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spice.display.internal.codec.LzFormat.*;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Every LZ image type, decoded from streams written by hand: literal units, runs, overlapping and far back
 * references, long lengths, palette expansion with row padding, bottom-up rows and the alpha passes.
 */
class LzFormatsTest {
    static final int[] PALETTE = {0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa};

    static Pixels decode(LzStreams s, int[] palette) {
        byte[] b = s.toBytes();
        return LzDecoder.decode(b, 0, b.length, palette);
    }

    static int[] opaque(int... rgb) {
        int[] out = rgb.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] |= 0xff000000;
        }
        return out;
    }

    @Test
    void rgb32LiteralsRunsOverlapsLongLengthsAndFarDistances() {
        int w = 100;
        int h = 100;
        int[] expected = new int[w * h];
        LzStreams s = LzStreams.lz(RGB32, w, h, w * 4, true);
        int[] first = new int[32];
        for (int i = 0; i < 32; i++) {
            first[i] = 0xff000000 | (i * 0x030507 + 0x102030) & 0xffffff;
        }
        s.rgbLiterals(first);
        System.arraycopy(first, 0, expected, 0, 32);
        int op = 32;
        // Overlapping reference: the last 32 pixels repeated up to pixel 9000 (a length with extension bytes).
        s.lzRef(9000 - op, 32);
        for (; op < 9000; op++) {
            expected[op] = expected[op - 32];
        }
        // Far distance (16-bit escape): copy from 9000 pixels back.
        s.lzRef(500, 9000);
        for (int i = 0; i < 500; i++, op++) {
            expected[op] = expected[op - 9000];
        }
        // A run of one pixel, then near references of every short length.
        s.rgbLiterals(0xabcdef);
        expected[op++] = 0xffabcdef;
        s.lzRef(7, 1);
        for (int i = 0; i < 7; i++, op++) {
            expected[op] = 0xffabcdef;
        }
        for (int len = 1; len <= 8 && op < w * h; len++) {
            s.lzRef(len, 300 + len);
            for (int i = 0; i < len; i++, op++) {
                expected[op] = expected[op - 300 - len];
            }
        }
        s.lzRef(w * h - op, 8191); // the largest near distance
        for (; op < w * h; op++) {
            expected[op] = expected[op - 8191];
        }
        assertArrayEquals(expected, decode(s, null).argb());
    }

    @Test
    void rgb24IsCodedLikeRgb32() {
        Pixels px = decode(LzStreams.lz(RGB24, 2, 2, 6, true).rgbLiterals(0x010203, 0x040506, 0x070809)
                .lzRef(1, 3), null);
        assertArrayEquals(opaque(0x010203, 0x040506, 0x070809, 0x010203), px.argb());
    }

    @Test
    void rgb16Is555BigEndianExpandedToEightBits() {
        Pixels px = decode(LzStreams.lz(RGB16, 4, 2, 8, true)
                .literal(5, 0x7f, 0xff, 0x00, 0x1f, 0x03, 0xe0, 0x7c, 0x00, 0x42, 0x10)
                .lzRef(2, 1)    // minimum RGB16 match: 2 pixels
                .literal(1, 0x00, 0x00), null);
        assertArrayEquals(opaque(0xffffff, 0x0000ff, 0x00ff00, 0xff0000, 0x848484, 0x848484, 0x848484, 0), px.argb());
    }

    @Test
    void plt8ThroughThePalette() {
        Pixels px = decode(LzStreams.lz(PLT8, 3, 2, 3, true).byteLiterals(7, 1, 4).lzRef(3, 3), PALETTE);
        assertArrayEquals(opaque(0xaaaaaa, 0x0000aa, 0xaa0000, 0xaaaaaa, 0x0000aa, 0xaa0000), px.argb());
        // The palette's high byte is not alpha.
        Pixels high = decode(LzStreams.lz(PLT8, 1, 1, 1, true).byteLiterals(0), new int[] {0x12345678});
        assertArrayEquals(opaque(0x345678), high.argb());
    }

    @Test
    void plt4BothNibbleOrdersWithRowPaddingCropped() {
        // 3 pixels a row in 2 bytes (4 nibbles, the last one padding), 3 rows.
        int[] rows = {0x12, 0x30, 0x45, 0x60};
        Pixels be = decode(LzStreams.lz(PLT4_BE, 3, 3, 2, true).byteLiterals(rows).literal(2, 0x12, 0x30),
                PALETTE);
        assertArrayEquals(opaque(PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[5], PALETTE[6],
                PALETTE[1], PALETTE[2], PALETTE[3]), be.argb());
        Pixels le = decode(LzStreams.lz(PLT4_LE, 3, 3, 2, true).byteLiterals(rows).literal(2, 0x12, 0x30), PALETTE);
        assertArrayEquals(opaque(PALETTE[2], PALETTE[1], PALETTE[0], PALETTE[5], PALETTE[4], PALETTE[0],
                PALETTE[2], PALETTE[1], PALETTE[0]), le.argb());
        // Nibbles beyond the palette wrap around it, as in spice-common.
        Pixels wrap = decode(LzStreams.lz(PLT4_BE, 2, 1, 1, true).byteLiterals(0x9f), PALETTE);
        assertArrayEquals(opaque(PALETTE[1], PALETTE[7]), wrap.argb());
        // A back reference counts bytes: 3 bytes back (6 pixels), 3 bytes long (6 pixels).
        Pixels ref = decode(LzStreams.lz(PLT4_BE, 12, 1, 6, true).byteLiterals(0x01, 0x23, 0x45).lzRef(3, 3), PALETTE);
        assertArrayEquals(opaque(PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[5],
                PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[5]), ref.argb());
    }

    @Test
    void plt1BothBitOrdersWithRowPaddingCropped() {
        int[] pal = {0x101010, 0xf0f0f0};
        int b = 0xff000000 | pal[0];
        int f = 0xff000000 | pal[1];
        // 10 pixels a row in 2 bytes, 2 rows.
        Pixels be = decode(LzStreams.lz(PLT1_BE, 10, 2, 2, true).byteLiterals(0b10110000, 0b01000000, 0b11111111,
                0b11000000), pal);
        assertArrayEquals(new int[] {f, b, f, f, b, b, b, b, b, f, f, f, f, f, f, f, f, f, f, f}, be.argb());
        Pixels le = decode(LzStreams.lz(PLT1_LE, 10, 2, 2, true).byteLiterals(0b00001101, 0b00000010, 0b11111111,
                0b00000011), pal);
        assertArrayEquals(new int[] {f, b, f, f, b, b, b, b, b, f, f, f, f, f, f, f, f, f, f, f}, le.argb());
        // References: 3 bytes (24 pixels) from 3 bytes back.
        Pixels ref = decode(LzStreams.lz(PLT1_BE, 48, 1, 6, true).byteLiterals(0x80, 0x00, 0x01).lzRef(3, 3), pal);
        for (int i = 0; i < 48; i++) {
            assertEquals(i % 24 == 0 || i % 24 == 23 ? f : b, ref.argb()[i], "pixel " + i);
        }
    }

    @Test
    void bottomUpRowsComeOutTopRowFirst() {
        Pixels px = decode(LzStreams.lz(RGB32, 2, 3, 8, false).rgbLiterals(1, 2, 3, 4, 5, 6), null);
        assertArrayEquals(opaque(5, 6, 3, 4, 1, 2), px.argb());
        Pixels plt = decode(LzStreams.lz(PLT8, 1, 2, 1, false).byteLiterals(1, 2), PALETTE);
        assertArrayEquals(opaque(PALETTE[2], PALETTE[1]), plt.argb());
    }

    @Test
    void rgbaHasASecondPassOfAlpha() {
        Pixels px = decode(LzStreams.lz(RGBA, 4, 1, 16, true).rgbLiterals(0x112233, 0x445566).lzRef(2, 2)
                .units(XXXA).byteLiterals(0x00, 0x80, 0xff, 0xff), null);
        assertArrayEquals(new int[] {0x00112233, 0x80445566, 0xff112233, 0xff445566}, px.argb());
        // An alpha reference copies alpha only.
        Pixels ref = decode(LzStreams.lz(RGBA, 5, 1, 20, true).rgbLiterals(1, 2, 3, 4, 5)
                .units(XXXA).byteLiterals(0x10, 0x20).lzRef(3, 2), null);
        assertArrayEquals(new int[] {0x10000001, 0x20000002, 0x10000003, 0x20000004, 0x10000005}, ref.argb());
    }

    @Test
    void xxxaAndA8AreAlphaOverBlack() {
        Pixels xxxa = decode(LzStreams.lz(XXXA, 4, 1, 16, true).byteLiterals(0x7f).lzRef(3, 1), null);
        assertArrayEquals(new int[] {0x7f000000, 0x7f000000, 0x7f000000, 0x7f000000}, xxxa.argb());
        Pixels a8 = decode(LzStreams.lz(A8, 2, 2, 2, false).byteLiterals(1, 2, 3, 4), null);
        assertArrayEquals(new int[] {0x03000000, 0x04000000, 0x01000000, 0x02000000}, a8.argb());
    }

    @Test
    void decodeAlphaSetsTheAlphaOfAnImage() {
        Pixels target = new Pixels(2, 2, opaque(0x111111, 0x222222, 0x333333, 0x444444));
        byte[] alpha = LzStreams.lz(XXXA, 2, 2, 8, false).byteLiterals(0x01, 0x02, 0x03, 0x04).toBytes();
        LzDecoder.decodeAlpha(alpha, 0, alpha.length, target);
        assertArrayEquals(new int[] {0x03111111, 0x04222222, 0x01333333, 0x02444444}, target.argb());
    }

    @Test
    void decodesFromTheMiddleOfABuffer() {
        byte[] stream = LzStreams.lz(RGB32, 1, 1, 4, true).rgbLiterals(0x0a0b0c).toBytes();
        byte[] framed = new byte[stream.length + 20];
        new Random(1).nextBytes(framed);
        System.arraycopy(stream, 0, framed, 7, stream.length);
        assertArrayEquals(opaque(0x0a0b0c), LzDecoder.decode(framed, 7, stream.length, null).argb());
    }

    @Test
    void decodesAFullHdFrameOfLiterals() {
        // Worst case for the decoder: 1920x1080 of noise, all literals (3 bytes a pixel).
        int w = 1920;
        int h = 1080;
        Random rnd = new Random(42);
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = rnd.nextInt() & 0xffffff;
        }
        byte[] noise = LzStreams.lz(RGB32, w, h, w * 4, true).rgbLiterals(rgb).toBytes();
        int[] expected = opaque(rgb);
        assertArrayEquals(expected, LzDecoder.decode(noise, 0, noise.length, null).argb());
    }
}
