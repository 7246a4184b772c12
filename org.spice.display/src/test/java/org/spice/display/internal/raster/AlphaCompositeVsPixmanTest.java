package org.spice.display.internal.raster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Rect;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.wire.DisplayMessages;

/**
 * Every Render operator with alpha-only pictures against pixman 0.42.2 itself: {@code pixman/alpha-vectors.txt}
 * holds what libpixman made of random pixels composited onto an a8 image (without a mask and through an a8 mask),
 * onto an a1 image, and from an a8 image onto a8r8g8b8, written by {@code alpha-vectors.py} beside it. Our 8_A and
 * 1_A surfaces, and an 8_A surface read as a source, must give the same bytes for every pixel.
 */
class AlphaCompositeVsPixmanTest {
    private static int[] hex(String s) {
        s = s.trim();
        return s.isEmpty() ? new int[0] : Arrays.stream(s.split(" ")).mapToInt(h -> Integer.parseUnsignedInt(h, 16))
                .toArray();
    }

    @Test
    void everyOperatorWithAlphaOnlyPicturesEqualsPixman() throws IOException {
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/pixman/alpha-vectors.txt"), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|", -1);
                String[] head = f[0].trim().split(" ");
                int op = Integer.parseInt(head[0], 16);
                String kind = head[1];
                int[] src = hex(f[1]);
                int[] mask = hex(f[2]);
                int[] dest = hex(f[3]);
                int[] expected = hex(f[4]);
                int n = dest.length;
                int format = switch (kind) {
                    case "a1dest" -> DisplayMessages.SURFACE_FMT_1_A;
                    case "a8src" -> DisplayMessages.SURFACE_FMT_32_ARGB;
                    default -> DisplayMessages.SURFACE_FMT_8_A;
                };
                Surface s = new Surface(n, 1, format);
                System.arraycopy(dest, 0, s.px, 0, n);
                Canvas.Picture source;
                if (kind.equals("a8src")) {
                    // the source is an 8_A surface's pixels as an image reads them
                    Surface a8 = new Surface(n, 1, DisplayMessages.SURFACE_FMT_8_A);
                    System.arraycopy(src, 0, a8.px, 0, n);
                    source = new Canvas.Picture(a8.region(a8.bounds()), false, true, Sampling.REPEAT_NONE, null);
                } else {
                    source = new Canvas.Picture(new Pixels(n, 1, src), false, true, Sampling.REPEAT_NONE, null);
                }
                Canvas.Picture m = mask.length == 0 ? null
                        : new Canvas.Picture(new Pixels(n, 1, mask), false, true, Sampling.REPEAT_NONE, null);
                Rect box = new Rect(0, 0, n, 1);
                Canvas.composite(s, Area.of(s, box, null), box, op, source, 0, 0, m, 0, 0, false, false);
                cases++;
                for (int i = 0; i < n; i++) {
                    if (s.px[i] != expected[i]) {
                        wrong.add(String.format("op %02x %s pixel %d: src %08x mask %s dest %08x: %08x, pixman %08x",
                                op, kind, i, src[i], mask.length == 0 ? "-" : String.format("%08x", mask[i]),
                                dest[i], s.px[i], expected[i]));
                    }
                }
            }
        }
        assertEquals(53 * 4, cases);
        assertTrue(wrong.isEmpty(), wrong.size() + " pixels differ from pixman:\n"
                + String.join("\n", wrong.subList(0, Math.min(40, wrong.size()))));
    }
}
