package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.spice.protocol.SpiceProtocolException;

/** The bit reader, the code tables and the model, on streams written by hand. */
class QuicCraftedStreamTest {
    static byte[] words(int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    static byte[] image(int type, int width, int height, int... body) {
        int[] all = new int[5 + body.length];
        all[0] = QuicFormat.MAGIC;
        all[1] = QuicFormat.VERSION;
        all[2] = type;
        all[3] = width;
        all[4] = height;
        System.arraycopy(body, 0, all, 5, body.length);
        return words(all);
    }

    // ---- bit reader

    @Test
    void wordsAreLittleEndianAndReadFromTheirTopBit() {
        QuicBitReader r = new QuicBitReader(new byte[] { 0x78, 0x56, 0x34, 0x12, (byte) 0xf0, (byte) 0xde,
            (byte) 0xbc, (byte) 0x9a }, 0, 8);
        assertEquals(0x12345678, r.window());
        r.skip(4);
        assertEquals(0x23456789, r.window());
        r.skip(8);
        assertEquals(0x456789ab, r.window());
        r.skip(20);
        assertEquals(0x9abcdef0, r.window());
        assertThrows(SpiceProtocolException.class, () -> r.skip(1));
    }

    @Test
    void theWindowMayNotPassTheLastWholeWord() {
        QuicBitReader one = new QuicBitReader(new byte[] { 1, 2, 3, 4, 5, 6, 7 }, 0, 7);
        assertEquals(1, one.wordCount());
        assertEquals(0x04030201, one.window());
        assertThrows(SpiceProtocolException.class, () -> one.skip(1));
        assertThrows(SpiceProtocolException.class, () -> new QuicBitReader(new byte[3], 0, 3));
        QuicBitReader offset = new QuicBitReader(new byte[] { 9, 1, 2, 3, 4, 9 }, 1, 4);
        assertEquals(0x04030201, offset.window());
    }

    @Test
    void readerMatchesABitByBitModel() {
        Random random = new Random(3);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[4 + random.nextInt(64)];
            random.nextBytes(data);
            int words = data.length / 4;
            QuicBitReader r = new QuicBitReader(data, 0, data.length);
            long pos = 0;
            for (;;) {
                assertEquals(expectedWindow(data, pos), r.window(), "at bit " + pos);
                int n = 1 + random.nextInt(31);
                pos += n;
                if (pos + 32 > words * 32L) {
                    assertThrows(SpiceProtocolException.class, () -> r.skip(n));
                    break;
                }
                r.skip(n);
            }
        }
    }

    private static int expectedWindow(byte[] data, long pos) {
        int w = 0;
        for (int i = 0; i < 32; i++) {
            long bit = pos + i;
            int word = (int) (bit / 32);
            int inWord = (int) (bit % 32);
            int b = data[word * 4 + 3 - inWord / 8] >>> (7 - inWord % 8) & 1;
            w = w << 1 | b;
        }
        return w;
    }

    // ---- code tables

    @Test
    void eightBitFamily() {
        QuicFamily f = QuicFamily.BPC8;
        assertArrayEquals(new int[] { 18, 18, 18, 18, 15, 7, 3, 1 }, f.escapePrefix);
        assertArrayEquals(new int[] { 18, 36, 72, 144, 240, 224, 192, 128 }, f.escapeBase);
        assertArrayEquals(new int[] { 26, 26, 26, 25, 19, 12, 9, 8 }, f.escapeLength);
        assertEquals(8, f.bucketCount);
        int[] firstOfBucket = { 0, 1, 3, 7, 15, 31, 63, 127 };
        for (int b = 0; b < 8; b++) {
            assertEquals(b, f.bucketOf[firstOfBucket[b]]);
        }
        assertEquals(7, f.bucketOf[255]);
        assertEquals(6, f.bucketOf[126]);
        // the code length of 0 with code k is k + 1; of 255 with code 7 is 8
        assertEquals(1, f.codeLength[0]);
        assertEquals(8, f.codeLength[255 * 8 + 7]);
        assertEquals(26, f.codeLength[255 * 8]);
    }

