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
 * Every Render operator against pixman 0.42.2 itself (the library spice-gtk's canvas composites with on Debian 12):
 * {@code pixman/composite-vectors.txt} holds what libpixman made of random premultiplied pixels (and a few whose
 * colour exceeds their alpha) without a mask, with an a8 mask, with a component-alpha mask, with an opaque source and
 * with a transformed source sampled bilinearly, written by {@code composite-vectors.py} beside it. Our composite must give the same
 * bytes for every pixel.
 */
class CompositeVsPixmanTest {
    record Vector(int op, String mask, String sampling, int srcW, int srcH, int[] src, int[] maskPx, int[] dest,
            int[] expected) {
    }

    static List<Vector> vectors() throws IOException {
        List<Vector> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                CompositeVsPixmanTest.class.getResourceAsStream("/pixman/composite-vectors.txt"),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|", -1);
                String[] head = f[0].trim().split(" ");
                out.add(new Vector(Integer.parseInt(head[0], 16), head[1], head[2], Integer.parseInt(head[3]),
                        Integer.parseInt(head[4]), hex(f[1]), hex(f[2]), hex(f[3]), hex(f[4])));
            }
        }
        return out;
    }

    private static int[] hex(String s) {
        s = s.trim();
        return s.isEmpty() ? new int[0] : Arrays.stream(s.split(" ")).mapToInt(h -> Integer.parseUnsignedInt(h, 16))
                .toArray();
    }

    static int[] composite(Vector v) {
        int n = v.dest().length;
        Surface s = new Surface(n, 1, DisplayMessages.SURFACE_FMT_32_ARGB);
        System.arraycopy(v.dest(), 0, s.px, 0, n);
        boolean bilinear = v.sampling().startsWith("bilinear");
        long[] transform = bilinear ? new long[] {0xb333, 0, -0x2000, 0, 0xb333, 0x1800} : null;
        int repeat = v.sampling().equals("bilinear-pad") ? Sampling.REPEAT_PAD : Sampling.REPEAT_NONE;
        boolean opaque = v.sampling().equals("opaque");
        Canvas.Picture src = new Canvas.Picture(new Pixels(v.srcW(), v.srcH(), v.src()), opaque, !bilinear, repeat,
                transform);
        Canvas.Picture mask = v.mask().equals("none") ? null
                : new Canvas.Picture(new Pixels(n, 1, v.maskPx()), false, true, Sampling.REPEAT_NONE, null);
        Rect box = new Rect(0, 0, n, 1);
        Canvas.composite(s, Area.of(s, box, null), box, v.op(), src, 0, 0, mask, 0, 0, v.mask().equals("ca"), false);
        return s.px;
    }

    @Test
    void everyOperatorEqualsPixman() throws IOException {
        List<Vector> vectors = vectors();
        // 53 operators, each without a mask, with an a8 mask, with a component-alpha mask, opaque and bilinear twice
        assertEquals(53 * 6, vectors.size());
        List<String> wrong = new ArrayList<>();
        for (Vector v : vectors) {
            int[] got = composite(v);
            for (int i = 0; i < got.length; i++) {
                if (got[i] != v.expected()[i]) {
                    wrong.add(String.format("op 0x%02x %s %s pixel %d: src %08x mask %s dest %08x -> %08x, pixman %08x",
                            v.op(), v.mask(), v.sampling(), i, v.src()[Math.min(i, v.src().length - 1)],
                            v.maskPx().length > i ? String.format("%08x", v.maskPx()[i]) : "-", v.dest()[i], got[i],
                            v.expected()[i]));
                }
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " pixels differ from pixman, first: "
                + wrong.subList(0, Math.min(20, wrong.size())));
    }

    /** The vectors exercise both pipelines: 8-bit operators and those pixman combines in floats. */
    @Test
    void theVectorsCoverBothPipelines() throws IOException {
        long wide = vectors().stream().filter(v -> Combiners.wide(v.op())).map(Vector::op).distinct().count();
        long narrow = vectors().stream().filter(v -> !Combiners.wide(v.op())).map(Vector::op).distinct().count();
        assertEquals(1 + 12 + 12 + 3 + 4, wide);
        assertEquals(13 + 8, narrow);
    }
}
