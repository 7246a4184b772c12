package org.spice.display.internal.raster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spice.display.internal.wire.DisplayMessages;

/** The raster-op tables against values read off spice-common's canvas (ropd_descriptor_to_rop, rop3.c) and pixman. */
class RopsTest {
    static final int PUT = DisplayMessages.ROPD_OP_PUT;
    static final int OR = DisplayMessages.ROPD_OP_OR;
    static final int AND = DisplayMessages.ROPD_OP_AND;
    static final int XOR = DisplayMessages.ROPD_OP_XOR;
    static final int IS = DisplayMessages.ROPD_INVERS_SRC;
    static final int IB = DisplayMessages.ROPD_INVERS_BRUSH;
    static final int ID = DisplayMessages.ROPD_INVERS_DEST;
    static final int IR = DisplayMessages.ROPD_INVERS_RES;

    private static int copy(int desc) {
        return Rops.fromDescriptor(desc, Rops.Input.SRC, Rops.Input.DEST);
    }

    @Test
    void descriptorsReduceAsCanvasDoes() {
        assertEquals(Rops.COPY, copy(PUT));
        assertEquals(Rops.COPY_INVERTED, copy(PUT | IS));
        assertEquals(Rops.COPY, copy(PUT | IS | IR));
        assertEquals(Rops.AND, copy(OR | IS | ID | IR));
        assertEquals(Rops.AND_REVERSE, copy(OR | IS | IR));
        assertEquals(Rops.AND_INVERTED, copy(OR | ID | IR));
        assertEquals(Rops.NOR, copy(OR | IR));
        assertEquals(Rops.NAND, copy(OR | IS | ID));
        assertEquals(Rops.OR_INVERTED, copy(OR | IS));
        assertEquals(Rops.OR_REVERSE, copy(OR | ID));
        assertEquals(Rops.OR_REVERSE, copy(AND | IS | IR));
        assertEquals(Rops.NOR, copy(AND | IS | ID));
        assertEquals(Rops.EQUIV, copy(XOR | IR));
        assertEquals(Rops.XOR, copy(XOR | IS | ID));
        assertEquals(Rops.EQUIV, copy(XOR | IS | ID | IR));
        assertEquals(Rops.CLEAR, copy(DisplayMessages.ROPD_OP_BLACKNESS | IS));
        assertEquals(Rops.SET, copy(DisplayMessages.ROPD_OP_WHITENESS));
        assertEquals(Rops.INVERT, copy(DisplayMessages.ROPD_OP_INVERS));
        assertEquals(Rops.COPY, copy(0));
        // the brush's flag inverts the brush of a fill; the source's flag means nothing there
        assertEquals(Rops.OR_INVERTED, Rops.fromDescriptor(OR | IB, Rops.Input.BRUSH, Rops.Input.DEST));
        assertEquals(Rops.OR, Rops.fromDescriptor(OR | IS, Rops.Input.BRUSH, Rops.Input.DEST));
    }

    @Test
    void rop3CodesAreTheirOwnTruthTable() {
        for (int code = 0; code < 256; code++) {
            assertEquals(code, Rops.rop3(code, 0xf0, 0xcc, 0xaa) & 0xff, "rop3 " + code);
        }
        assertEquals(0x123456, Rops.rop3(0xcc, 0, 0x123456, -1)); // SRCCOPY
        assertEquals(0x00ff00ff, Rops.rop3(0x5a, 0x00ffff00, 0, 0x0000ffff)); // PATINVERT
        assertEquals(~0x0f, Rops.rop3(0x55, 0, 0, 0x0f)); // DSTINVERT
    }

    @Test
    void porterDuffOpsRoundAsPixman() {
        int s = 0x80800000;
        int d = 0xff0000ff;
        assertEquals(d, Combiners.unified(4, s, d));
        assertEquals(s, Combiners.unified(5, s, d));
        assertEquals(0x80000080, Combiners.unified(6, s, d));
        assertEquals(0, Combiners.unified(7, s, d));
        assertEquals(0x7f00007f, Combiners.unified(8, s, d));
        assertEquals(0xff80007f, Combiners.unified(9, s, d));
        assertEquals(0x80000080, Combiners.unified(10, s, d));
        assertEquals(0x7f00007f, Combiners.unified(11, s, d));
        assertEquals(0, Combiners.unified(0, s, d));
    }
}
