package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.display.internal.codec.LzBadInputTest.rejects;
import static org.spice.display.internal.codec.LzFormat.*;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.junit.jupiter.api.Test;
import org.spice.display.internal.codec.GoldenImages.Draw;
import org.spice.protocol.SpiceProtocolException;

/** Malformed GLZ and ZLIB_GLZ data, and references the window cannot serve: SpiceProtocolException each. */
class GlzBadInputTest {
    final GlzWindow window = new GlzWindow();
    final GlzDecoder glz = new GlzDecoder(window);

    SpiceProtocolException rejectsGlz(byte[] data, String messagePart) {
        return rejects(() -> glz.decode(data, 0, data.length, LzFormatsTest.PALETTE), messagePart);
    }

    void add(long id, int pixels) {
        byte[] b = LzStreams.glz(RGB32, true, pixels, 1, pixels * 4, id, id).rgbLiterals(new int[pixels]).toBytes();
        glz.decode(b, 0, b.length, null);
    }

    @Test
    void everyTruncationOfCapturedImagesIsRefusedAndLeavesTheWindowAlone() {
        List<Draw> draws = GoldenImages.draws("glz-session");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (Draw d : draws.subList(1, 30)) {
                for (int len = 0; len < d.data().length; len++) {
                    int n = len;
                    assertThrows(SpiceProtocolException.class, () -> glz.decode(d.data(), 0, n, null),
                            "draw " + d.index() + " cut to " + len);
                }
                int before = window.size();
                glz.decode(d.data(), 0, d.data().length, null);
                assertEquals(before + 1, window.size());
            }
        });
    }

    @Test
    void headerProblems() {
        byte[] ok = LzStreams.glz(RGB32, true, 1, 1, 4, 0, 0).rgbLiterals(1).toBytes();
        rejectsGlz(Arrays.copyOf(ok, 32), "shorter than the 33-byte header");
        byte[] magic = ok.clone();
        magic[3] = 'X';
        rejectsGlz(magic, "bad magic");
        byte[] version = ok.clone();
        version[7] = 2;
        rejectsGlz(version, "unsupported version");
        rejectsGlz(LzStreams.glz(XXXA, true, 1, 1, 4, 0, 0).byteLiterals(1).toBytes(), "unsupported image type XXXA");
        rejectsGlz(LzStreams.glz(A8, true, 1, 1, 1, 0, 0).byteLiterals(1).toBytes(), "unsupported image type A8");
        rejectsGlz(LzStreams.glz(0, true, 1, 1, 4, 0, 0).rgbLiterals(1).toBytes(), "unknown type 0");
        rejectsGlz(LzStreams.glz(15, true, 1, 1, 4, 0, 0).rgbLiterals(1).toBytes(), "unknown type 15");
        rejectsGlz(LzStreams.glz(RGB32, true, 0, 1, 0, 0, 0).toBytes(), "outside the limits");
        rejectsGlz(LzStreams.glz(RGB32, true, 1, 0xffffffffL, 4, 0, 0).rgbLiterals(1).toBytes(), "outside the limits");
        rejectsGlz(LzStreams.glz(PLT8, true, 4, 1, 3, 0, 0).byteLiterals(1, 2, 3).toBytes(), "stride 3 too small");
        rejectsGlz(LzStreams.glz(RGB32, true, 2, 1, 8, 0, 0).rgbLiterals(1, 2, 3).toBytes(), "overflow the image");
        rejectsGlz(LzStreams.glz(RGB32, true, 2, 1, 8, 0, 0).rgbLiterals(1, 2).bytes(0).toBytes(),
                "1 bytes left after image 0");
        byte[] plt = LzStreams.glz(PLT8, true, 1, 1, 1, 0, 0).byteLiterals(1).toBytes();
        rejects(() -> glz.decode(plt, 0, plt.length, null), "without a palette");
        assertEquals(0, window.size(), "no failed image entered the window");
    }

    @Test
    void hugeSizesWithLittleDataAreRefusedBeforeAllocating() {
        byte[] huge = LzStreams.glz(RGB32, true, 8192, 8192, 8192 * 4, 0, 0).rgbLiterals(1, 2, 3).toBytes();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        assertThrows(SpiceProtocolException.class, () -> glz.decode(huge, 0, huge.length, null));
        assertTrue(mx.getCurrentThreadAllocatedBytes() - before < 1 << 20, "allocated");
        rejectsGlz(huge, "cannot code a 8192x8192");
    }

    @Test
    void referencesInsideTheImageBeforeItsStart() {
        rejectsGlz(LzStreams.glz(RGB32, true, 4, 1, 16, 0, 0).glzBack(4, 1).toBytes(), "before the start of the image");
        rejectsGlz(LzStreams.glz(RGB32, true, 100, 10, 400, 0, 0).rgbLiterals(1).glzRef(2, 200_000, 0, true)
                .toBytes(), "back reference 200001 pixels before pixel 1");
        rejectsGlz(LzStreams.glz(RGB32, true, 4, 1, 16, 0, 0).rgbLiterals(1).glzBack(4, 1).toBytes(),
                "match of 4 pixels overflows");
    }

    @Test
    void referencesToImagesNotInTheWindow() {
        add(0, 10);
        add(1, 10);
        // image 5 referencing image 3 (never received) and image 0 (received)
        rejectsGlz(LzStreams.glz(RGB32, true, 1, 1, 4, 5, 5).glzRef(1, 0, 2, false).toBytes(),
                "image 5 references image 3, which is not in the window");
        rejectsGlz(LzStreams.glz(RGB32, true, 1, 1, 4, 5, 5).glzRef(1, 0, 6, false).toBytes(), "before the first image");
        // past the end of the referenced image
        rejectsGlz(LzStreams.glz(RGB32, true, 5, 1, 20, 5, 5).glzRef(5, 6, 5, false).toBytes(),
                "copies pixels 6..11 of image 0, which has 10");
        // released by a later image's win_head_dist
        byte[] head = LzStreams.glz(RGB32, true, 1, 1, 4, 2, 0).rgbLiterals(1).toBytes();
        glz.decode(head, 0, head.length, null);
        assertFalse(window.contains(0));
        rejectsGlz(LzStreams.glz(RGB32, true, 1, 1, 4, 3, 3).glzRef(1, 0, 3, false).toBytes(),
                "image 3 references image 0, which is not in the window");
        assertEquals(1, window.size());
    }

    @Test
    void truncatedReferenceBytes() {
        add(0, 10);
        byte[] full = LzStreams.glz(RGB32, true, 300, 1, 1200, 1, 1).glzRef(300, 0, 70_000, true).toBytes();
        for (int cut = GlzDecoder.HEADER_SIZE; cut < full.length; cut++) {
            int n = cut;
            rejects(() -> glz.decode(full, 0, n, null), "GLZ");
        }
    }

    @Test
    void zlibProblems() throws Exception {
        byte[] stream = LzStreams.glz(RGB32, true, 64, 1, 256, 0, 0).rgbLiterals(new int[64]).toBytes();
        byte[] z = deflate(stream);
        rejects(() -> GlzDecoder.inflateZlibGlz(z, 0, z.length, stream.length - 1), "inflates to more than");
        rejects(() -> GlzDecoder.inflateZlibGlz(z, 0, z.length, stream.length + 1), "inflates to " + stream.length);
        rejects(() -> GlzDecoder.inflateZlibGlz(z, 0, z.length - 3, stream.length), "ZLIB_GLZ");
        rejects(() -> GlzDecoder.inflateZlibGlz(z, 0, 2, stream.length), "zlib data ends after 0");
        rejects(() -> GlzDecoder.inflateZlibGlz(new byte[] {1, 2, 3, 4, 5}, 0, 5, 100), "bad zlib data");
        rejects(() -> GlzDecoder.inflateZlibGlz(z, 0, z.length, -1), "glz_data_size 4294967295 outside");
        rejects(() -> GlzDecoder.inflateZlibGlz(z, 0, z.length, 0), "glz_data_size 0 outside");
        // raw deflate without the zlib header, as another decoder might expect: refused
        Deflater raw = new Deflater(9, true);
        raw.setInput(stream);
        raw.finish();
        byte[] rawOut = new byte[1000];
        int rawLen = raw.deflate(rawOut);
        rejects(() -> GlzDecoder.inflateZlibGlz(rawOut, 0, rawLen, stream.length), "ZLIB_GLZ");
        // a preset dictionary
        Deflater dict = new Deflater(9);
        dict.setDictionary(new byte[] {1, 2, 3});
        dict.setInput(stream);
        dict.finish();
        byte[] dictOut = new byte[1000];
        int dictLen = dict.deflate(dictOut);
        rejects(() -> GlzDecoder.inflateZlibGlz(dictOut, 0, dictLen, stream.length), "preset dictionary");
        // the inflated GLZ is checked like any other
        byte[] badGlz = stream.clone();
        badGlz[0] = 0;
        byte[] zBad = deflate(badGlz);
        rejects(() -> glz.decodeZlibGlz(zBad, 0, zBad.length, badGlz.length, null), "bad magic");
    }

    @Test
    void aLyingGlzSizeCostsNoMemoryUpFront() throws Exception {
        byte[] stream = LzStreams.glz(RGB32, true, 4, 1, 16, 0, 0).rgbLiterals(1, 2, 3, 4).toBytes();
        byte[] z = deflate(stream);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        assertThrows(SpiceProtocolException.class, () -> GlzDecoder.inflateZlibGlz(z, 0, z.length, 300_000_000));
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1 << 20, allocated + " bytes allocated");
        // A zlib bomb is cut at glz_data_size.
        byte[] bomb = deflate(new byte[50_000_000]);
        rejects(() -> GlzDecoder.inflateZlibGlz(bomb, 0, bomb.length, 1_000_000), "inflates to more than 1000000");
    }

    @Test
    void randomCorruptionOnlyEverThrowsSpiceProtocolException() {
        List<Draw> draws = GoldenImages.draws("glz-session");
        Random rnd = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 3000; round++) {
                // a window with some of the first images (a small one, in some rounds), then one corrupted image
                GlzDecoder fresh = new GlzDecoder(round % 2 == 0 ? new GlzWindow() : new GlzWindow(1000));
                int upTo = 1 + rnd.nextInt(draws.size() - 1);
                for (Draw d : draws.subList(1, upTo)) {
                    if (rnd.nextInt(4) != 0) {
                        try {
                            fresh.decode(d.data(), 0, d.data().length, null);
                        } catch (SpiceProtocolException e) {
                            assertTrue(e.getMessage().contains("not in the window"), e.getMessage());
                        }
                    }
                }
                byte[] b = draws.get(upTo).data().clone();
                for (int i = 0, flips = 1 + rnd.nextInt(4); i < flips; i++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                int len = rnd.nextInt(8) == 0 ? rnd.nextInt(b.length + 1) : b.length;
                try {
                    fresh.decode(b, 0, len, LzFormatsTest.PALETTE);
                } catch (SpiceProtocolException expected) {
                    // the only acceptable failure
                }
            }
        });
    }

    static byte[] deflate(byte[] b) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(9))) {
            d.write(b);
        }
        return out.toByteArray();
    }
}
