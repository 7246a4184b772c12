package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spice.display.internal.codec.GoldenImages.draws;
import static org.spice.display.internal.codec.GoldenImages.firstDifference;
import static org.spice.display.internal.codec.GoldenImages.reference;
import static org.spice.display.internal.codec.GoldenImages.rgbDifferences;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The LZ4 image QEMU 7.2 sent our client that asked for LZ4, decoded and compared with spicy-screenshot's picture. */
class Lz4GoldenTest {
    static final int IMAGE_LZ4 = 109;

    @Test
    void wholeScreenImageEqualsTheScreenshot() {
        List<GoldenImages.Draw> draws = draws("lz4-screenshot");
        assertEquals(1, draws.size());
        GoldenImages.Draw d = draws.get(0);
        assertEquals(IMAGE_LZ4, d.imageType());
        byte[] data = d.data();
        assertEquals(1, data[0], "top-down");
        assertEquals(BitmapCodec.FMT_32BIT, data[1], "RGB32");
        Pixels px = Lz4Decoder.decode(data, 0, data.length, d.right() - d.left(), d.bottom() - d.top());
        Pixels expected = reference("lz4-screenshot");
        assertEquals(0, rgbDifferences(px, expected), () -> firstDifference(px, expected));
    }
}
