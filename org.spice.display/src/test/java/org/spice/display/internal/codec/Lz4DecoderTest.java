package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.spice.display.video.Lz4DecoderService;
import org.spice.display.video.VideoCodecException;
import org.spice.protocol.SpiceProtocolException;

/**
 * LZ4 images: blocks made by lz4-java's pure-Java compressor (an independent encoder), the cross-block
 * back-references spice-server's streaming compressor makes, the pixel formats, and data that lies.
 */
class Lz4DecoderTest {
    private static final LZ4Compressor LZ4 = LZ4Factory.safeInstance().fastCompressor();

    /** top-down byte, format byte, then each chunk compressed as one block with its big-endian size. */
    static byte[] image(boolean topDown, int format, byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(topDown ? 1 : 0);
        out.write(format);
        for (byte[] c : chunks) {
            byte[] block = LZ4.compress(c);
            raw(out, block);
        }
        return out.toByteArray();
    }

    /** The pixels as whoever draws them reads them: a 32BIT image's unused top byte as alpha 0xff. */
    static int[] read(Pixels p) {
        int[] out = new int[p.argb().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.at(i);
        }
        return out;
    }

    static void raw(ByteArrayOutputStream out, byte[] block) {
        out.write(block.length >>> 24);
        out.write(block.length >>> 16);
        out.write(block.length >>> 8);
        out.write(block.length);
        out.write(block, 0, block.length);
    }

