package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.raster.Canvas;
import org.spice.display.internal.wire.DisplayMessages;

/**
 * Each draw operation of the display channel, fed as a message to the client and judged on a small surface against
 * pixels worked out by hand from spice-common canvas's rules.
 */
class DrawOpsTest {
    static final int PUT = DisplayMessages.ROPD_OP_PUT;
    static final int OR = DisplayMessages.ROPD_OP_OR;
    static final int AND = DisplayMessages.ROPD_OP_AND;
    static final int XOR = DisplayMessages.ROPD_OP_XOR;
    static final int INV_SRC = DisplayMessages.ROPD_INVERS_SRC;
    static final int INV_BRUSH = DisplayMessages.ROPD_INVERS_BRUSH;
    static final int INV_DEST = DisplayMessages.ROPD_INVERS_DEST;
    static final int INV_RES = DisplayMessages.ROPD_INVERS_RES;
    static final int A = 0x123456;
    static final int B = 0xf0f0f0;

    private TestDisplay d = new TestDisplay(4, 4);

    @AfterEach
    void close() {
        d.close();
    }

    private static int[] rows(int... px) {
        return px;
    }

    @Test
    void fillWithOrCombinesBrushAndDestination() {
        d.paint(0x0f0f0f);
        d.feed(DisplayMessages.DRAW_FILL, new Msg().base(1, 1, 3, 2).solid(0x102030).u16(OR).noMask());
        assertEquals(0x1f2f3f, d.rgb(1, 1));
        assertEquals(0x1f2f3f, d.rgb(2, 1));
        assertEquals(0x0f0f0f, d.rgb(3, 1));
        assertEquals(0x0f0f0f, d.rgb(1, 0));
    }

    @Test
    void fillInvertFlagsNameTheBrushAndTheDestination() {
        d.paint(0x00ff00);
        // !brush AND dest: brush 0x00f000 inverted is 0xff0fff; AND 0x00ff00 -> 0x000f00
        d.feed(DisplayMessages.DRAW_FILL, new Msg().base(0, 0, 1, 1).solid(0x00f000).u16(AND | INV_BRUSH).noMask());
        assertEquals(0x000f00, d.rgb(0, 0));
        // INVERS_SRC means nothing to a fill: still brush OR dest
        d.feed(DisplayMessages.DRAW_FILL, new Msg().base(1, 0, 2, 1).solid(0x0000ff).u16(OR | INV_SRC).noMask());
        assertEquals(0x00ffff, d.rgb(1, 0));
        // !(brush XOR !dest): dest 0x00ff00 -> !dest 0xff00ff; XOR 0x0000ff -> 0xff0000; inverted -> 0x00ffff
        d.feed(DisplayMessages.DRAW_FILL, new Msg().base(2, 0, 3, 1).solid(0x0000ff).u16(XOR | INV_DEST | INV_RES)
                .noMask());
        assertEquals(0x00ffff, d.rgb(2, 0));
        d.feed(DisplayMessages.DRAW_FILL, new Msg().base(3, 0, 4, 1).solid(0x123456)
                .u16(DisplayMessages.ROPD_OP_INVERS).noMask());
        assertEquals(0xff00ff, d.rgb(3, 0));
    }

    @Test
    void patternBrushTilesFromItsPosition() {
        // 2x2 pattern p0 p1 / p2 p3 at (1,0): surface x uses column (x-1) mod 2, row y mod 2
        d.feed(DisplayMessages.DRAW_FILL, new Msg().base(0, 0, 4, 2)
                .pattern(Msg.bitmap(2, 2, 0x11, 0x22, 0x33, 0x44), 1, 0).u16(PUT).noMask());
        assertArrayEquals(rows(0x22, 0x11, 0x22, 0x11, 0x44, 0x33, 0x44, 0x33, 0, 0, 0, 0, 0, 0, 0, 0), d.rgb());
    }

