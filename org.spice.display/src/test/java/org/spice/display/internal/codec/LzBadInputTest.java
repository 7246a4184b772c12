package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.display.internal.codec.LzFormat.*;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.spice.protocol.SpiceProtocolException;

/** Malformed LZ streams: each throws SpiceProtocolException, quickly, without other exceptions. */
class LzBadInputTest {
    static final byte[] GOLDEN = GoldenImages.draws("lz-screenshot").get(0).data();
    static final int[] PALETTE = LzFormatsTest.PALETTE;

    static SpiceProtocolException rejects(byte[] data, int[] palette, String messagePart) {
        return rejects(() -> LzDecoder.decode(data, 0, data.length, palette), messagePart);
    }

    static SpiceProtocolException rejects(Executable decode, String messagePart) {
        SpiceProtocolException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(SpiceProtocolException.class, decode));
        assertTrue(e.getMessage().contains(messagePart), () -> "message \"" + e.getMessage() + "\" lacks \""
                + messagePart + "\"");
        return e;
    }

    /** The golden stream with the header's u32 at {@code offset} replaced. */
    static byte[] withHeaderField(int offset, long value) {
        byte[] b = GOLDEN.clone();
        for (int i = 0; i < 4; i++) {
            b[offset + i] = (byte) (value >>> (24 - 8 * i));
        }
        return b;
    }

    @Test
    void everyTruncationIsRefused() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int len = 0; len < GOLDEN.length; len++) {
                int n = len;
                assertThrows(SpiceProtocolException.class, () -> LzDecoder.decode(GOLDEN, 0, n, null),
                        "prefix of " + len);
            }
        });
        rejects(Arrays.copyOf(GOLDEN, 27), null, "shorter than the 28-byte header");
        rejects(Arrays.copyOf(GOLDEN, GOLDEN.length - 1), null, "data ends after");
    }

    @Test
    void badMagicVersionAndType() {
        rejects(withHeaderField(0, 0x4c5a2020), null, "bad magic");
        rejects(withHeaderField(4, 0x00010002), null, "unsupported version");
        rejects(withHeaderField(8, 0), null, "unknown image type 0");
        rejects(withHeaderField(8, 12), null, "unknown image type 12");
        rejects(withHeaderField(8, 0xffffffffL), null, "unknown image type 4294967295");
    }

    @Test
    void lyingSizesAreRefused() {
        rejects(withHeaderField(12, 721), null, "LZ");      // one more pixel a row: the data runs out
        rejects(withHeaderField(16, 401), null, "data ends after");
        rejects(withHeaderField(16, 399), null, "overflow");
        rejects(withHeaderField(12, 360), null, "LZ");
        rejects(withHeaderField(12, 0), null, "outside the limits");
        rejects(withHeaderField(16, 0), null, "outside the limits");
        rejects(withHeaderField(12, 0xffffffffL), null, "outside the limits");
        rejects(withHeaderField(16, 0x80000000L), null, "outside the limits");
        rejects(withHeaderField(12, 16385), null, "outside the limits");
    }

    @Test
    void hugeSizesWithLittleDataAreRefusedBeforeAllocating() {
        // 8192 x 8192 is within the limits (256 MiB of pixels) but 3 KB cannot code it.
        byte[] huge = withHeaderField(12, 8192);
        System.arraycopy(withHeaderField(16, 8192), 16, huge, 16, 4);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        assertThrows(SpiceProtocolException.class, () -> LzDecoder.decode(huge, 0, huge.length, null));
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1 << 20, allocated + " bytes allocated");
        rejects(huge, null, "cannot code a 8192x8192");
    }

    @Test
    void referencesBeforeTheStartAreRefused() {
        rejects(LzStreams.lz(RGB32, 4, 1, 16, true).lzRef(4, 1).toBytes(), null, "before the start of the image");
        rejects(LzStreams.lz(RGB32, 4, 1, 16, true).rgbLiterals(1).lzRef(3, 2).toBytes(), null,
                "back reference 2 pixels before pixel 1");
        // The far form (16-bit distance escape).
        rejects(LzStreams.lz(RGB32, 100, 100, 400, true).rgbLiterals(new int[32]).lzRef(100, 9000).toBytes(), null,
                "before the start");
        // Palette units count several pixels: 2 bytes back is 16 PLT1 pixels, only 8 decoded.
        rejects(LzStreams.lz(PLT1_BE, 64, 1, 8, true).byteLiterals(0).lzRef(3, 2).toBytes(), PALETTE,
                "16 pixels before pixel 8");
    }

    @Test
    void matchesAndLiteralsPastTheEndAreRefused() {
        rejects(LzStreams.lz(RGB32, 4, 1, 16, true).rgbLiterals(1).lzRef(4, 1).toBytes(), null,
                "overflows the image");
        rejects(LzStreams.lz(RGB32, 4, 1, 16, true).rgbLiterals(1, 2, 3, 4, 5).toBytes(), null,
                "overflow the image");
        rejects(LzStreams.lz(PLT4_BE, 3, 1, 2, true).byteLiterals(1, 2, 3).toBytes(), PALETTE, "overflow the image");
        // A length made of 255s until the data ends: refused once it passes the image, without reading on.
        byte[] endless = LzStreams.lz(RGB32, 4, 1, 16, true).rgbLiterals(1).bytes(0xe0).toBytes();
        byte[] b = Arrays.copyOf(endless, endless.length + 1_000_000);
        Arrays.fill(b, endless.length, b.length, (byte) 0xff);
        rejects(b, null, "overflows the image");
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] b = Arrays.copyOf(GOLDEN, GOLDEN.length + 1);
        rejects(b, null, "1 bytes left after the 720x400 RGB32 image");
    }

    @Test
    void paletteProblemsAreRefused() {
        byte[] plt8 = LzStreams.lz(PLT8, 2, 1, 2, true).byteLiterals(1, 9).toBytes();
        rejects(plt8, null, "without a palette");
        rejects(plt8, new int[0], "without a palette");
        rejects(plt8, PALETTE, "palette index 9 beyond the 8 palette entries");
        rejects(LzStreams.lz(PLT1_LE, 8, 1, 1, true).byteLiterals(1).toBytes(), new int[] {0}, "it needs 2");
        rejects(LzStreams.lz(PLT4_LE, 5, 1, 2, true).byteLiterals(1, 2).toBytes(), PALETTE, "stride 2 too small");
        rejects(LzStreams.lz(PLT8, 100, 100, 0xffffffffL, true).byteLiterals(1).toBytes(), PALETTE,
                "outside the limits");
    }

    @Test
    void alphaForAnotherSizeOrTypeIsRefused() {
        Pixels target = new Pixels(2, 2, new int[4]);
        byte[] small = LzStreams.lz(XXXA, 2, 1, 8, true).byteLiterals(1, 2).toBytes();
        rejects(() -> LzDecoder.decodeAlpha(small, 0, small.length, target), "alpha stream of 2x1 for a 2x2 image");
        byte[] rgb = LzStreams.lz(RGB32, 2, 2, 8, true).rgbLiterals(1, 2, 3, 4).toBytes();
        rejects(() -> LzDecoder.decodeAlpha(rgb, 0, rgb.length, target), "not XXXA");
    }

    @Test
    void randomCorruptionOnlyEverThrowsSpiceProtocolException() {
        Random rnd = new Random(20240501);
        byte[][] samples = {GOLDEN, GoldenImages.draws("lz-screenshot-menu").get(0).data(),
            GoldenImages.draws("lz-session").get(5).data(),
            LzStreams.lz(PLT4_BE, 30, 3, 15, false).byteLiterals(new int[45]).toBytes(),
            LzStreams.lz(RGBA, 5, 5, 20, true).rgbLiterals(new int[25]).units(XXXA).byteLiterals(new int[25]).toBytes()};
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 3000; round++) {
                byte[] b = samples[round % samples.length].clone();
                int flips = 1 + rnd.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = rnd.nextInt(b.length);
                    b[at] = (byte) (round % 3 == 0 && at < 28 ? rnd.nextInt(4) : rnd.nextInt(256));
                }
                int len = rnd.nextInt(8) == 0 ? rnd.nextInt(b.length + 1) : b.length;
                try {
                    Pixels px = LzDecoder.decode(b, 0, len, PALETTE);
                    assertTrue(px.argb().length == px.width() * px.height());
                } catch (SpiceProtocolException expected) {
                    // the only acceptable failure
                }
            }
        });
    }
}
