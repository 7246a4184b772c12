package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.raster.DashedStroke;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.SpiceProtocolException;

/**
 * Styled strokes judged against pixels worked out by hand from X's wide-line rules that spice-common's canvas uses
 * for dashed zero-width lines: a dash from distance t0 to t1 along the line is the rectangle of those ends, half a
 * pixel to each side of the line, and holds the pixels whose integer coordinates lie in it, its left and top edges
 * included and its right and bottom edges not. Even dash entries are drawn.
 */
class DashedStrokeTest {
    private static final int W = 0xffffff;
    private static final int BEGIN_END = DrawParser.PATH_BEGIN | DrawParser.PATH_END;

    /** A path of polylines, each {x0, y0, x1, y1, ...} in whole pixels. */
    private static Consumer<ByteBuf> polylines(int[]... lines) {
        return out -> {
            out.writeIntLE(lines.length);
            for (int[] l : lines) {
                out.writeByte(BEGIN_END).writeIntLE(l.length / 2);
                for (int v : l) {
                    out.writeIntLE(v << 4);
                }
            }
        };
    }

    /** A style of whole-pixel lengths, as 28.4 values. */
    private static Consumer<ByteBuf> lengths(int... px) {
        return out -> {
            for (int v : px) {
                out.writeIntLE(v << 4);
            }
        };
    }

    private static Msg stroke(int w, int h, int flags, int rop, Consumer<ByteBuf> path, int... style) {
        return new Msg().base(0, 0, w, h).ptr(path).u8(flags).u8(style.length).ptr(lengths(style)).solid(W)
                .u16(rop).u16(DrawOpsTest.PUT);
    }

    /** The surface after one dashed stroke in white on black. */
    private static int[] drawn(int w, int h, int flags, int rop, Consumer<ByteBuf> path, int... style) {
        try (TestDisplay d = new TestDisplay(w, h)) {
            d.feed(DisplayMessages.DRAW_STROKE, stroke(w, h, flags, rop, path, style));
            return d.rgb();
        }
    }

    private static int[] drawn(int w, int h, Consumer<ByteBuf> path, int... style) {
        return drawn(w, h, DrawParser.LINE_STYLED, DrawOpsTest.PUT, path, style);
    }

    /** A w x h surface, white at the given x,y pairs. */
    private static int[] white(int w, int h, int... xy) {
        int[] px = new int[w * h];
        for (int i = 0; i < xy.length; i += 2) {
            px[xy[i + 1] * w + xy[i]] = W;
        }
        return px;
    }

    @Test
    void rightwardDashesStartAtTheFirstPointAndStopBeforeTheLast() {
        // 2 on, 1 off from x=0: on [0,2) [3,5) [6,8) [9,10)
        assertArrayEquals(white(12, 3, 0, 1, 1, 1, 3, 1, 4, 1, 6, 1, 7, 1, 9, 1),
                drawn(12, 3, polylines(new int[] {0, 1, 10, 1}), 2, 1));
    }

    @Test
    void leftwardDashesLeaveTheFirstPointAndReachTheLast() {
        // from x=10 going left the dash [t0,t1) holds x = 10 - t for t in (t0, t1]: unlike a solid stroke, the
        // first point is not drawn and the last one is
        assertArrayEquals(white(12, 3, 9, 1, 8, 1, 6, 1, 5, 1, 3, 1, 2, 1, 0, 1),
                drawn(12, 3, polylines(new int[] {10, 1, 0, 1}), 2, 1));
    }

    @Test
    void verticalDashes() {
        // 1 on, 2 off downwards: rows 0, 3, 6 (7 is the end); 2 on, 2 off upwards from 7: rows 7 - t for t in
        // (t0, t1], so 6 5 and 2 1
        assertArrayEquals(white(3, 8, 1, 0, 1, 3, 1, 6), drawn(3, 8, polylines(new int[] {1, 0, 1, 7}), 1, 2));
        assertArrayEquals(white(3, 8, 1, 6, 1, 5, 1, 2, 1, 1),
                drawn(3, 8, polylines(new int[] {1, 7, 1, 0}), 2, 2));
    }