    @Test
    void aMaskLimitsTheFillToItsSetBits() {
        // 1BIT_LE, top-down, 4x1: byte 0b0101 -> pixels 0 and 2 set; at mask position (1,0): pixel x uses bit x+1
        d.feed(DisplayMessages.DRAW_FILL, new Msg().base(0, 0, 4, 1).solid(0xffffff).u16(PUT)
                .mask(0, 1, 0, Msg.bits(1, true, 4, 1, 1, 0b0101)));
        assertArrayEquals(new int[] {0, 0xffffff, 0, 0}, java.util.Arrays.copyOf(d.rgb(), 4));
    }

    @Test
    void anInvertedBigEndianBottomUpMaskDrawsWhereBitsAreClearAndOnlyOnTheMask() {
        // 1BIT_BE, bottom-up 3x2: data row 0 (bottom) 0b101xxxxx, row 1 (top) 0b010xxxxx; inverted
        d.feed(DisplayMessages.DRAW_WHITENESS, new Msg().base(0, 0, 4, 2)
                .mask(DrawParser.MASK_INVERS, 0, 0, Msg.bits(2, false, 3, 2, 1, 0b10100000, 0b01000000)));
        // top row: bits 0 1 0 -> inverted 1 0 1; bottom row: 1 0 1 -> 0 1 0; column 3 is off the mask
        assertArrayEquals(rows(0xffffff, 0, 0xffffff, 0, 0, 0xffffff, 0, 0), java.util.Arrays.copyOf(d.rgb(), 8));
    }

    @Test
    void clipRectsLimitEveryDraw() {
        d.feed(DisplayMessages.DRAW_WHITENESS, new Msg().base(0, 0, 4, 4, new int[] {0, 0, 1, 1},
                new int[] {2, 2, 10, 3}).noMask());
        assertArrayEquals(rows(0xffffff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xffffff, 0xffffff, 0, 0, 0, 0), d.rgb());
    }

    @Test
    void blacknessAndInversWithAMask() {
        d.paint(0x808080);
        d.feed(DisplayMessages.DRAW_INVERS, new Msg().base(0, 0, 2, 1).mask(0, 0, 0, Msg.bits(1, true, 2, 1, 1, 1)));
        d.feed(DisplayMessages.DRAW_BLACKNESS, new Msg().base(2, 0, 4, 1).mask(0, 0, 0, Msg.bits(1, true, 2, 1, 1, 2)));
        assertArrayEquals(new int[] {0x7f7f7f, 0x808080, 0x808080, 0}, java.util.Arrays.copyOf(d.rgb(), 4));
    }

    @Test
    void copyWithXorAndWithAnInvertedSource() {
        d.paint(0x0000ff);
        d.feed(DisplayMessages.DRAW_COPY, new Msg().base(0, 0, 2, 1).ptr(Msg.bitmap(2, 1, 0xff0000, 0x0000ff))
                .area(0, 0, 2, 1).u16(XOR).u8(1).noMask());
        assertEquals(0xff00ff, d.rgb(0, 0));
        assertEquals(0x000000, d.rgb(1, 0));
        // !src OR dest, source area (1,0) of the image
        d.feed(DisplayMessages.DRAW_COPY, new Msg().base(2, 0, 3, 1).ptr(Msg.bitmap(2, 1, 0, 0xffff00))
                .area(1, 0, 2, 1).u16(OR | INV_SRC).u8(1).noMask());
        assertEquals(0x0000ff, d.rgb(2, 0));
    }

    @Test
    void aScaledCopySamplesTheNearestPixel() {
        // 2x2 stretched over 4x4: each source pixel becomes a 2x2 block
        d.feed(DisplayMessages.DRAW_COPY, new Msg().base(0, 0, 4, 4).ptr(Msg.bitmap(2, 2, 1, 2, 3, 4))
                .area(0, 0, 2, 2).u16(PUT).u8(Canvas.SCALE_NEAREST).noMask());
        assertArrayEquals(rows(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4), d.rgb());
    }

