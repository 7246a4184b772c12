package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spice.protocol.SpiceProtocolException;

/** Malformed QUIC data fails with a SpiceProtocolException, quickly, and nothing else. */
class QuicBadInputTest {
    private static final byte[] BIOS = QuicGoldenTest.resource("bios-720x400.quic");

    static byte[] header(int magic, int version, int type, int width, int height, int extraBytes) {
        ByteBuffer b = ByteBuffer.allocate(20 + extraBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(magic).putInt(version).putInt(type).putInt(width).putInt(height);
        return b.array();
    }

    static SpiceProtocolException rejects(byte[] data) {
        return rejects(data, 0, data.length);
    }

    static SpiceProtocolException rejects(byte[] data, int offset, int length) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(SpiceProtocolException.class, () -> QuicDecoder.decode(data, offset, length)));
    }

    static byte[] patchWord(byte[] data, int word, int value) {
        byte[] copy = data.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(word * 4, value);
        return copy;
    }

    @Test
    void emptyAndTinyInputs() {
        for (int n = 0; n < 24; n++) {
            rejects(Arrays.copyOf(BIOS, n));
        }
        assertTrue(rejects(new byte[0]).getMessage().contains("truncated"));
    }

    @Test
    void wrongMagic() {
        assertTrue(rejects(patchWord(BIOS, 0, 0x43495552)).getMessage().contains("magic"));
        assertTrue(rejects("QUIX".getBytes()).getMessage().contains("magic"));
        // big-endian "QUIC"
        assertTrue(rejects(patchWord(BIOS, 0, Integer.reverseBytes(QuicFormat.MAGIC))).getMessage()
                .contains("magic"));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 0x00000001, 0x00010000, 0x00010001, -1 })
    void wrongVersion(int version) {
        assertTrue(rejects(patchWord(BIOS, 1, version)).getMessage().contains("version"));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 6, 7, 100, -1, Integer.MIN_VALUE })
    void unknownType(int type) {
        assertTrue(rejects(patchWord(BIOS, 2, type)).getMessage().contains("type"));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -1, Integer.MIN_VALUE, 16385, 100000 })
    void impossibleSizes(int side) {
        rejects(patchWord(BIOS, 3, side));
        rejects(patchWord(BIOS, 4, side));
    }

    @Test
    void sizesOverThePixelLimitAreRejectedBeforeAllocating() {
        // 16384 x 16384 passes the per-side limit but not the pixel limit
        byte[] huge = patchWord(patchWord(BIOS, 3, 16384), 4, 16384);
        assertTrue(rejects(huge).getMessage().contains("limits"));
    }

    @Test
    void sizesTheDataCannotHoldAreRejectedBeforeAllocating() {
        // a legal size, but 12 kB cannot code 8192x8192 pixels (no attempt to allocate 256 MB)
        byte[] big = patchWord(patchWord(BIOS, 3, 8192), 4, 8192);
        assertTrue(rejects(big).getMessage().contains("cannot hold"));
        rejects(header(QuicFormat.MAGIC, 0, QuicFormat.TYPE_RGBA, 8192, 8192, 40));
    }

    @Test
    void lyingSizes() {
        // taller or wider than what was coded: the data runs out or stops making sense
        rejects(patchWord(BIOS, 4, 401));
        rejects(patchWord(BIOS, 4, 800));
        rejects(patchWord(BIOS, 3, 721));
        rejects(patchWord(BIOS, 3, 1440));
        rejects(patchWord(BIOS, 3, 719));
        // another type over the same data
        rejects(patchWord(BIOS, 2, QuicFormat.TYPE_RGBA));
        rejects(patchWord(BIOS, 2, QuicFormat.TYPE_GRAY));
        rejects(patchWord(BIOS, 2, QuicFormat.TYPE_RGB16));
    }

    @Test
    void fewerRowsThanCodedLackTheEndMarker() {
        // the rows are coded top first, so claiming fewer rows would decode the top of the image, but the bits
        // after its last pixel are not the encoder's zero padding
        assertTrue(rejects(patchWord(BIOS, 4, 200)).getMessage().contains("padding"));
        assertTrue(rejects(patchWord(BIOS, 4, 1)).getMessage().contains("padding"));
    }

    @Test
    void rgb24AndRgb32AreTheSameStream() {
        Pixels rgb24 = QuicDecoder.decode(patchWord(BIOS, 2, QuicFormat.TYPE_RGB24), 0, BIOS.length);
        assertArrayEquals(QuicDecoder.decode(BIOS, 0, BIOS.length).argb(), rgb24.argb());
    }

    @Test
    void everyTruncationFails() {
        for (int n = 0; n < BIOS.length; n += n < 200 ? 1 : 97) {
            rejects(BIOS, 0, n);
        }
        for (int n = BIOS.length - 12; n < BIOS.length; n++) {
            rejects(BIOS, 0, n);
        }
        byte[] splash = QuicGoldenTest.resource("splash-1024x768.quic");
        for (int n = splash.length - 4; n > 20; n = n * 3 / 4) {
            rejects(splash, 0, n);
        }
    }

    @Test
    void trailingBytesAreIgnored() {
        byte[] longer = Arrays.copyOf(BIOS, BIOS.length + 3);
        longer[BIOS.length] = 0x55;
        assertArrayEquals(QuicDecoder.decode(BIOS, 0, BIOS.length).argb(),
                QuicDecoder.decode(longer, 0, longer.length).argb());
        byte[] zeros = Arrays.copyOf(BIOS, BIOS.length + 64);
        assertEquals(720, QuicDecoder.decode(zeros, 0, zeros.length).width());
    }

    @Test
    void randomGarbageAfterAValidHeader() {
        Random random = new Random(1);
        int[] types = { QuicFormat.TYPE_GRAY, QuicFormat.TYPE_RGB16, QuicFormat.TYPE_RGB24, QuicFormat.TYPE_RGB32,
            QuicFormat.TYPE_RGBA };
        int[][] sizes = { { 1, 1 }, { 2, 2 }, { 16, 16 }, { 64, 48 }, { 720, 400 } };
        for (int round = 0; round < 300; round++) {
            int type = types[round % types.length];
            int[] size = sizes[(round / types.length) % sizes.length];
            int extra = random.nextInt(round % 3 == 0 ? 64 : 200_000);
            byte[] data = header(QuicFormat.MAGIC, 0, type, size[0], size[1], extra);
            for (int i = 20; i < data.length; i++) {
                data[i] = (byte) random.nextInt();
            }
            rejects(data);
        }
    }

    @Test
    void corruptedGoldenStreams() {
        Random random = new Random(2);
        for (int round = 0; round < 200; round++) {
            byte[] data = BIOS.clone();
            int flips = 1 + random.nextInt(8);
            for (int f = 0; f < flips; f++) {
                int at = 20 + random.nextInt(data.length - 20);
                data[at] ^= (byte) (1 << random.nextInt(8));
            }
            // a flipped bit may leave a valid image; anything else must be a protocol error
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> QuicDecoder.decode(data, 0, data.length));
            } catch (SpiceProtocolException expected) {
                // fine
            }
        }
    }

    @Test
    void theRangeIsChecked() {
        assertThrows(IndexOutOfBoundsException.class, () -> QuicDecoder.decode(BIOS, 1, BIOS.length));
        assertThrows(IndexOutOfBoundsException.class, () -> QuicDecoder.decode(BIOS, -1, 4));
    }
}