    @Test
    void diagonalDashesFollowTheDistanceAlongTheLine() {
        // (i,i) is i*sqrt(2) along the line; its neighbours are 0.707 from it, outside the half pixel width.
        // 2 on, 2 off: on [0,2) [4,6) [8,10): i = 0, 1 (1.41), 3 (4.24), 4 (5.66), 6 (8.49), 7 (9.90)
        assertArrayEquals(white(10, 10, 0, 0, 1, 1, 3, 3, 4, 4, 6, 6, 7, 7),
                drawn(10, 10, polylines(new int[] {0, 0, 8, 8}), 2, 2));
    }

    @Test
    void theDashCarriesFromSegmentToSegmentAndRestartsWithEachPolyline() {
        // 3 on, 2 off. (0,1)->(4,1) draws x 0..2 and ends 1 into the gap; (4,1)->(4,5) finishes the gap on row 1
        // and draws rows 2..4. The second polyline starts the pattern again: x 0..2 on row 6.
        assertArrayEquals(white(8, 8, 0, 1, 1, 1, 2, 1, 4, 2, 4, 3, 4, 4, 0, 6, 1, 6, 2, 6),
                drawn(8, 8, polylines(new int[] {0, 1, 4, 1, 4, 5}, new int[] {0, 6, 4, 6}), 3, 2));
    }

    @Test
    void aLongSegmentAwayFromTheSurfaceStillMovesTheDash() {
        // 3 on, 2 off: the first segment, 1006 long and far left, ends 1 into an "on" dash; along row 3 the
        // pattern position of x is (x + 21) mod 5, drawn below 3: x 0, 1, 4, 5, 6
        assertArrayEquals(white(8, 5, 0, 3, 1, 3, 4, 3, 5, 3, 6, 3),
                drawn(8, 5, polylines(new int[] {-20, -1003, -20, 3, 8, 3}), 3, 2));
    }

    @Test
    void theDashLeftAtAJointIsTruncatedToWholePixels() {
        // 2 on, 2 off: (0,0)->(1,1) is 1.41 long and leaves 0.59 of the "on" dash, which X's line code truncates
        // to 0: (1,1)->(7,1) starts with the gap, x 1 2 off, 3 4 on, 5 6 off
        assertArrayEquals(white(8, 2, 0, 0, 3, 1, 4, 1),
                drawn(8, 2, polylines(new int[] {0, 0, 1, 1, 7, 1}), 2, 2));
    }

    @Test
    void anOddCountOfLengthsAlternatesByIndexSoTheLastAndFirstAreBothOn() {
        // 1 on, 1 off, 2 on, then 1 on again: [0,1) [2,4) [4,5) [6,8) [8,9) [10,12)
        assertArrayEquals(white(13, 1, 0, 0, 2, 0, 3, 0, 4, 0, 6, 0, 7, 0, 8, 0, 10, 0, 11, 0),
                drawn(13, 1, polylines(new int[] {0, 0, 12, 0}), 1, 1, 2));
    }

    @Test
    void startWithGapBeginsWithTheFirstLengthAsAGap() {
        // canvas turns 2,3 into the list 3,2 entered 3 along: off [0,2), on [2,5), off [5,7), on [7,10)
        assertArrayEquals(white(11, 1, 2, 0, 3, 0, 4, 0, 7, 0, 8, 0, 9, 0), drawn(11, 1,
                DrawParser.LINE_STYLED | DrawParser.LINE_START_WITH_GAP, DrawOpsTest.PUT,
                polylines(new int[] {0, 0, 10, 0}), 2, 3));
    }

    @Test
    void aCornerWhereNeitherLineCoversTheJointGetsAMiterJoin() {
        // right along row 4 covers x 0..3, up column 4 covers rows 3..0; the miter square [0,0.5]^2 at (4,4)
        // holds the joint
        assertArrayEquals(white(6, 6, 0, 4, 1, 4, 2, 4, 3, 4, 4, 4, 4, 3, 4, 2, 4, 1, 4, 0),
                drawn(6, 6, polylines(new int[] {0, 4, 4, 4, 4, 0}), 50, 1));
    }

