package org.spice.display.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.protocol.Golden.decodeHex;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Rect;
import org.spice.protocol.SpiceProtocolException;

/** draw_copy's Copy and QMask in spice.proto's layout, both ways, and short or inverted input refused by name. */
class DisplayMessagesTest {
    /** src_bitmap 57; src_area top 0, left 0, bottom 20, right 10; rop PUT; scale 0; mask INVERS at 1,2 from 70. */
    private static final String COPY = "39000000" + "00000000" + "00000000" + "14000000" + "0a000000" + "0800" + "00"
            + "01" + "01000000" + "02000000" + "46000000";

    private static String hex(DisplayMessages.Copy c) {
        ByteBuf b = Unpooled.buffer();
        try {
            c.encode(b);
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    @Test
    void copyRoundTripsInSpiceProtoLayout() {
        DisplayMessages.Copy c = decodeHex(COPY, DisplayMessages.Copy::decode);
        assertEquals(57, c.srcBitmap());
        assertEquals(new Rect(0, 0, 10, 20), c.srcArea());
        assertEquals(DisplayMessages.ROPD_OP_PUT, c.ropDescriptor());
        assertEquals(new DisplayMessages.QMask(1, 1, 2, 70), c.mask());
        assertEquals(COPY, hex(c));
        assertEquals(DisplayMessages.Copy.SIZE * 2, COPY.length());
    }

    @Test
    void shortOrInvertedCopiesAreRefusedByName() {
        assertTrue(refused(COPY.substring(0, 20)).startsWith("src_area: truncated"));
        assertTrue(refused(COPY.substring(0, COPY.length() - 2)).startsWith("mask bitmap: truncated"));
        String inverted = "39000000" + "14000000" + "00000000" + "00000000" + "0a000000" + COPY.substring(40);
        assertTrue(refused(inverted).startsWith("src_area: inverted rectangle"));
    }

    private static String refused(String hex) {
        return assertThrows(SpiceProtocolException.class, () -> decodeHex(hex, DisplayMessages.Copy::decode))
                .getMessage();
    }
}
