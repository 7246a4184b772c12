package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.SpiceProtocolException;

/**
 * Alpha-only surfaces (8_A, 1_A) as spice-gtk's pixman canvas keeps them: a pixman a8 image stores the alpha of
 * what is written and reads back as that alpha with colour 0 (0xAA000000); a1 keeps the alpha's top bit. Solid
 * colours (fills, strokes, rop fills) are pixel values of the surface's depth: spice-common writes their low byte. A
 * picture drawn on an 8_A surface is first converted to a8 (its alpha; 0xff for a picture without alpha). Rop
 * operations act on the alpha bytes. Expected values follow from those formats and pixman's 8-bit arithmetic
 * (x * a / 255 rounded as (t + (t >> 8)) >> 8 with t = x * a + 0x80).
 */
class AlphaSurfaceTest {
    static final int PUT = DisplayMessages.ROPD_OP_PUT;

    /** Pixel values of the first n pixels as stored (0xAA000000 on an alpha-only surface). */
    private static int[] stored(TestDisplay d, int n) {
        return java.util.Arrays.copyOf(d.display.primary().rgb(), n);
    }

    private static int a(int alpha) {
        return alpha << 24;
    }

    /** A SURFACE image descriptor: surface {@code id} (w x 1) as a source. */
    static Consumer<ByteBuf> surface(int id, int w) {
        return out -> out.writeLongLE(0).writeByte(ImageReader.SURFACE).writeByte(0).writeIntLE(w).writeIntLE(1)
                .writeIntLE(id);
    }

    /** Creates off-screen surface {@code id} of w x 1 in {@code format}. */
    private static void create(TestDisplay d, int id, int w, int format) {
        d.feed(DisplayMessages.SURFACE_CREATE, new Msg().u32(id).u32(w).u32(1).u32(format).u32(0).done());
    }

    /** The message drawn on surface {@code id} instead of the primary surface 0. */
    private static ByteBuf on(int id, Msg m) {
        ByteBuf b = m.done();
        b.setIntLE(0, id);
        return b;
    }

    private static Msg fill(int x0, int x1, int color, int rop) {
        return new Msg().base(x0, 0, x1, 1).solid(color).u16(rop).noMask();
    }

    private static Msg copy(int x0, int x1, Consumer<ByteBuf> src, int srcW, int rop) {
        return new Msg().base(x0, 0, x1, 1).ptr(src).area(0, 0, srcW, 1).u16(rop).u8(1).noMask();
    }

    private static Msg composite(int x0, int x1, int flags, Consumer<ByteBuf> src, Consumer<ByteBuf> mask) {
        Msg m = new Msg().base(x0, 0, x1, 1).u32(flags | (mask != null ? DrawParser.COMPOSITE_HAS_MASK : 0)).ptr(src);
        if (mask != null) {
            m.ptr(mask);
        }
        return m.u16(0).u16(0).u16(0).u16(0);
    }

