package org.spice.video.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.codec.Lz4Decoder;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.video.VideoCodecException;

/**
 * liblz4 through LibLz4, on an image compressed as spice-server compresses one (chunks of rows with liblz4's
 * LZ4_compress_fast_continue, later chunks matching into earlier ones): the pixels the display's own decoder gives,
 * written into the array given; blocks that lie refused. Fails where liblz4 or the bundle's JNI library is missing
 * (install-peers.sh installs gcc, which the build makes the JNI library with).
 */
class LibLz4Test {
    private static final int W = 160;
    private static final int H = 60;
    private static final int ROWS_A_BLOCK = 8;

    /** liblz4's streaming compressor, as spice-server calls it. */
    interface Lz4 extends Library {
        Pointer LZ4_createStream();

        int LZ4_freeStream(Pointer stream);

        int LZ4_compress_fast_continue(Pointer stream, Pointer src, byte[] dst, int srcSize, int dstCapacity,
                int acceleration);

        int LZ4_decompress_safe(byte[] src, byte[] dst, int srcSize, int dstCapacity);
    }

    /**
     * A binding of its own each time, dropped after use: a binding kept would keep liblz4 loaded for LibLz4 too (see
     * {@link #liblz4StaysLoadedAfterCollections}).
     */
    private static Lz4 lz4() {
        return Native.load("lz4", Lz4.class);
    }

    /** B, G, R and the unused byte of each pixel; rows repeat every 11, so blocks of 8 rows copy from earlier ones. */
    private static byte[] raw() {
        byte[] raw = new byte[W * H * 4];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int p = (y * W + x) * 4;
                int v = (x / 5 + y % 11) % 4 == 0 ? 0x2060c0 : (x * 7 + (y % 11) * 13) & 0xffff;
                raw[p] = (byte) v;
                raw[p + 1] = (byte) (v >> 8);
                raw[p + 2] = (byte) (x * 3);
                raw[p + 3] = (byte) (x % 3); // what the guest left there
            }
        }
        return raw;
    }

    /** The blocks alone: each a big-endian size and the chunk's LZ4, compressed where the rows before it lie. */
    private static byte[][] blocks(byte[] raw) {
        Memory image = new Memory(raw.length);
        image.write(0, raw, 0, raw.length);
        Lz4 lz4 = lz4();
        Pointer stream = lz4.LZ4_createStream();
        try {
            int chunk = ROWS_A_BLOCK * W * 4;
            byte[][] blocks = new byte[(raw.length + chunk - 1) / chunk][];
            for (int i = 0; i < blocks.length; i++) {
                int n = Math.min(chunk, raw.length - i * chunk);
                byte[] out = new byte[n + n / 255 + 16];
                int size = lz4.LZ4_compress_fast_continue(stream, image.share((long) i * chunk), out, n, out.length, 1);
                assertTrue(size > 0);
                blocks[i] = Arrays.copyOf(out, size);
            }
            return blocks;
        } finally {
            lz4.LZ4_freeStream(stream);
        }
    }

    private static byte[] data(byte[][] blocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] b : blocks) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @Test
    void decodesTheBlocksIntoTheArrayAsTheDisplaysDecoderDoes() {
        assertNull(LibLz4.loadFailure());
        byte[] raw = raw();
        byte[][] blocks = blocks(raw);
        // the later blocks do copy from the earlier ones: alone, one of them does not decode
        Lz4 lz4 = lz4();
        assertTrue(Arrays.stream(blocks).skip(1).anyMatch(b -> lz4.LZ4_decompress_safe(b, new byte[W * H * 4],
                b.length, W * H * 4) < 0));
        byte[] data = data(blocks);
        byte[] padded = new byte[data.length + 7];
        System.arraycopy(data, 0, padded, 3, data.length);
        int[] pixels = new int[W * H];
        assertTrue(new LibLz4().decode(padded, 3, data.length, pixels));
        int[] sent = new int[W * H];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(sent);
        assertArrayEquals(sent, pixels);
        // as the display decodes the image with it, and without it
        byte[] image = new byte[data.length + 2];
        image[0] = 1; // top-down
        image[1] = 8; // 32BIT
        System.arraycopy(data, 0, image, 2, data.length);
        int[] into = new int[W * H];
        Pixels viaLibLz4 = Lz4Decoder.decode(image, 0, image.length, W, H, into, new LibLz4());
        assertSame(into, viaLibLz4.argb());
        assertArrayEquals(Lz4Decoder.decode(image, 0, image.length, W, H).argb(), viaLibLz4.argb());
        assertTrue(viaLibLz4.opaque());
    }

    /**
     * liblz4 stays loaded while LibLz4 holds its function's address: JNA unloads a library whose NativeLibrary is
     * collected (its cleaner thread calls dlclose), after which the call jumped into unmapped memory and the JVM
     * died (LibLz4FuzzTest's first run, a thousand images in).
     */
    @Test
    void liblz4StaysLoadedAfterCollections() throws InterruptedException {
        assertNull(LibLz4.loadFailure());
        byte[] data = data(blocks(raw()));
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        int[] pixels = new int[W * H];
        assertTrue(new LibLz4().decode(data, 0, data.length, pixels));
    }

    @Test
    void blocksThatLieAreRefused() {
        byte[] data = data(blocks(raw()));
        LibLz4 lz4 = new LibLz4();
        // cut inside the last block, inside a block's size, after the first block's size
        for (int length : new int[] {data.length - 1, data.length - ROWS_A_BLOCK * W * 4 / 2, 2, 4}) {
            if (length > 0 && length < data.length) {
                assertThrows(VideoCodecException.class, () -> lz4.decode(data, 0, length, new int[W * H]),
                        "cut to " + length);
            }
        }
        // more pixels than the blocks hold, and fewer (liblz4 stops at the array's end)
        assertThrows(VideoCodecException.class, () -> lz4.decode(data, 0, data.length, new int[W * H + 1]));
        int[] small = new int[W * (H - 1)];
        assertThrows(VideoCodecException.class, () -> lz4.decode(data, 0, data.length, small));
        // a block that is not LZ4: a match before the image's start
        byte[] garbage = {0, 0, 0, 5, 0x10, 1, 0x10, 0, 0};
        assertThrows(VideoCodecException.class, () -> lz4.decode(garbage, 0, garbage.length, new int[4]));
        // a block size past the data
        byte[] tooBig = {0x7f, 0, 0, 0, 0x10};
        assertThrows(VideoCodecException.class, () -> lz4.decode(tooBig, 0, tooBig.length, new int[4]));
        assertThrows(IndexOutOfBoundsException.class, () -> lz4.decode(data, 1, data.length, new int[W * H]));
    }
}