    @Test
    void xorPaintsEachPixelOfAPolylineOnceWhenItDoublesBack() {
        // out covers x 0..5, back covers x 5..0: collected as spans, each pixel is inverted once
        assertArrayEquals(white(8, 1, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0), drawn(8, 1, DrawParser.LINE_STYLED,
                DrawOpsTest.XOR, polylines(new int[] {0, 0, 6, 0, 0, 0}), 20, 1));
        // two separate polylines are two strokes: the pixels are inverted twice
        assertArrayEquals(new int[8], drawn(8, 1, DrawParser.LINE_STYLED, DrawOpsTest.XOR,
                polylines(new int[] {0, 0, 6, 0}, new int[] {6, 0, 0, 0}), 20, 1));
    }

    @Test
    void aHugeLineIsDashedFromItsStartAndDrawnAtOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            // 2^26 is even: the 1-on 1-off dashes fall on the even x
            int[] row = drawn(8, 1, polylines(new int[] {-(1 << 26), 0, 1 << 26, 0}), 1, 1);
            assertArrayEquals(white(8, 1, 0, 0, 2, 0, 4, 0, 6, 0), row);
            // the same seen from the other end: x = 2^26 - t for t in (t0, t1], so the odd x
            row = drawn(8, 1, polylines(new int[] {1 << 26, 0, -(1 << 26), 0}), 1, 1);
            assertArrayEquals(white(8, 1, 1, 0, 3, 0, 5, 0, 7, 0), row);
            // a long diagonal crossing the surface: its pixels lie on the diagonal only
            int[] diag = drawn(8, 8, polylines(new int[] {-(1 << 24), -(1 << 24), 1 << 24, 1 << 24}), 3, 1);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    if (x != y) {
                        assertEquals(0, diag[y * 8 + x], "(" + x + "," + y + ")");
                    }
                }
            }
        });
    }

    /**
     * Segments that never come near the surface draw nothing and take no time per surface row: a zig-zag of 20000
     * points 1000 pixels left of a 16x16384 surface, spanning 2^27 rows, always "on".
     */
    @Test
    void segmentsBesideATallSurfaceCostNothingPerRow() {
        int[] zigzag = new int[40000];
        for (int i = 0; i < 20000; i++) {
            zigzag[2 * i] = -1000 - (i & 1);
            zigzag[2 * i + 1] = (i & 1) == 0 ? -(1 << 26) : 1 << 26;
        }
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertArrayEquals(new int[16 * 16384],
                drawn(16, 16384, polylines(zigzag), 1)));
    }

    /**
     * Empty entries in a dash list draw nothing and move nothing: {2, 0, 0, 1} dashes as {2, 1} (the empty "on" entry
     * between the empty "off" ones adds no pixel), along a row and a diagonal.
     */
    @Test
    void emptyEntriesOfTheDashListAreSteppedOver() {
        Consumer<ByteBuf> row = polylines(new int[] {0, 1, 30, 1});
        assertArrayEquals(drawn(32, 3, row, 2, 1), drawn(32, 3, row, 2, 0, 0, 1));
        Consumer<ByteBuf> diagonal = polylines(new int[] {0, 0, 20, 15});
        assertArrayEquals(drawn(24, 16, diagonal, 2, 1), drawn(24, 16, diagonal, 2, 0, 0, 1));
        // and a list of one pixel among 254 empty entries dashes as {1} alone: always on
        int[] sparse = new int[255];
        sparse[0] = 1;
        assertArrayEquals(drawn(32, 3, row, 1), drawn(32, 3, row, sparse));
    }

    /**
     * Single segments in any direction, short or crossing the surface from far away, against the geometry alone:
     * a pixel is drawn when it is less than half a pixel from the line and its distance along the line falls in an
     * "on" dash. Pixels within 1/length of an edge are not judged: X rounds each edge's constant up to an integer.
     */
    @Test
    void segmentsAgreeWithTheGeometryOfTheirDashes() {
        java.util.Random r = new java.util.Random(20261125);
        int size = 16;
        for (int n = 0; n < 3000; n++) {
            boolean far = n % 3 == 0;
            int x1;
            int y1;
            int x2;
            int y2;
            if (far) {
                double angle = r.nextDouble() * 2 * Math.PI;
                int cx = r.nextInt(size);
                int cy = r.nextInt(size);
                int reach = 100 + r.nextInt(5000);
                x1 = cx - (int) Math.round(Math.cos(angle) * reach);
                y1 = cy - (int) Math.round(Math.sin(angle) * reach);
                x2 = cx + (int) Math.round(Math.cos(angle) * (100 + r.nextInt(5000)));
                y2 = cy + (int) Math.round(Math.sin(angle) * (100 + r.nextInt(5000)));
            } else {
                x1 = r.nextInt(size + 6) - 3;
                y1 = r.nextInt(size + 6) - 3;
                x2 = r.nextInt(size + 6) - 3;
                y2 = r.nextInt(size + 6) - 3;
            }
            if (x1 == x2 && y1 == y2) {
                continue;
            }
            int[] style = new int[1 + r.nextInt(4)];
            for (int i = 0; i < style.length; i++) {
                style[i] = 1 + r.nextInt(5);
            }
            int[] px = drawn(size, size, polylines(new int[] {x1, y1, x2, y2}), style);
            double dx = x2 - x1;
            double dy = y2 - y1;
            double len = Math.hypot(dx, dy);
            double eps = 1.0 / len + 1e-9;
            int period = java.util.Arrays.stream(style).sum();
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double t = ((x - x1) * dx + (y - y1) * dy) / len;
                    double d = Math.abs((x - x1) * dy - (y - y1) * dx) / len;
                    if (Math.abs(d - 0.5) < eps || Math.abs(t) < eps || Math.abs(t - len) < eps) {
                        continue;
                    }
                    boolean on = false;
                    boolean unsure = false;
                    if (d < 0.5 && t > 0 && t < len) {
                        double in = t % period;
                        double at = 0;
                        for (int i = 0; i < style.length; i++) {
                            if (Math.abs(in - at) < eps || Math.abs(in - at - style[i]) < eps) {
                                unsure = true;
                            }
                            if (in >= at && in < at + style[i]) {
                                on = (i & 1) == 0;
                            }
                            at += style[i];
                        }
                    }
                    if (!unsure) {
                        assertEquals(on ? W : 0, px[y * size + x], "(" + x + "," + y + ") on " + x1 + "," + y1
                                + " -> " + x2 + "," + y2 + " dashed " + java.util.Arrays.toString(style));
                    }
                }
            }
        }
    }

    @Test
    void styleLengthsRoundLikeCoordinatesAndKeepTheirLowByte() {
        ByteBuf b = Unpooled.buffer().writeIntLE(0x18).writeIntLE(0x19).writeIntLE(0x1010).writeIntLE(-16);
        DashedStroke.Style s = DrawParser.lineStyle(b, 4, false);
        assertArrayEquals(new int[] {1, 2, 1, 255}, s.dashes());
        assertEquals(0, s.offset());
    }

    @Test
    void styleDataThatLiesIsRefused() {
        // no lengths, lengths all zero (256 keeps a zero byte), more lengths than bytes
        assertThrows(SpiceProtocolException.class, () -> DrawParser.lineStyle(Unpooled.buffer(), 0, false));
        assertThrows(SpiceProtocolException.class,
                () -> DrawParser.lineStyle(Unpooled.buffer().writeIntLE(0).writeIntLE(256 << 4), 2, false));
        assertThrows(SpiceProtocolException.class,
                () -> DrawParser.lineStyle(Unpooled.buffer().writeIntLE(16), 2, true));
        try (TestDisplay d = new TestDisplay(4, 4)) {
            Msg offsetOutside = new Msg().base(0, 0, 4, 4).ptr(polylines(new int[] {0, 0, 3, 0}))
                    .u8(DrawParser.LINE_STYLED).u8(1).u32(1 << 20).solid(W).u16(DrawOpsTest.PUT).u16(0);
            assertThrows(SpiceProtocolException.class, () -> d.feed(DisplayMessages.DRAW_STROKE, offsetOutside));
            Msg noSegments = stroke(4, 4, DrawParser.LINE_STYLED, DrawOpsTest.PUT,
                    polylines(new int[] {0, 0, 3, 0}));
            assertThrows(SpiceProtocolException.class, () -> d.feed(DisplayMessages.DRAW_STROKE, noSegments));
            assertArrayEquals(new int[16], d.rgb());
        }
    }
}