    @Test
    void aScaledCopyInterpolatesBilinearly() {
        // 2x1 (0 and 0xfc) over 4x1: sample centres at 0.25, 0.75, 1.25, 1.75 of the source: 0, 1/4, 3/4, and the
        // last clamps at the edge where the neighbour off the image is transparent black
        d.feed(DisplayMessages.DRAW_COPY, new Msg().base(0, 0, 4, 1).ptr(Msg.bitmap(2, 1, 0x000000, 0x0000fc))
                .area(0, 0, 2, 1).u16(PUT).u8(Canvas.SCALE_INTERPOLATE).noMask());
        // x=1: position 0.75-0.5 = 0.25 past pixel 0 -> 0xfc/4 = 0x3f; x=2: 0.75 -> 0xbd
        assertEquals(0x00, d.rgb(0, 0) & 0xff);
        assertEquals(0x3f, d.rgb(1, 0) & 0xff);
        assertEquals(0xbd, d.rgb(2, 0) & 0xff);
    }

    @Test
    void blendAppliesItsRopToSourceAndDestination() {
        d.paint(0x00ff00);
        d.feed(DisplayMessages.DRAW_BLEND, new Msg().base(0, 0, 1, 1).ptr(Msg.bitmap(1, 1, 0x0f0f0f))
                .area(0, 0, 1, 1).u16(AND).u8(1).noMask());
        assertEquals(0x000f00, d.rgb(0, 0));
    }

    @Test
    void opaqueCopiesTheSourceThenCombinesTheBrushWithIt() {
        d.paint(0xffffff);
        // brush AND src: 0xff00ff & 0x123456 = 0x120056; the old destination plays no part
        d.feed(DisplayMessages.DRAW_OPAQUE, new Msg().base(0, 0, 1, 1).ptr(Msg.bitmap(1, 1, A)).area(0, 0, 1, 1)
                .solid(0xff00ff).u16(AND).u8(1).noMask());
        assertEquals(0x120056, d.rgb(0, 0));
        // INVERS_SRC of an opaque inverts the copied source (the second operand): brush OR !src
        d.feed(DisplayMessages.DRAW_OPAQUE, new Msg().base(1, 0, 2, 1).ptr(Msg.bitmap(1, 1, 0xffff00)).area(0, 0, 1, 1)
                .solid(0x000010).u16(OR | INV_SRC).u8(1).noMask());
        assertEquals(0x0000ff, d.rgb(1, 0));
    }

    @Test
    void rop3CombinesPatternSourceAndDestinationByItsTruthTable() {
        d.paint(0x00ffff);
        // 0xB8 = ((D ^ P) & S) ^ P: P=0xff0000 S=0x0f0f0f D=0x00ffff -> D^P=0xffffff, &S=0x0f0f0f, ^P=0xf00f0f
        d.feed(DisplayMessages.DRAW_ROP3, new Msg().base(0, 0, 1, 1).ptr(Msg.bitmap(1, 1, 0x0f0f0f)).area(0, 0, 1, 1)
                .solid(0xff0000).u8(0xb8).u8(1).noMask());
        assertEquals(0xf00f0f, d.rgb(0, 0));
        // 0x5A = P ^ D with a 1x2 pattern at (0,1): row y uses pattern row (y-1) mod 2
        d.feed(DisplayMessages.DRAW_ROP3, new Msg().base(1, 0, 2, 2).ptr(Msg.bitmap(1, 2, 0, 0)).area(0, 0, 1, 2)
                .pattern(Msg.bitmap(1, 2, 0x0000ff, 0xff0000), 0, 1).u8(0x5a).u8(1).noMask());
        assertEquals(0xffffff, d.rgb(1, 0)); // pattern row 1 (0xff0000) ^ 0x00ffff
        assertEquals(0x00ff00, d.rgb(1, 1)); // pattern row 0 (0x0000ff) ^ 0x00ffff
    }

