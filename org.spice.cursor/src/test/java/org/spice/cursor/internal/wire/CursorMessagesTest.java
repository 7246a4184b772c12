package org.spice.cursor.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.protocol.Golden.decodeHex;
import static org.spice.protocol.Golden.hex;

import io.netty.buffer.ByteBuf;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.spice.cursor.api.CursorShape;
import org.spice.protocol.SpiceProtocolException;

/** The cursor channel's messages in spice.proto's layout, both ways, and short input refused by name. */
class CursorMessagesTest {
    private static final CursorShape ONE_PIXEL = new CursorShape(1, 1, 0, 0, new int[] {0xff112233},
            new boolean[1]);
    /** flags 0, unique 7, ALPHA, 1x1, hot spot 0,0, one BGRA pixel. */
    private static final String ALPHA_CURSOR = "0000" + "0700000000000000" + "00" + "0100" + "0100" + "0000" + "0000"
            + "332211ff";

    @Test
    void initAndSetCarryPositionVisibilityAndAnAlphaShape() {
        String init = "0300" + "feff" + "0000" + "0000" + "01" + ALPHA_CURSOR;
        assertEquals(init, hex(new CursorMessages.Init(3, -2, true, 7, ONE_PIXEL)));
        CursorMessages.Init i = decodeHex(init, CursorMessages.Init::decode);
        assertEquals(3, i.x());
        assertEquals(-2, i.y());
        assertTrue(i.visible());
        assertEquals(7, i.cursor().unique());
        assertArrayEquals(new int[] {0xff112233}, i.cursor().shape().argb());
        assertEquals(init, hex(i));

        String set = "0a00" + "1400" + "00" + ALPHA_CURSOR;
        assertEquals(set, hex(new CursorMessages.Set(10, 20, false, 7, ONE_PIXEL)));
        CursorMessages.Set s = decodeHex(set, CursorMessages.Set::decode);
        assertEquals(20, s.y());
        assertEquals(set, hex(s));
    }

    @Test
    void noShapeIsTheNoneFlagAlone() {
        String init = "0000" + "0000" + "0000" + "0000" + "00" + "0100";
        assertEquals(init, hex(new CursorMessages.Init(0, 0, false, 0, null)));
        CursorMessages.Init i = decodeHex(init, CursorMessages.Init::decode);
        assertEquals(CursorCodec.FLAG_NONE, i.cursor().flags());
        assertNull(i.cursor().shape());
        assertEquals(init, hex(i));
    }

    @Test
    void moveTrailAndInvalOneRoundTrip() {
        assertEquals("ffff0200", hex(decodeHex("ffff0200", CursorMessages.Move::decode)));
        assertEquals(-1, decodeHex("ffff0200", CursorMessages.Move::decode).x());
        CursorMessages.Trail t = decodeHex("05000a00", CursorMessages.Trail::decode);
        assertEquals(5, t.length());
        assertEquals(10, t.frequency());
        assertEquals("05000a00", hex(t));
        assertEquals(0x0807060504030201L, decodeHex("0102030405060708", CursorMessages.InvalOne::decode).id());
        assertEquals("0102030405060708", hex(new CursorMessages.InvalOne(0x0807060504030201L)));
    }

    @Test
    void truncatedMessagesAreRefusedByName() {
        assertTrue(refused("0300feff0000", CursorMessages.Init::decode).startsWith("cursor init: truncated"));
        assertTrue(refused("0a00", CursorMessages.Set::decode).startsWith("cursor set: truncated"));
        assertTrue(refused("ffff02", CursorMessages.Move::decode).startsWith("cursor move: truncated"));
        assertTrue(refused("0500", CursorMessages.Trail::decode).startsWith("cursor trail: truncated"));
        assertTrue(refused("01020304", CursorMessages.InvalOne::decode).startsWith("cursor inval_one: truncated"));
        // an ALPHA cursor that claims 2x2 pixels and carries one
        String lying = "0a00" + "1400" + "01" + "0000" + "0700000000000000" + "00" + "0200" + "0200" + "0000" + "0000"
                + "332211ff";
        assertTrue(refused(lying, CursorMessages.Set::decode).startsWith("alpha cursor: truncated"));
        // a side beyond the limit is refused before its pixels are allocated
        String huge = "0000" + "0000" + "01" + "0000" + "0700000000000000" + "00" + "ffff" + "ffff" + "0000" + "0000";
        assertTrue(refused(huge, CursorMessages.Set::decode).contains("outside 1.." + CursorCodec.MAX_SIDE));
    }

    private static String refused(String hex, Function<ByteBuf, ?> decoder) {
        return assertThrows(SpiceProtocolException.class, () -> decodeHex(hex, decoder)).getMessage();
    }
}