    @Test
    void fiveBitFamily() {
        QuicFamily f = QuicFamily.BPC5;
        assertArrayEquals(new int[] { 21, 15, 7, 3, 1 }, f.escapePrefix);
        assertArrayEquals(new int[] { 21, 30, 28, 24, 16 }, f.escapeBase);
        assertArrayEquals(new int[] { 25, 16, 9, 6, 5 }, f.escapeLength);
        assertEquals(5, f.bucketCount);
        assertEquals(4, f.bucketOf[15]);
        assertEquals(4, f.bucketOf[31]);
        assertEquals(3, f.bucketOf[14]);
    }

    @Test
    void foldingInterleavesSigns() {
        for (QuicFamily f : new QuicFamily[] { QuicFamily.BPC8, QuicFamily.BPC5 }) {
            assertEquals(0, f.fold[0]);
            assertEquals(1, f.fold[f.mask]); // -1
            assertEquals(2, f.fold[1]);
            assertEquals(3, f.fold[f.mask - 1]); // -2
            for (int v = 0; v < f.levels; v++) {
                assertEquals(v, f.unfold[f.fold[v]]);
            }
        }
    }

    // ---- whole images written bit by bit

    @Test
    void onePixel() {
        // code 7 (the initial best code of 8-bit buckets) for folded 0x54 (0x2a - 0): "1" + "1010100"
        byte[] data = image(QuicFormat.TYPE_GRAY, 1, 1, 0xd4000000, 0);
        assertArrayEquals(new int[] { 0xff2a2a2a }, QuicDecoder.decode(data, 0, data.length).argb());
        assertArrayEquals(data, QuicEncoder.encode(QuicFormat.TYPE_GRAY, 1, 1, new int[] { 0x2a }, 0, 1));
    }

    @Test
    void twoPixelsPredictFromTheLeft() {
        // 0x2a, then 0x2b = 0x2a + 1, folded 2, still with code 7: "1" + "0000010"
        byte[] data = image(QuicFormat.TYPE_GRAY, 2, 1, 0xd4820000, 0);
        assertArrayEquals(new int[] { 0xff2a2a2a, 0xff2b2b2b }, QuicDecoder.decode(data, 0, data.length).argb());
        assertArrayEquals(data, QuicEncoder.encode(QuicFormat.TYPE_GRAY, 2, 1, new int[] { 0x2a, 0x2b }, 0, 2));
    }

    @Test
    void modelAdaptsAndRunsCoverTheRest() {
        // Row 0: 0 with code 7 ("10000000"); the update makes code 0 the best of bucket 0, so the next zeros
        // cost one bit each ("1" x 3). Row 1: three coded pixels ("111"), then a run is predicted at pixel 3:
        // one hit ("1") and the 0 that ends the hits ("0"); the run unit is 1 pixel, the remainder 0 bits.
        byte[] data = image(QuicFormat.TYPE_GRAY, 4, 2, 0x80fe0000, 0);
        int[] black = new int[8];
        java.util.Arrays.fill(black, 0xff000000);
        assertArrayEquals(black, QuicDecoder.decode(data, 0, data.length).argb());
        assertArrayEquals(data, QuicEncoder.encode(QuicFormat.TYPE_GRAY, 4, 2, new int[8], 0, 4));
    }

    @Test
    void escapeBeyondTheLastLevelIsRejected() {
        // pixel 0 as above, then code 0's escape (18 zeros) with suffix 255: 18 + 255 is no 8-bit value
        byte[] data = image(QuicFormat.TYPE_GRAY, 2, 1, 0x8000003f, 0xc0000000, 0);
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class,
                () -> QuicDecoder.decode(data, 0, data.length));
        assertTrue(e.getMessage().contains("invalid codeword"), e.getMessage());
    }

    @Test
    void runLongerThanTheRowIsRejected() {
        // as modelAdaptsAndRunsCoverTheRest, but two hits ("110") where one pixel is left:
        // 10000000 111 111 110
        byte[] data = image(QuicFormat.TYPE_GRAY, 4, 2, 0x80ff0000, 0);
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class,
                () -> QuicDecoder.decode(data, 0, data.length));
        assertTrue(e.getMessage().contains("run of 2 pixels"), e.getMessage());
    }

    @Test
    void missingEndMarkerIsRejected() {
        byte[] data = image(QuicFormat.TYPE_GRAY, 1, 1, 0xd4000001, 0);
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class,
                () -> QuicDecoder.decode(data, 0, data.length));
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
    }
}