    @Test
    void strokeDrawsZeroWidthLinesWithoutTheirLastPoint() {
        TestDisplay big = new TestDisplay(6, 4);
        try {
            // one polyline (0,0) -> (4,2), as 28.4 fixed point: X draws (0,0) (1,1) (2,1) (3,2), not (4,2)
            big.feed(DisplayMessages.DRAW_STROKE, new Msg().base(0, 0, 6, 4).ptr(path(DrawParser.PATH_BEGIN
                    | DrawParser.PATH_END, 0, 0, 4 << 4, 2 << 4)).u8(0).solid(0xffffff).u16(PUT).u16(PUT));
            assertArrayEquals(rows(
                    0xffffff, 0, 0, 0, 0, 0,
                    0, 0xffffff, 0xffffff, 0, 0, 0,
                    0, 0, 0, 0xffffff, 0, 0,
                    0, 0, 0, 0, 0, 0), big.rgb());
        } finally {
            big.close();
        }
    }

    @Test
    void strokeBackwardsTakesTheOtherTieBreak() {
        TestDisplay big = new TestDisplay(6, 4);
        try {
            // (4,2) -> (0,0): octant 4 steps axially on a tie: (4,2) (3,2) (2,1) (1,1)
            big.feed(DisplayMessages.DRAW_STROKE, new Msg().base(0, 0, 6, 4).ptr(path(DrawParser.PATH_BEGIN
                    | DrawParser.PATH_END, 4 << 4, 2 << 4, 0, 0)).u8(0).solid(0xffffff).u16(XOR).u16(PUT));
            assertArrayEquals(rows(
                    0, 0, 0, 0, 0, 0,
                    0, 0xffffff, 0xffffff, 0, 0, 0,
                    0, 0, 0, 0xffffff, 0xffffff, 0,
                    0, 0, 0, 0, 0, 0), big.rgb());
        } finally {
            big.close();
        }
    }

    @Test
    void aClosedPathReturnsToItsStartAndFixedPointRoundsUpPastOneHalf() {
        // (0,0) (2,0) (2,2) closed: x 0..1 on row 0, column 2 rows 0..1, then back (2,2)->(0,0): (2,2) (1,1)
        // 0x29 is 2 + 9/16: rounds to 3; 0x28 is 2.5: rounds to 2
        d.feed(DisplayMessages.DRAW_STROKE, new Msg().base(0, 0, 4, 4).ptr(path(DrawParser.PATH_BEGIN
                | DrawParser.PATH_END | DrawParser.PATH_CLOSE, 0, 0, 0x28, 0, 0x28, 0x28)).u8(0).solid(0xff)
                .u16(PUT).u16(PUT));
        assertArrayEquals(rows(0xff, 0xff, 0xff, 0, 0, 0xff, 0xff, 0, 0, 0, 0xff, 0, 0, 0, 0, 0), d.rgb());
        assertEquals(3, DrawParser.fixToInt(0x29));
        assertEquals(-1, DrawParser.fixToInt(-0x17)); // -1.4375: floor -2, fraction 9/16 rounds up
    }

    /** A Path of one segment with the given flags and 28.4 points x0,y0,x1,y1... */
    static java.util.function.Consumer<io.netty.buffer.ByteBuf> path(int flags, int... xy) {
        return out -> {
            out.writeIntLE(1).writeByte(flags).writeIntLE(xy.length / 2);
            for (int v : xy) {
                out.writeIntLE(v);
            }
        };
    }

    /** A String of glyphs {x, y, w, h, data...} (render position x,y; origin 0,0). */
    static java.util.function.Consumer<io.netty.buffer.ByteBuf> string(int flags, int[]... glyphs) {
        return out -> {
            out.writeShortLE(glyphs.length).writeByte(flags);
            for (int[] g : glyphs) {
                out.writeIntLE(g[0]).writeIntLE(g[1]).writeIntLE(0).writeIntLE(0).writeShortLE(g[2])
                        .writeShortLE(g[3]);
                for (int i = 4; i < g.length; i++) {
                    out.writeByte(g[i]);
                }
            }
        };
    }

