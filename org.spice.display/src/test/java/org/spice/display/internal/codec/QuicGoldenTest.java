package org.spice.display.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * QUIC streams captured from QEMU 7.2 (spice-server) draw_copy messages, decoded and compared pixel for pixel with
 * what spicy-screenshot (spice-gtk) showed for the same connection. See golden/quic/README.txt.
 */
class QuicGoldenTest {
    static byte[] resource(String name) {
        try (InputStream in = QuicGoldenTest.class.getResourceAsStream("/golden/quic/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage reference(String name) {
        try {
            return ImageIO.read(new java.io.ByteArrayInputStream(resource(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({
        // stream, reference screenshot, draw box top, left, expected size
        "bios-720x400.quic, bios-720x400.ref.png, 0, 0, 720, 400",
        "splash-1024x768.quic, splash-1024x768.ref.png, 0, 0, 1024, 768",
    })
    void decodesLikeSpiceGtk(String stream, String ref, int top, int left, int width, int height) {
        byte[] data = resource(stream);
        // decode from the middle of a larger buffer to exercise the offset
        byte[] framed = new byte[data.length + 7];
        System.arraycopy(data, 0, framed, 3, data.length);
        Pixels pixels = QuicDecoder.decode(framed, 3, data.length);
        assertEquals(width, pixels.width());
        assertEquals(height, pixels.height());

        BufferedImage screen = reference(ref);
        int mismatches = 0;
        String first = null;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int got = pixels.argb()[y * width + x];
                int want = screen.getRGB(left + x, top + y) & 0xffffff;
                if ((got >>> 24) != 0xff || (got & 0xffffff) != want) {
                    if (first == null) {
                        first = String.format("(%d,%d) got %08x want %06x", x, y, got, want);
                    }
                    mismatches++;
                }
            }
        }
        if (mismatches != 0) {
            fail(mismatches + " pixels differ from the spice-gtk screenshot, first " + first);
        }
    }
}