    /**
     * Matches and literals of every length from 0 to 80 bytes at every offset from 1 to 40, so that both the short
     * copies in 8-byte moves (offsets of 8 and more, writing a little past the match) and the overlapping ones end
     * up with the pixels lz4-java's compressor was given, whichever comes next.
     */
    @Test
    void shortAndOverlappingCopiesOfEveryLengthAndOffsetGiveThePixels() {
        int width = 64;
        int height = 400;
        byte[] raw = new byte[width * height * 4];
        int p = 0;
        long seed = 19;
        for (int n = 0; p < raw.length; n++) {
            int offset = 1 + n % 40;
            int length = Math.min(n % 81, raw.length - p);
            for (int i = 0; i < length; i++, p++) {
                raw[p] = p >= offset ? raw[p - offset] : (byte) i;
            }
            for (int i = 0, literals = Math.min(n % 23, raw.length - p); i < literals; i++, p++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                raw[p] = (byte) (seed >>> 56);
            }
        }
        byte[] img = image(true, BitmapCodec.FMT_RGBA, raw);
        int[] expected = new int[width * height];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (raw[4 * i] & 0xff) | (raw[4 * i + 1] & 0xff) << 8 | (raw[4 * i + 2] & 0xff) << 16
                    | (raw[4 * i + 3] & 0xff) << 24;
        }
        assertArrayEquals(expected, Lz4Decoder.decode(img, 0, img.length, width, height).argb());
        // the thread's scratch buffer now holds this image's bytes: a smaller image and a truncated one decoded
        // into it after it are their own, and this image decodes the same again
        byte[] small = image(true, BitmapCodec.FMT_32BIT, new byte[] {3, 2, 1, 0, 6, 5, 4, 0});
        assertArrayEquals(new int[] {0xff010203, 0xff040506}, read(Lz4Decoder.decode(small, 0, small.length, 2, 1)));
        assertThrows(SpiceProtocolException.class, () -> Lz4Decoder.decode(img, 0, img.length / 2, width, height));
        assertArrayEquals(expected, Lz4Decoder.decode(img, 0, img.length, width, height).argb());
    }

    @Test
    void blocksOf32BitRowsDecodeBottomUpUnlessTopDown() {
        // 2x2 xRGB as B G R X bytes: row 0 = 0x010203 0x040506, row 1 = 0x070809 0x0a0b0c
        byte[] row0 = {3, 2, 1, 0, 6, 5, 4, 0};
        byte[] row1 = {9, 8, 7, 0, 12, 11, 10, 0};
        byte[] img = image(true, BitmapCodec.FMT_32BIT, row0, row1);
        Pixels top = Lz4Decoder.decode(img, 0, img.length, 2, 2);
        assertArrayEquals(new int[] {0xff010203, 0xff040506, 0xff070809, 0xff0a0b0c}, read(top));
        img = image(false, BitmapCodec.FMT_32BIT, row0, row1);
        Pixels bottomUp = Lz4Decoder.decode(img, 0, img.length, 2, 2);
        assertArrayEquals(new int[] {0xff070809, 0xff0a0b0c, 0xff010203, 0xff040506}, read(bottomUp));
    }

    /**
     * Blocks that end inside a row, as the rows a block completes become pixels when it ends: each row whole and in
     * its place, bottom-up and top-down, 32-bit (alpha set) and 24-bit.
     */
    @Test
    void blocksEndingInsideARowGiveWholeRows() {
        int w = 3;
        int h = 4;
        for (int format : new int[] {BitmapCodec.FMT_32BIT, BitmapCodec.FMT_24BIT}) {
            int bpp = format == BitmapCodec.FMT_32BIT ? 4 : 3;
            byte[] raw = new byte[w * h * bpp];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = (byte) (i * 7 + 1);
            }
            byte[][] chunks = {java.util.Arrays.copyOfRange(raw, 0, 5), java.util.Arrays.copyOfRange(raw, 5, 5),
                java.util.Arrays.copyOfRange(raw, 5, 2 * w * bpp + 1), java.util.Arrays.copyOfRange(raw,
                    2 * w * bpp + 1, raw.length)};
            for (boolean topDown : new boolean[] {true, false}) {
                int[] want = new int[w * h];
                for (int row = 0; row < h; row++) {
                    for (int x = 0; x < w; x++) {
                        int p = (row * w + x) * bpp;
                        want[(topDown ? row : h - 1 - row) * w + x] = 0xff000000 | (raw[p + 2] & 0xff) << 16
                                | (raw[p + 1] & 0xff) << 8 | (raw[p] & 0xff);
                    }
                }
                byte[] img = image(topDown, format, chunks);
                assertArrayEquals(want, read(Lz4Decoder.decode(img, 0, img.length, w, h)),
                        "format " + format + (topDown ? " top-down" : " bottom-up"));
            }
        }
    }

    @Test
    void rgbaKeepsAlphaAnd24And16BitExpand() {
        byte[] img = image(true, BitmapCodec.FMT_RGBA, new byte[] {3, 2, 1, (byte) 0x80});
        assertArrayEquals(new int[] {0x80010203}, Lz4Decoder.decode(img, 0, img.length, 1, 1).argb());
        img = image(true, BitmapCodec.FMT_24BIT, new byte[] {3, 2, 1, 6, 5, 4});
        assertArrayEquals(new int[] {0xff010203, 0xff040506}, Lz4Decoder.decode(img, 0, img.length, 2, 1).argb());
        // 0x7c1f: red 31, green 0, blue 31 -> 0xff00ff
        img = image(true, BitmapCodec.FMT_16BIT, new byte[] {0x1f, 0x7c});
        assertArrayEquals(new int[] {0xffff00ff}, Lz4Decoder.decode(img, 0, img.length, 1, 1).argb());
    }

    @Test
    void aLargeCompressibleImageRoundTrips() {
        int w = 300;
        int h = 200;
        byte[] raw = new byte[w * h * 4];
        int[] want = new int[w * h];
        for (int i = 0; i < w * h; i++) {
            int v = (i / 7) % 5 == 0 ? 0x336699 : i * 2654435761L % 3 == 0 ? i : 0xffffff;
            v &= 0xffffff;
            raw[4 * i] = (byte) v;
            raw[4 * i + 1] = (byte) (v >> 8);
            raw[4 * i + 2] = (byte) (v >> 16);
            want[i] = 0xff000000 | v;
        }
        // three blocks of rows, as spice-server cuts an image at its chunks
        byte[] a = java.util.Arrays.copyOfRange(raw, 0, 50 * w * 4);
        byte[] b = java.util.Arrays.copyOfRange(raw, 50 * w * 4, 120 * w * 4);
        byte[] c = java.util.Arrays.copyOfRange(raw, 120 * w * 4, raw.length);
        byte[] img = image(true, BitmapCodec.FMT_32BIT, a, b, c);
        assertArrayEquals(want, read(Lz4Decoder.decode(img, 0, img.length, w, h)));
    }

    /**
     * A 32BIT image's fourth byte is not alpha: the pixels keep it as sent (a copy of the blocks' bytes, as spice-gtk's
     * x8r8g8b8 image holds it) and say so; RGBA's is alpha, 24-bit pixels are made opaque.
     */
    @Test
    void the32BitFormatsUnusedByteIsKeptAsSentAndReadAsOpaque() {
        byte[] img = image(true, BitmapCodec.FMT_32BIT, new byte[] {3, 2, 1, 0x40, 6, 5, 4, 0});
        Pixels p = Lz4Decoder.decode(img, 0, img.length, 2, 1);
        assertTrue(p.opaque());
        assertArrayEquals(new int[] {0x40010203, 0x00040506}, p.argb());
        assertEquals(0xff010203, p.at(0));
        img = image(true, BitmapCodec.FMT_RGBA, new byte[] {3, 2, 1, 0x40});
        p = Lz4Decoder.decode(img, 0, img.length, 1, 1);
        assertFalse(p.opaque());
        assertEquals(0x40010203, p.at(0));
        img = image(true, BitmapCodec.FMT_24BIT, new byte[] {3, 2, 1});
        assertFalse(Lz4Decoder.decode(img, 0, img.length, 1, 1).opaque());
    }

    /** A stand-in for a native decoder: the blocks decoded here, their bytes turned into ints as liblz4 writes them. */
    private static final class JavaBlocks implements Lz4DecoderService {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public boolean decode(byte[] data, int offset, int length, int[] pixels) {
            calls.incrementAndGet();
            byte[] out = new byte[pixels.length * 4];
            int op = 0;
            for (int ip = offset; ip < offset + length; ) {
                int size = ByteBuffer.wrap(data, ip, 4).getInt();
                op = Lz4Decoder.block(data, ip + 4, ip + 4 + size, out, op, out.length);
                ip += 4 + size;
            }
            if (op != out.length) {
                throw new VideoCodecException("decoded to " + op + " bytes");
            }
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(pixels);
            return true;
        }
    }

    /**
     * A registered native decoder decodes the blocks of 32-bit images (both row orders, into the array offered) and
     * gives the pixels the display's own decoder gives; other formats, and a decoder that cannot run here, leave the
     * image to the display's; its refusal is the image's.
     */
    @Test
    void aNativeDecoderDecodesTheBlocksOf32BitImages() {
        byte[] row0 = {3, 2, 1, 0x11, 6, 5, 4, 0x22};
        byte[] row1 = {9, 8, 7, 0x33, 12, 11, 10, 0x44};
        JavaBlocks blocks = new JavaBlocks();
        for (int format : new int[] {BitmapCodec.FMT_32BIT, BitmapCodec.FMT_RGBA}) {
            for (boolean topDown : new boolean[] {true, false}) {
                byte[] img = image(topDown, format, row0, row1);
                Pixels own = Lz4Decoder.decode(img, 0, img.length, 2, 2);
                int[] into = new int[4];
                Pixels viaNative = Lz4Decoder.decode(img, 0, img.length, 2, 2, into, blocks);
                assertSame(into, viaNative.argb());
                assertArrayEquals(own.argb(), viaNative.argb(), format + (topDown ? " top-down" : " bottom-up"));
                assertEquals(own.opaque(), viaNative.opaque());
            }
        }
        assertEquals(4, blocks.calls.get());
        byte[] rgb = image(true, BitmapCodec.FMT_24BIT, new byte[] {3, 2, 1});
        assertEquals(0xff010203, Lz4Decoder.decode(rgb, 0, rgb.length, 1, 1, null, blocks).argb()[0]);
        assertEquals(4, blocks.calls.get());
        byte[] img = image(true, BitmapCodec.FMT_32BIT, row0, row1);
        Lz4DecoderService unavailable = (data, offset, length, pixels) -> false;
        assertArrayEquals(new int[] {0x11010203, 0x22040506, 0x33070809, 0x440a0b0c},
                Lz4Decoder.decode(img, 0, img.length, 2, 2, null, unavailable).argb());
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class,
                () -> Lz4Decoder.decode(img, 0, img.length, 2, 3, null, blocks));
        assertTrue(e.getMessage().contains("decoded to 16 bytes"), e.getMessage());
    }

    /** Block 1: literals "ABCDEFGH"; block 2: a 4-byte match 8 back (into block 1), then 4 literals. */
    static final byte[] LINKED_FIRST = {(byte) 0x80, 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'};
    static final byte[] LINKED_SECOND = {0x00, 8, 0, 0x40, 'w', 'x', 'y', 'z'};

    @Test
    void aBlockMayCopyFromTheBlocksBeforeIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(BitmapCodec.FMT_RGBA);
        raw(out, LINKED_FIRST);
        raw(out, LINKED_SECOND);
        byte[] img = out.toByteArray();
        // 16 bytes, 4 RGBA pixels: ABCD EFGH ABCD wxyz (B G R A order)
        int abcd = 'D' << 24 | 'C' << 16 | 'B' << 8 | 'A';
        assertArrayEquals(new int[] {abcd, 'H' << 24 | 'G' << 16 | 'F' << 8 | 'E', abcd,
            'z' << 24 | 'y' << 16 | 'x' << 8 | 'w'}, Lz4Decoder.decode(img, 0, img.length, 4, 1).argb());
        // which lz4-java cannot decode: its decompressors refuse a match before the block's own output
        byte[] dest = new byte[16];
        int n = LZ4Factory.safeInstance().safeDecompressor().decompress(LINKED_FIRST, 0, 9, dest, 0, 16);
        assertThrows(LZ4Exception.class, () -> LZ4Factory.safeInstance().safeDecompressor()
                .decompress(LINKED_SECOND, 0, LINKED_SECOND.length, dest, n, 16 - n));
    }

    private static void refused(byte[] img, int w, int h) {
        assertThrows(SpiceProtocolException.class, () -> Lz4Decoder.decode(img, 0, img.length, w, h));
    }

    @Test
    void lyingDataIsRefused() {
        refused(new byte[] {1}, 1, 1);
        refused(new byte[] {1, 5, 0, 0, 0, 1, 0}, 1, 1); // palette format
        refused(new byte[] {1, 8, 0x7f, 0, 0, 0, 0}, 1, 1); // block bigger than the data
        refused(new byte[] {1, 8, 0, 0}, 1, 1); // size cut short
        refused(new byte[] {1, 8, 0, 0, 0, 2, (byte) 0xf0, (byte) 0xff}, 1, 1); // literal length runs off
        refused(new byte[] {1, 8, 0, 0, 0, 5, 0x10, 1, 0x10, 0, 0}, 1, 1); // match before the image start
        refused(new byte[] {1, 8, 0, 0, 0, 9, 0x40, 1, 2, 3, 4, 0x0f, 4, 0, (byte) 0xff}, 1, 1); // overrun
        refused(new byte[] {1, 8, 0, 0, 0, 3, 0x20, 1, 2}, 1, 1); // too few bytes for the image
        refused(image(true, 8, new byte[4]), 100_000, 100_000); // gigantic
    }

    /** Before allocating: 8192x8192 RGB32 is 256 MiB, which 12 bytes of LZ4 cannot hold (at most 255 bytes each). */
    @Test
    void aSizeTheDataCannotHoldIsRefusedBeforeAllocating() {
        byte[] img = {1, 8, 0, 0, 0, 6, 0x0f, 1, 2, 3, 4, 0};
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class,
                () -> Lz4Decoder.decode(img, 0, img.length, 8192, 8192));
        assertTrue(e.getMessage().contains("cannot hold"), e.getMessage());
    }

    /**
     * A literal length of 8.4 million extension bytes of 255 sums past Integer.MAX_VALUE: without a bound on the
     * running sum it wrapped negative and reached System.arraycopy (an IndexOutOfBoundsException).
     */
    @Test
    void aLiteralLengthThatWouldOverflowAnIntIsRefused() {
        int ext = 8_421_505; // 15 + 255 * ext > 2^31 - 1
        byte[] block = new byte[1 + ext + 1 + 4];
        block[0] = (byte) 0xf0;
        java.util.Arrays.fill(block, 1, 1 + ext, (byte) 0xff);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(BitmapCodec.FMT_32BIT);
        raw(out, block);
        refused(out.toByteArray(), 1, 1);
        // the same for a match length, after 4 literals
        block = new byte[1 + 4 + 2 + ext + 1];
        block[0] = 0x4f;
        block[5] = 4;
        java.util.Arrays.fill(block, 7, 7 + ext, (byte) 0xff);
        out = new ByteArrayOutputStream();
        out.write(1);
        out.write(BitmapCodec.FMT_32BIT);
        raw(out, block);
        refused(out.toByteArray(), 4096, 4096);
    }
}