    @Test
    void a1TextPaintsTheForeBrushWhereGlyphBitsAreSetRowsBottomUp() {
        d.paint(0x000080);
        // glyph 3x2 at (1,1): data row 0 is the bottom row: 0b101, row 1 (top) 0b010, most significant bit first
        d.feed(DisplayMessages.DRAW_TEXT, new Msg().base(0, 0, 4, 4).ptr(string(DrawParser.STRING_A1,
                new int[] {1, 1, 3, 2, 0b10100000, 0b01000000})).area(0, 0, 0, 0).solid(0xffff00).noBrush().u16(PUT)
                .u16(PUT));
        assertArrayEquals(rows(
                0x80, 0x80, 0x80, 0x80,
                0x80, 0x80, 0xffff00, 0x80,
                0x80, 0xffff00, 0x80, 0xffff00,
                0x80, 0x80, 0x80, 0x80), d.rgb());
    }

    @Test
    void a8TextBlendsByCoverageAndTheBackAreaIsFilledFirst() {
        d.paint(0xffffff);
        // back area (0,0)-(2,1) black; a 1x1 A8 glyph of coverage 0x80 at (1,0) and one at (3,0), fore red:
        // over black: r = 0x80; over white: r = 0x80 + 0xff*0x7f/0xff = 0xff, g = b = 0x7f
        d.feed(DisplayMessages.DRAW_TEXT, new Msg().base(0, 0, 4, 1).ptr(string(DrawParser.STRING_A8,
                new int[] {1, 0, 1, 1, 0x80}, new int[] {3, 0, 1, 1, 0x80})).area(0, 0, 2, 1).solid(0xff0000)
                .solid(0x000000).u16(PUT).u16(PUT));
        assertArrayEquals(new int[] {0, 0x800000, 0xffffff, 0xff7f7f}, java.util.Arrays.copyOf(d.rgb(), 4));
    }

    @Test
    void a4TextTakesEachNibbleAsCoverageOf16Steps() {
        // 2x1 glyph, one byte 0xf4: left pixel 0xf0, right 0x40, fore white over black
        d.feed(DisplayMessages.DRAW_TEXT, new Msg().base(0, 0, 4, 1).ptr(string(DrawParser.STRING_A4,
                new int[] {0, 0, 2, 1, 0xf4})).area(0, 0, 0, 0).solid(0xffffff).noBrush().u16(PUT).u16(PUT));
        assertEquals(0xf0f0f0, d.rgb(0, 0));
        assertEquals(0x404040, d.rgb(1, 0));
    }

    @Test
    void textWithABackAreaButAForeModeOtherThanPutDrawsNothing() {
        d.feed(DisplayMessages.DRAW_TEXT, new Msg().base(0, 0, 4, 1).ptr(string(DrawParser.STRING_A8,
                new int[] {0, 0, 1, 1, 0xff})).area(0, 0, 4, 1).solid(0xffffff).solid(0xffffff).u16(OR).u16(PUT));
        assertArrayEquals(new int[4], java.util.Arrays.copyOf(d.rgb(), 4));
    }

    @Test
    void transparentSkipsTheKeyColour() {
        d.paint(0x0000ff);
        d.feed(DisplayMessages.DRAW_TRANSPARENT, new Msg().base(0, 0, 3, 1)
                .ptr(Msg.bitmap(3, 1, 0xff00ff, 0x00ff00, 0xff00ff)).area(0, 0, 3, 1).u32(0).u32(0xff00ff));
        assertArrayEquals(new int[] {0x0000ff, 0x00ff00, 0x0000ff, 0x0000ff}, java.util.Arrays.copyOf(d.rgb(), 4));
    }

