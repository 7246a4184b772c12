package org.spice.video.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.codec.ImageLimits;
import org.spice.display.internal.codec.JpegDecoder;
import org.spice.display.internal.codec.JpegEncoder;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoPicture;

/**
 * libjpeg-turbo through TurboJpeg: the pixels of JPEGs of a screen-like picture (ImageIO's libjpeg and libjpeg-turbo
 * round alike), sizes over the limits refused from the header, garbage refused with a clear error; the pictures
 * written straight into Java arrays (the bundle's JNI library) the same as those copied out of native memory. Fails
 * where the library is missing (scripts/install-peers.sh installs libturbojpeg0), and on Linux x86-64 where the JNI
 * library is (the build makes it with gcc, which install-peers.sh installs).
 */
class TurboJpegTest {
    private static final TurboJpeg DECODER = new TurboJpeg();
    /** Decodes into native memory and copies, as where the JNI library is missing. */
    private static final TurboJpeg COPYING = new TurboJpeg(false, true);

    @AfterAll
    static void close() {
        DECODER.close();
        COPYING.close();
    }

    private static int[] screen(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (x / 8 + y / 8) % 3 == 0 ? 0xff2060c0 : 0xff000000 | (x * 3) << 16 | (y * 5 & 0xff) << 8
                        | (x ^ y) & 0xff;
            }
        }
        return px;
    }

    @Test
    void decodesAsTheDisplaysOwnDecoderDoesAndOpaque() {
        assertNull(TurboJpeg.loadFailure());
        for (int[] size : new int[][] {{64, 48}, {37, 13}, {1, 1}}) {
            int w = size[0];
            int h = size[1];
            byte[] jpeg = JpegEncoder.encode(w, h, screen(w, h), 0, w, JpegEncoder.DEFAULT_QUALITY);
            int[] imageIo = JpegDecoder.decode(jpeg, 0, jpeg.length).argb();
            // at an offset inside a larger array, as MJPEG frames and images arrive
            byte[] padded = new byte[jpeg.length + 10];
            System.arraycopy(jpeg, 0, padded, 7, jpeg.length);
            VideoPicture p = DECODER.decode(padded, 7, jpeg.length, ImageLimits.MAX_SIDE, ImageLimits.MAX_PIXELS);
            assertEquals(w, p.width());
            assertEquals(h, p.height());
            int worst = 0;
            for (int i = 0; i < imageIo.length; i++) {
                assertEquals(0xff, p.argb()[i] >>> 24, "alpha at " + i);
                for (int shift = 0; shift < 24; shift += 8) {
                    worst = Math.max(worst, Math.abs((imageIo[i] >> shift & 0xff) - (p.argb()[i] >> shift & 0xff)));
                }
            }
            assertTrue(worst <= 2, w + "x" + h + ": differs from ImageIO by " + worst);
        }
    }

    @Test
    void picturesWrittenStraightIntoArraysAreThoseCopiedOutOfNativeMemory() {
        if (Platform.RESOURCE_PREFIX.equals("linux-x86-64")) {
            assertNull(HeapArrayCalls.FAILURE, "the JNI library of org.spice.video");
        }
        for (int[] size : new int[][] {{1920, 1080}, {64, 48}, {37, 13}, {1, 1}}) {
            int w = size[0];
            int h = size[1];
            byte[] jpeg = JpegEncoder.encode(w, h, screen(w, h), 0, w, JpegEncoder.DEFAULT_QUALITY);
            int[] copied = COPYING.decode(jpeg, 0, jpeg.length, ImageLimits.MAX_SIDE, ImageLimits.MAX_PIXELS).argb();
            int[] into = new int[w * h];
            Arrays.fill(into, 0x5a5a5a5a);
            int[] straight = DECODER.decode(jpeg, 0, jpeg.length, ImageLimits.MAX_SIDE, ImageLimits.MAX_PIXELS, into)
                    .argb();
            assertSame(into, straight);
            assertArrayEquals(copied, straight, w + "x" + h);
        }
        // the sizes the native code trusts are checked before it runs (with no library function to call)
        assertThrows(IllegalArgumentException.class, () -> HeapArrayCalls.tjDecompress2(0, 0, new byte[8], 0, 8,
                new int[11], 3, 4, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> HeapArrayCalls.tjDecompress2(0, 0, new byte[8], 2, 7,
                new int[12], 3, 4, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> HeapArrayCalls.tjDecompressHeader3(0, 0, new byte[8], 9,
                0, new int[4]));
        assertThrows(IndexOutOfBoundsException.class, () -> HeapArrayCalls.tjDecompressHeader3(0, 0, new byte[8], 0,
                8, new int[3]));
    }

    @Test
    void anArrayOfThePicturesSizeIsDecodedIntoAndAnyOtherLeftAlone() {
        byte[] jpeg = JpegEncoder.encode(37, 13, screen(37, 13), 0, 37, JpegEncoder.DEFAULT_QUALITY);
        int[] fresh = DECODER.decode(jpeg, 0, jpeg.length, ImageLimits.MAX_SIDE, ImageLimits.MAX_PIXELS).argb();
        int[] into = new int[37 * 13];
        Arrays.fill(into, 0x5a5a5a5a);
        VideoPicture p = DECODER.decode(jpeg, 0, jpeg.length, ImageLimits.MAX_SIDE, ImageLimits.MAX_PIXELS, into);
        assertSame(into, p.argb());
        assertArrayEquals(fresh, into);
        int[] other = new int[37 * 13 + 1];
        VideoPicture q = DECODER.decode(jpeg, 0, jpeg.length, ImageLimits.MAX_SIDE, ImageLimits.MAX_PIXELS, other);
        assertNotSame(other, q.argb());
        assertArrayEquals(fresh, q.argb());
        assertArrayEquals(new int[other.length], other);
    }

    @Test
    void aSizeOverTheLimitsIsRefusedFromTheHeader() {
        byte[] jpeg = JpegEncoder.encode(64, 48, screen(64, 48), 0, 64, 90);
        VideoCodecException e = assertThrows(VideoCodecException.class,
                () -> DECODER.decode(jpeg, 0, jpeg.length, 63, 1 << 20));
        assertTrue(e.getMessage().contains("64x48 outside the limits"), e.getMessage());
        e = assertThrows(VideoCodecException.class, () -> DECODER.decode(jpeg, 0, jpeg.length, 100, 64 * 48 - 1));
        assertTrue(e.getMessage().contains("outside the limits"), e.getMessage());
        assertEquals(64, DECODER.decode(jpeg, 0, jpeg.length, 64, 64 * 48).width());
    }

    @Test
    void garbageAndEmptyDataAreRefusedWithTheLibrarysReason() {
        byte[] jpeg = JpegEncoder.encode(64, 48, screen(64, 48), 0, 64, 90);
        byte[] garbage = new byte[200];
        Arrays.fill(garbage, (byte) 0x5a);
        VideoCodecException e = assertThrows(VideoCodecException.class,
                () -> DECODER.decode(garbage, 0, garbage.length, 4096, 1 << 24));
        assertTrue(e.getMessage().startsWith("not a JPEG libjpeg-turbo decodes: "), e.getMessage());
        assertThrows(VideoCodecException.class, () -> DECODER.decode(jpeg, 0, 0, 4096, 1 << 24));
        assertThrows(IndexOutOfBoundsException.class, () -> DECODER.decode(jpeg, 10, jpeg.length, 4096, 1 << 24));
        // a header with no scan after it: the library's error, not a crash or a picture
        byte[] headerOnly = Arrays.copyOf(jpeg, 200);
        assertThrows(VideoCodecException.class, () -> DECODER.decode(headerOnly, 0, 20, 4096, 1 << 24));
        // and the decoder still decodes after each refusal
        assertEquals(48, DECODER.decode(jpeg, 0, jpeg.length, 4096, 1 << 24).height());
    }

    /**
     * TurboJpegFuzzTest's finding: a 1x1 JPEG whose second Huffman table is damaged after a warning. libjpeg-turbo
     * 2.1 reports the fatal error as a warning (its warning flag stays set) and writes no pixel; the picture came back
     * with the array's old content, alpha 0 in a new array. Now every pixel is opaque, whichever way it is decoded.
     */
    @Test
    void aFatalErrorAfterAWarningStillGivesAnOpaquePicture() throws IOException {
        byte[] jpeg;
        try (InputStream in = getClass().getResourceAsStream("/fuzz-findings/turbojpeg/fatal-after-warning.jpg")) {
            jpeg = in.readAllBytes();
        }
        for (TurboJpeg decoder : new TurboJpeg[] {DECODER, COPYING}) {
            for (int[] into : new int[][] {null, {0x005a5a5a}}) {
                VideoPicture p = decoder.decode(jpeg, 0, jpeg.length, 64, 4096, into);
                assertEquals(1, p.width());
                assertEquals(1, p.height());
                assertEquals(0xff, p.argb()[0] >>> 24, decoder == DECODER ? "in place" : "copying");
            }
        }
    }

    /**
     * JPEGs with bytes changed, cut short or repeated: each gives a picture of at most the limits or a clear error,
     * never a crash of the JVM or another exception.
     */
    @Test
    void damagedJpegsGiveAPictureOrAClearError() {
        damagedJpegsGiveAPictureOrAClearError(DECODER);
        damagedJpegsGiveAPictureOrAClearError(COPYING);
    }

    private static void damagedJpegsGiveAPictureOrAClearError(TurboJpeg decoder) {
        byte[] jpeg = JpegEncoder.encode(64, 48, screen(64, 48), 0, 64, 90);
        java.util.Random random = new java.util.Random(19);
        int pictures = 0;
        int errors = 0;
        for (int i = 0; i < 400; i++) {
            byte[] damaged = Arrays.copyOf(jpeg, i % 4 == 0 ? random.nextInt(jpeg.length) + 1 : jpeg.length);
            for (int k = 0, n = 1 + random.nextInt(8); k < n; k++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            try {
                VideoPicture p = decoder.decode(damaged, 0, damaged.length, 256, 256 * 256);
                assertTrue(p.width() <= 256 && p.height() <= 256, p.width() + "x" + p.height());
                for (int px : p.argb()) {
                    assertEquals(0xff, px >>> 24, "alpha of a damaged JPEG's picture");
                }
                pictures++;
            } catch (VideoCodecException e) {
                assertTrue(e.getMessage().startsWith("not a JPEG") || e.getMessage().startsWith("JPEG"),
                        e.getMessage());
                errors++;
            }
        }
        assertTrue(pictures > 0 && errors > 0, pictures + " pictures, " + errors + " errors");
    }
}
