package org.spice.video.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.spice.display.internal.codec.Lz4Decoder;
import org.spice.display.internal.codec.Pixels;
import org.spice.protocol.SpiceProtocolException;

/**
 * liblz4 behind LibLz4 on the LZ4 images a server sends, as the client decodes them (Lz4Decoder's checks, then the
 * blocks of a 32-bit image through the bundle's JNI library straight into the pixels' Java array, so a write past
 * the array would hit the JVM's own heap). Input as Lz4FuzzTest's: [width u16 LE][height u16 LE][the LZ4 image].
 * Only SpiceProtocolException may escape; where the display's own decoder decodes the image too, the pixels are
 * the same. Each refuses a little the other takes: liblz4 an empty block or a match that ends in the image's last
 * five bytes; the display's decoder a match offset of 0, which liblz4 1.9 takes (as spice-gtk's canvas then does)
 * and copies the bytes already in the array at that place (seed {@code match-offset-zero}, the fuzzer's first
 * disagreement). A fuzzing run that crashes the JVM is a finding too.
 */
class LibLz4FuzzTest {
    private static final LibLz4 LIB_LZ4 = new LibLz4();

    @FuzzTest(maxDuration = "10m")
    void lz4(byte[] input) {
        if (LibLz4.loadFailure() != null) {
            throw new AssertionError("liblz4 cannot be used: " + LibLz4.loadFailure());
        }
        if (input.length < 4) {
            return;
        }
        int width = (input[0] & 0xff) | (input[1] & 0xff) << 8;
        int height = (input[2] & 0xff) | (input[3] & 0xff) << 8;
        byte[] message = new byte[input.length + 3];
        System.arraycopy(input, 4, message, 3, input.length - 4);
        int length = input.length - 4;
        Pixels viaLibLz4;
        try {
            viaLibLz4 = Lz4Decoder.decode(message, 3, length, width, height, null, LIB_LZ4);
        } catch (SpiceProtocolException refused) {
            return;
        }
        if (viaLibLz4.width() != width || viaLibLz4.height() != height
                || viaLibLz4.argb().length != width * height) {
            throw new AssertionError("decoded " + viaLibLz4.width() + "x" + viaLibLz4.height() + " for " + width
                    + "x" + height);
        }
        Pixels own;
        try {
            own = Lz4Decoder.decode(message, 3, length, width, height);
        } catch (SpiceProtocolException refused) {
            return;
        }
        if (!Arrays.equals(own.argb(), viaLibLz4.argb()) || own.opaque() != viaLibLz4.opaque()) {
            throw new AssertionError("liblz4 and the display's own decoder disagree on a " + width + "x" + height
                    + " image");
        }
    }
}