    @Test
    void alphaBlendPutsAPremultipliedSourceOverTheDestination() {
        d.paint(0xffffff);
        // source 0x80400000 (alpha 0x80): r = 0x40 + 0xff * 0x7f / 0xff = 0xbf, g = b = 0x7f
        d.feed(DisplayMessages.DRAW_ALPHA_BLEND, new Msg().base(0, 0, 1, 1).u8(0).u8(0xff)
                .ptr(Msg.bitmap(1, 1, true, 0x80400000)).area(0, 0, 1, 1));
        assertEquals(0xbf7f7f, d.rgb(0, 0));
        // the same at overall alpha 0x80: source becomes alpha 0x40, red 0x20; r = 0x20 + 0xbf = 0xdf, g = 0xbf
        d.feed(DisplayMessages.DRAW_ALPHA_BLEND, new Msg().base(1, 0, 2, 1).u8(0).u8(0x80)
                .ptr(Msg.bitmap(1, 1, true, 0x80400000)).area(0, 0, 1, 1));
        assertEquals(0xdfbfbf, d.rgb(1, 0));
        // alpha 0 draws nothing
        d.feed(DisplayMessages.DRAW_ALPHA_BLEND, new Msg().base(2, 0, 3, 1).u8(0).u8(0)
                .ptr(Msg.bitmap(1, 1, true, 0xff000000)).area(0, 0, 1, 1));
        assertEquals(0xffffff, d.rgb(2, 0));
    }

    @Test
    void alphaBlendScalesWithTheNearestPixel() {
        d.feed(DisplayMessages.DRAW_ALPHA_BLEND, new Msg().base(0, 0, 4, 1).u8(0).u8(0xff)
                .ptr(Msg.bitmap(2, 1, true, 0xff0000ff, 0xff00ff00)).area(0, 0, 2, 1));
        assertArrayEquals(new int[] {0xff, 0xff, 0xff00, 0xff00}, java.util.Arrays.copyOf(d.rgb(), 4));
    }

    /** draw_composite body after the base: flags, src, [mask], origins. */
    private Msg composite(int flags, java.util.function.Consumer<io.netty.buffer.ByteBuf> src,
            java.util.function.Consumer<io.netty.buffer.ByteBuf> mask, int[] srcTransform, int sx, int sy) {
        Msg m = new Msg().base(0, 0, 4, 1).u32(flags).ptr(src);
        if (mask != null) {
            m.ptr(mask);
        }
        if (srcTransform != null) {
            for (int t : srcTransform) {
                m.u32(t);
            }
        }
        return m.u16(sx).u16(sy).u16(0).u16(0);
    }

    @Test
    void compositeOverAddAndInWithAMask() {
        d.paint(0x202020);
        // OVER (3) with a half-transparent premultiplied source: 0x80 alpha, blue 0x80 -> r = g = 0x20*0x7f/0xff
        // = 0x10, b = 0x80 + 0x10
        d.feed(DisplayMessages.DRAW_COMPOSITE, composite(3, Msg.bitmap(4, 1, true, 0x80000080, 0x80000080,
                0x80000080, 0x80000080), null, null, 0, 0));
        assertEquals(0x101090, d.rgb(0, 0));
        d.paint(0x202020);
        // ADD (12) saturates: 0xf0 + 0x20 -> 0xff
        d.feed(DisplayMessages.DRAW_COMPOSITE, composite(12, Msg.bitmap(4, 1, 0xf00000, 0xf00000, 0xf00000,
                0xf00000), null, null, 0, 0));
        assertEquals(0xff2020, d.rgb(0, 0));
        d.paint(0x000000);
        // SRC (1) through an A8 mask of 0x80 (HAS_MASK): white * 0x80 -> 0x80 per channel
        d.feed(DisplayMessages.DRAW_COMPOSITE, composite(1 | DrawParser.COMPOSITE_HAS_MASK,
                Msg.bitmap(4, 1, 0xffffff, 0xffffff, 0xffffff, 0xffffff), a8(0x80, 0x00, 0xff, 0x40), null, 0, 0));
        assertArrayEquals(new int[] {0x808080, 0, 0xffffff, 0x404040}, java.util.Arrays.copyOf(d.rgb(), 4));
    }