    @Test
    void anA8SurfaceStartsTransparentAndSolidColoursAreItsAlphaInTheLowByte() {
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_8_A)) {
            assertArrayEquals(new int[4], stored(d, 4), "spice-gtk's surfaces start as zero bytes");
            d.feed(DisplayMessages.DRAW_FILL, fill(0, 4, 0x123456, PUT));
            assertArrayEquals(new int[] {a(0x56), a(0x56), a(0x56), a(0x56)}, stored(d, 4));
            d.feed(DisplayMessages.DRAW_FILL, fill(1, 4, 0x0f, DisplayMessages.ROPD_OP_XOR));
            d.feed(DisplayMessages.DRAW_FILL, fill(2, 4, 0xf0, DisplayMessages.ROPD_OP_AND));
            d.feed(DisplayMessages.DRAW_FILL, fill(3, 4, 0x0f, DisplayMessages.ROPD_OP_OR | DisplayMessages.ROPD_INVERS_RES));
            // 0x56 ^ 0x0f = 0x59; & 0xf0 = 0x50; ~(0x50 | 0x0f) = 0xa0
            assertArrayEquals(new int[] {a(0x56), a(0x59), a(0x50), a(0xa0)}, stored(d, 4));
            d.feed(DisplayMessages.DRAW_WHITENESS, new Msg().base(0, 0, 1, 1).noMask());
            d.feed(DisplayMessages.DRAW_BLACKNESS, new Msg().base(1, 0, 2, 1).noMask());
            d.feed(DisplayMessages.DRAW_INVERS, new Msg().base(2, 0, 3, 1).noMask());
            assertArrayEquals(new int[] {a(0xff), 0, a(0xaf), a(0xa0)}, stored(d, 4));
            // a stroke paints the brush's low byte too
            d.feed(DisplayMessages.DRAW_STROKE, new Msg().base(0, 0, 4, 1).ptr(DrawOpsTest.path(DrawParser.PATH_BEGIN
                    | DrawParser.PATH_END, 0, 0, 2 << 4, 0)).u8(0).solid(0xffffc0).u16(PUT).u16(PUT));
            assertArrayEquals(new int[] {a(0xc0), a(0xc0), a(0xaf), a(0xa0)}, stored(d, 4));
        }
    }

    @Test
    void picturesCopiedOntoAnA8SurfaceKeepTheirAlphaOnly() {
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_8_A)) {
            // a picture without alpha converts to a8 as 0xff, an RGBA one as its alpha, an a8 one as it is
            d.feed(DisplayMessages.DRAW_COPY, copy(0, 1, Msg.bitmap(1, 1, 0x123456), 1, PUT));
            d.feed(DisplayMessages.DRAW_COPY, copy(1, 2, Msg.bitmap(1, 1, true, 0x80102030), 1, PUT));
            d.feed(DisplayMessages.DRAW_COPY, copy(2, 4, DrawOpsTest.a8(0x11, 0x22), 2, PUT));
            assertArrayEquals(new int[] {a(0xff), a(0x80), a(0x11), a(0x22)}, stored(d, 4));
            // with a rop, on the alpha bytes: 0x11 | 0x0c, 0x22 ^ 0x22
            d.feed(DisplayMessages.DRAW_COPY, copy(2, 3, Msg.bitmap(1, 1, true, 0x0c0000ff), 1,
                    DisplayMessages.ROPD_OP_OR));
            d.feed(DisplayMessages.DRAW_BLEND, copy(3, 4, Msg.bitmap(1, 1, true, 0x22ffffff), 1,
                    DisplayMessages.ROPD_OP_XOR));
            assertArrayEquals(new int[] {a(0xff), a(0x80), a(0x1d), 0}, stored(d, 4));
            // a pattern brush: its pixels' alpha
            d.feed(DisplayMessages.DRAW_FILL, new Msg().base(0, 0, 2, 1).pattern(Msg.bitmap(2, 1, true, 0x33ffffff,
                    0x44000000), 0, 0).u16(PUT).noMask());
            assertArrayEquals(new int[] {a(0x33), a(0x44), a(0x1d), 0}, stored(d, 4));
        }
    }

    @Test
    void rop3TransparentAlphaBlendAndTextOnAnA8Surface() {
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_8_A)) {
            d.feed(DisplayMessages.DRAW_FILL, fill(0, 4, 0x40, PUT));
            // rop3 0x66 (S ^ D) and 0x5a (P ^ D) on the alpha bytes
            d.feed(DisplayMessages.DRAW_ROP3, new Msg().base(0, 0, 1, 1).ptr(Msg.bitmap(1, 1, true, 0x0f000000))
                    .area(0, 0, 1, 1).solid(0).u8(0x66).u8(1).noMask());
            d.feed(DisplayMessages.DRAW_ROP3, new Msg().base(1, 0, 2, 1).ptr(Msg.bitmap(1, 1, 0))
                    .area(0, 0, 1, 1).solid(0xff).u8(0x5a).u8(1).noMask());
            assertArrayEquals(new int[] {a(0x4f), a(0xbf), a(0x40), a(0x40)}, stored(d, 4));
            // transparent: the source's alpha (0x55) equal to the key's low byte is not drawn
            d.feed(DisplayMessages.DRAW_TRANSPARENT, new Msg().base(0, 0, 2, 1)
                    .ptr(Msg.bitmap(2, 1, true, 0x20000000, 0x55000000)).area(0, 0, 2, 1).u32(0).u32(0x123455));
            assertArrayEquals(new int[] {a(0x20), a(0xbf), a(0x40), a(0x40)}, stored(d, 4));
            // alpha blend: OVER of alpha 0x80 on 0x40 is 0x80 + 0x40 * 0x7f / 0xff = 0x80 + 0x20
            d.feed(DisplayMessages.DRAW_ALPHA_BLEND, new Msg().base(2, 0, 3, 1).u8(0).u8(0xff)
                    .ptr(Msg.bitmap(1, 1, true, 0x80000000)).area(0, 0, 1, 1));
            // text: the fore brush is opaque (alpha 0xffff in canvas's pixman brush) through an a8 glyph of 0x80
            d.feed(DisplayMessages.DRAW_TEXT, new Msg().base(0, 0, 4, 1).ptr(DrawOpsTest.string(DrawParser.STRING_A8,
                    new int[] {3, 0, 1, 1, 0x80})).area(0, 0, 0, 0).solid(0x000001).noBrush().u16(PUT).u16(PUT));
            assertArrayEquals(new int[] {a(0x20), a(0xbf), a(0xa0), a(0xa0)}, stored(d, 4));
        }
    }

    @Test
    void compositeOntoAnA8SurfaceStoresTheAlphaOfTheResult() {
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_8_A)) {
            d.feed(DisplayMessages.DRAW_FILL, fill(0, 4, 0x40, PUT));
            // ADD (0x0c): 0x30 + 0x40; SRC (1) of an opaque picture: 0xff
            d.feed(DisplayMessages.DRAW_COMPOSITE, composite(0, 1, 0x0c, Msg.bitmap(1, 1, true, 0x30102030), null));
            d.feed(DisplayMessages.DRAW_COMPOSITE, composite(1, 2, 1, Msg.bitmap(1, 1, 0x102030), null));
            // OVER (3) of an opaque picture through an a8 mask of 0x80: 0x80 + 0x40 * 0x7f / 0xff
            d.feed(DisplayMessages.DRAW_COMPOSITE, composite(2, 3, 3, Msg.bitmap(1, 1, 0xffffff),
                    DrawOpsTest.a8(0x80)));
            // IN (5) of alpha 0x80: 0x80 * 0x40 / 0xff = 0x20
            d.feed(DisplayMessages.DRAW_COMPOSITE, composite(3, 4, 5, Msg.bitmap(1, 1, true, 0x80ffffff), null));
            assertArrayEquals(new int[] {a(0x70), a(0xff), a(0xa0), a(0x20)}, stored(d, 4));
        }
    }

    @Test
    void anA8SurfaceReadsBackAsItsAlphaWithColourZero() {
        try (TestDisplay d = new TestDisplay(4, 1)) {
            d.paint(0xffffff);
            create(d, 1, 2, DisplayMessages.SURFACE_FMT_8_A);
            d.feed(DisplayMessages.DRAW_FILL, on(1, fill(0, 2, 0x80, PUT)));
            // OVER of the a8 surface as the source: (0x80, 0, 0, 0) darkens white to 0xff * 0x7f / 0xff
            d.feed(DisplayMessages.DRAW_COMPOSITE, composite(0, 1, 3, surface(1, 2), null));
            // OVER of opaque red through the a8 surface as the mask: red 0x80 + 0x7f, green and blue 0x7f
            d.feed(DisplayMessages.DRAW_COMPOSITE, composite(1, 2, 3 | 1 << 14, Msg.bitmap(1, 1, 0xff0000),
                    surface(1, 2)));
            assertArrayEquals(new int[] {0x7f7f7f, 0xff7f7f, 0xffffff, 0xffffff}, java.util.Arrays.copyOf(d.rgb(), 4));
            assertEquals(Map.of("32_xRGB", 1L, "8_A", 1L), d.display.surfaceFormats());
        }
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_8_A)) {
            create(d, 1, 2, DisplayMessages.SURFACE_FMT_8_A);
            d.feed(DisplayMessages.DRAW_FILL, on(1, fill(0, 2, 0x80, PUT)));
            d.feed(DisplayMessages.DRAW_FILL, fill(0, 4, 0xc0, PUT));
            // a8 to a8: copied as it is, or combined with a rop
            d.feed(DisplayMessages.DRAW_COPY, copy(0, 1, surface(1, 2), 1, PUT));
            d.feed(DisplayMessages.DRAW_COPY, copy(1, 2, surface(1, 2), 1, DisplayMessages.ROPD_OP_XOR));
            assertArrayEquals(new int[] {a(0x80), a(0x40), a(0xc0), a(0xc0)}, stored(d, 4));
        }
    }

    @Test
    void anA1SurfaceKeepsTheTopBitOfTheAlpha() {
        try (TestDisplay d = new TestDisplay(4, 1, DisplayMessages.SURFACE_FMT_1_A)) {
            d.feed(DisplayMessages.DRAW_COMPOSITE, composite(0, 4, 1, Msg.bitmap(4, 1, true, 0x80000000, 0x7fffffff,
                    0xff000000, 0), null));
            assertArrayEquals(new int[] {a(0xff), 0, a(0xff), 0}, stored(d, 4));
            // a solid colour is its low bit
            d.feed(DisplayMessages.DRAW_FILL, fill(0, 2, 2, PUT));
            d.feed(DisplayMessages.DRAW_FILL, fill(3, 4, 1, PUT));
            assertArrayEquals(new int[] {0, 0, a(0xff), a(0xff)}, stored(d, 4));
        }
    }

    @Test
    void aSurfaceOfAnUnknownFormatIsRefused() {
        try (TestDisplay d = new TestDisplay(4, 1)) {
            SpiceProtocolException e = assertThrows(SpiceProtocolException.class, () -> create(d, 1, 2, 7));
            assertEquals("surface of unknown format 7", e.getMessage());
        }
    }
}
