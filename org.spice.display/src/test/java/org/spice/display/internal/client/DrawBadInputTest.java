package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.SpiceProtocolException;

/** Draw messages whose counts and sizes lie: each is refused as a protocol error, at once and without a big allocation. */
class DrawBadInputTest {
    private final TestDisplay d = new TestDisplay(8, 8);

    @AfterEach
    void close() {
        d.close();
    }

    private void refused(int type, Msg m) {
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(SpiceProtocolException.class, () -> d.feed(type, m)));
    }

    private static Msg stroke(java.util.function.Consumer<io.netty.buffer.ByteBuf> path) {
        return new Msg().base(0, 0, 8, 8).ptr(path).u8(0).solid(0xffffff).u16(DrawOpsTest.PUT).u16(DrawOpsTest.PUT);
    }

    @Test
    void aPathWithMoreSegmentsThanBytes() {
        refused(DisplayMessages.DRAW_STROKE, stroke(out -> out.writeIntLE(0x7fffffff).writeByte(1).writeIntLE(0)));
    }

    @Test
    void aPathSegmentWithMorePointsThanBytes() {
        refused(DisplayMessages.DRAW_STROKE, stroke(out -> out.writeIntLE(1).writeByte(1).writeIntLE(1 << 30)
                .writeLongLE(0)));
    }

    @Test
    void aBezierSegmentWhosePointsAreNotInThrees() {
        refused(DisplayMessages.DRAW_STROKE, stroke(out -> out.writeIntLE(1).writeByte(1 | 16).writeIntLE(3)
                .writeZero(24)));
    }

    @Test
    void aPathOffsetOutsideTheMessage() {
        refused(DisplayMessages.DRAW_STROKE, new Msg().base(0, 0, 8, 8).u32(1 << 20).u8(0).solid(0).u16(8).u16(8));
    }

    @Test
    void aLineStyleLongerThanTheMessage() {
        refused(DisplayMessages.DRAW_STROKE, new Msg().base(0, 0, 8, 8).ptr(DrawOpsTest.path(3, 0, 0, 16, 0)).u8(8)
                .u8(255).ptr(out -> out.writeIntLE(16)).solid(0).u16(8).u16(8));
    }

    private static Msg text(java.util.function.Consumer<io.netty.buffer.ByteBuf> str) {
        return new Msg().base(0, 0, 8, 8).ptr(str).area(0, 0, 0, 0).solid(0xffffff).noBrush().u16(8).u16(8);
    }

    @Test
    void aStringWithMoreGlyphsThanBytes() {
        refused(DisplayMessages.DRAW_TEXT, text(out -> out.writeShortLE(65535).writeByte(1).writeZero(20)));
    }

    @Test
    void aGlyphLargerThanItsData() {
        refused(DisplayMessages.DRAW_TEXT, text(out -> out.writeShortLE(1).writeByte(4).writeZero(16)
                .writeShortLE(65535).writeShortLE(65535).writeZero(8)));
    }

    @Test
    void anUnknownBrushType() {
        refused(DisplayMessages.DRAW_FILL, new Msg().base(0, 0, 8, 8).u8(7).u32(0).u16(8).noMask());
    }

    @Test
    void aPatternWithoutItsImage() {
        refused(DisplayMessages.DRAW_FILL, new Msg().base(0, 0, 8, 8).u8(2).u32(1 << 24).u32(0).u32(0).u16(8)
                .noMask());
    }

    @Test
    void aMaskWithRowsBeyondTheMessage() {
        refused(DisplayMessages.DRAW_WHITENESS, new Msg().base(0, 0, 8, 8).mask(0, 0, 0,
                Msg.bits(1, true, 8, 100_000, 1, 0xff)));
    }

    @Test
    void aMaskRowShorterThanItsWidth() {
        refused(DisplayMessages.DRAW_WHITENESS, new Msg().base(0, 0, 8, 8).mask(0, 0, 0,
                Msg.bits(1, true, 64, 1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)));
    }

    @Test
    void aMaskThatIsNotOneBit() {
        refused(DisplayMessages.DRAW_WHITENESS, new Msg().base(0, 0, 8, 8).mask(0, 0, 0, Msg.bitmap(1, 1, 0)));
    }

    @Test
    void aGiganticMask() {
        refused(DisplayMessages.DRAW_WHITENESS, new Msg().base(0, 0, 8, 8).mask(0, 0, 0,
                Msg.bits(1, true, 1 << 30, 1 << 30, 1 << 27)));
    }

    @Test
    void aCompositeCutShort() {
        refused(DisplayMessages.DRAW_COMPOSITE, new Msg().base(0, 0, 8, 8).u32(3 | DrawParser.COMPOSITE_HAS_MASK
                | DrawParser.COMPOSITE_HAS_SRC_TRANSFORM).u32(0).u32(0).u32(0));
    }

    @Test
    void aCompositeOperatorPixmanDoesNotHave() {
        for (int op : new int[] {0x0e, 0x0f, 0x1c, 0x2f, 0x3f, 0xff}) {
            refused(DisplayMessages.DRAW_COMPOSITE, new Msg().base(0, 0, 4, 1).u32(op).ptr(Msg.bitmap(4, 1, 1, 1, 1, 1))
                    .u16(0).u16(0).u16(0).u16(0));
        }
    }

    @Test
    void aCompositeWithoutItsSource() {
        refused(DisplayMessages.DRAW_COMPOSITE, new Msg().base(0, 0, 8, 8).u32(3).u32(0).u16(0).u16(0).u16(0)
                .u16(0));
    }

    @Test
    void aRop3WhoseSourceDoesNotCoverTheBox() {
        refused(DisplayMessages.DRAW_ROP3, new Msg().base(0, 0, 2, 2).ptr(Msg.bitmap(1, 1, 0)).area(0, 0, 2, 2)
                .solid(0).u8(0xcc).u8(1).noMask());
    }

    @Test
    void anUnknownScaleMode() {
        refused(DisplayMessages.DRAW_COPY, new Msg().base(0, 0, 2, 2).ptr(Msg.bitmap(1, 1, 0)).area(0, 0, 1, 1)
                .u16(8).u8(7).noMask());
    }

    @Test
    void aTruncatedTransparent() {
        refused(DisplayMessages.DRAW_TRANSPARENT, new Msg().base(0, 0, 2, 2).u32(0).area(0, 0, 1, 1).u16(0));
    }

    @Test
    void anAlphaBlendWithoutItsSource() {
        refused(DisplayMessages.DRAW_ALPHA_BLEND, new Msg().base(0, 0, 2, 2).u8(0).u8(255).u32(0).area(0, 0, 1, 1));
    }
}