    @Test
    void compositeBlendModesAndComponentAlphaMasks() {
        d.paint(0x000000);
        // SRC through an ARGB mask 0x80ff8000 with COMPONENT_ALPHA: each channel by its own mask channel
        // (0x80, 0x40 * 0x80 / 0xff = 0x20, 0); without it, all by the mask's alpha 0x80
        java.util.function.Consumer<io.netty.buffer.ByteBuf> mask = Msg.bitmap(4, 1, true, 0x80ff8000, 0x80ff8000,
                0x80ff8000, 0x80ff8000);
        d.feed(DisplayMessages.DRAW_COMPOSITE, composite(1 | DrawParser.COMPOSITE_HAS_MASK
                | DrawParser.COMPOSITE_COMPONENT_ALPHA, Msg.bitmap(4, 1, 0x804020, 0x804020, 0x804020, 0x804020),
                mask, null, 0, 0));
        assertEquals(0x802000, d.rgb(0, 0));
        d.feed(DisplayMessages.DRAW_COMPOSITE, composite(1 | DrawParser.COMPOSITE_HAS_MASK,
                Msg.bitmap(4, 1, 0x804020, 0x804020, 0x804020, 0x804020), mask, null, 0, 0));
        assertEquals(0x402010, d.rgb(0, 0));
        // MULTIPLY (0x30) of opaque colours: d * s per channel, 0x80 * (0x40, 0x80, 0xff) / 0xff
        d.paint(0x808080);
        d.feed(DisplayMessages.DRAW_COMPOSITE, composite(0x30, Msg.bitmap(4, 1, 0x4080ff, 0x4080ff, 0x4080ff,
                0x4080ff), null, null, 0, 0));
        assertEquals(0x204080, d.rgb(0, 0));
    }

    /** An 8BIT_A bitmap, one row. */
    static java.util.function.Consumer<io.netty.buffer.ByteBuf> a8(int... alpha) {
        return out -> {
            out.writeLongLE(0).writeByte(0).writeByte(0).writeIntLE(alpha.length).writeIntLE(1);
            out.writeByte(10).writeByte(4).writeIntLE(alpha.length).writeIntLE(1).writeIntLE(alpha.length)
                    .writeIntLE(0);
            for (int a : alpha) {
                out.writeByte(a);
            }
        };
    }

    @Test
    void compositeRepeatsAndTransformsTheSource() {
        // SRC of a 2x1 source with REPEAT_NORMAL (1 << 14) from origin (1,0): 2 1 2 1
        d.feed(DisplayMessages.DRAW_COMPOSITE, composite(1 | 1 << 14, Msg.bitmap(2, 1, 1, 2), null, null, 1, 0));
        assertArrayEquals(new int[] {2, 1, 2, 1}, java.util.Arrays.copyOf(d.rgb(), 4));
        // a transform translating by +1 pixel (t02 = 1.0) and nearest filter (3 << 8), no repeat: the source
        // 4x1 a b c d shows as b c d and then nothing (transparent black under SRC)
        d.feed(DisplayMessages.DRAW_COMPOSITE, composite(1 | 3 << 8 | DrawParser.COMPOSITE_HAS_SRC_TRANSFORM,
                Msg.bitmap(4, 1, 0xa, 0xb, 0xc, 0xd), null, new int[] {1 << 16, 0, 1 << 16, 0, 1 << 16, 0}, 0, 0));
        assertArrayEquals(new int[] {0xb, 0xc, 0xd, 0}, java.util.Arrays.copyOf(d.rgb(), 4));
    }

    @Test
    void opsNotRenderedAreListedNotDrawn() {
        // a convolution filter (5 << 8) without its kernel, which SPICE cannot carry
        d.feed(DisplayMessages.DRAW_COMPOSITE, composite(1 | 5 << 8, Msg.bitmap(4, 1, 1, 1, 1, 1), null, null, 0, 0));
        assertEquals(List.of("composite filter 5 (convolution)"), d.display.unsupported());
        assertArrayEquals(new int[16], d.rgb());
    }
}
