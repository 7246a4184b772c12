package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The decoders' {@code into} form: an array of the image's size is written and returned whatever it held before
 * (every pixel is written before it is read), any other array is left alone.
 */
class DecodeIntoTest {
    private static final int W = 61;
    private static final int H = 37;
    private static final int GARBAGE = 0x5a5a5a5a;

    private static int[] dirty(int count) {
        int[] a = new int[count];
        Arrays.fill(a, GARBAGE);
        return a;
    }

    private interface Decode {
        Pixels apply(int[] into);
    }

    /** Decoded into a dirty array of the image's size: the same pixels, in that array; into any other: left alone. */
    private static void writesIntoAnArrayOfItsSize(Decode decode, boolean intoReturned) {
        Pixels fresh = decode.apply(null);
        int[] into = dirty(fresh.argb().length);
        Pixels reused = decode.apply(into);
        assertArrayEquals(fresh.argb(), reused.argb());
        if (intoReturned) {
            assertSame(into, reused.argb());
        } else {
            assertNotSame(into, reused.argb());
        }
        int[] other = dirty(fresh.argb().length + 1);
        Pixels elsewhere = decode.apply(other);
        assertArrayEquals(fresh.argb(), elsewhere.argb());
        assertNotSame(other, elsewhere.argb());
        assertArrayEquals(dirty(other.length), other);
    }

    @Test
    void quicOfEveryType() {
        for (int type = QuicFormat.TYPE_GRAY; type <= QuicFormat.TYPE_RGBA; type++) {
            int[] source = TestPictures.picture("mixed", W, H, type);
            byte[] stream = QuicEncoder.encode(type, W, H, source, 0, W);
            writesIntoAnArrayOfItsSize(into -> QuicDecoder.decode(stream, 0, stream.length, into), true);
        }
    }

    @Test
    void quicOfAGoldenScreen() {
        byte[] stream = QuicGoldenTest.resource("splash-1024x768.quic");
        writesIntoAnArrayOfItsSize(into -> QuicDecoder.decode(stream, 0, stream.length, into), true);
    }

    @Test
    void lzTopDownIsWrittenIntoTheArrayAndBottomUpIsFlippedIntoANewOne() {
        int[] source = TestPictures.picture("mixed", W, H, 7);
        for (byte[] stream : new byte[][] { LzEncoder.encodeRgb32(W, H, source, 0, W),
            LzEncoder.encodeRgba(W, H, source, 0, W) }) {
            writesIntoAnArrayOfItsSize(into -> LzDecoder.decode(stream, 0, stream.length, null, into), true);
            byte[] bottomUp = stream.clone();
            bottomUp[LzDecoder.HEADER_SIZE - 1] = 0; // the header's last u32, top_down, is big-endian
            writesIntoAnArrayOfItsSize(into -> LzDecoder.decode(bottomUp, 0, bottomUp.length, null, into), false);
        }
    }

    @Test
    void lz4OfBothRowOrders() {
        byte[] raw = new byte[W * H * 4];
        int[] source = TestPictures.picture("mixed", W, H, 11);
        for (int i = 0; i < source.length; i++) {
            raw[4 * i] = (byte) source[i];
            raw[4 * i + 1] = (byte) (source[i] >> 8);
            raw[4 * i + 2] = (byte) (source[i] >> 16);
        }
        for (boolean topDown : new boolean[] { true, false }) {
            byte[] stream = Lz4DecoderTest.image(topDown, BitmapCodec.FMT_32BIT, raw);
            writesIntoAnArrayOfItsSize(into -> Lz4Decoder.decode(stream, 0, stream.length, W, H, into), true);
        }
    }
}
