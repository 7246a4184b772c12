package org.spice.smartcard.internal;

import org.spice.smartcard.internal.wire.VscMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.spice.protocol.SpiceProtocolException;

class VscMessageTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] encode(VscMessage m) {
        ByteBuf b = Unpooled.buffer();
        try {
            m.encode(b);
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    private static VscMessage decode(byte[] body) {
        ByteBuf b = Unpooled.wrappedBuffer(body);
        try {
            return VscMessage.decode(b);
        } finally {
            b.release();
        }
    }

    @Test
    void headerIsLittleEndianAndPayloadFieldsBigEndianAsQemuWritesThem() {
        // error(success) for reader 0, as spice-server relays QEMU's answer to reader_add
        assertEquals("020000000000000004000000" + "00000000", HEX.formatHex(encode(VscMessage.error(0, 0))));
        assertEquals("02000000" + "01000000" + "04000000" + "00000002",
                HEX.formatHex(encode(VscMessage.error(1, VscMessage.CANNOT_ADD_MORE_READERS))));
        VscMessage e = decode(HEX.parseHex("02000000" + "00000000" + "04000000" + "00000002"));
        assertEquals(VscMessage.ERROR, e.vscType());
        assertEquals(VscMessage.CANNOT_ADD_MORE_READERS, e.errorCode());
        // init: magic "VSCD", version 0.0.2 in network order, one capability word
        assertEquals("01000000ffffffff0c000000" + "56534344" + "00000002" + "00000000",
                HEX.formatHex(encode(VscMessage.init())));
        assertEquals(VscMessage.VERSION, decode(encode(VscMessage.init())).initVersion());
        assertEquals(101, VscMessage.init().type());
    }

    @Test
    void readerAddApduAndAtrRoundTrip() {
        VscMessage add = decode(encode(VscMessage.readerAdd("Virtual PIV")));
        assertEquals(VscMessage.READER_ADD, add.vscType());
        assertEquals(VscMessage.UNDEFINED_READER, add.readerId());
        assertEquals("Virtual PIV", add.readerName());
        // spice-gtk sends the name without NUL; a NUL-terminated one reads the same
        assertEquals("r", decode(HEX.parseHex("03000000ffffffff02000000" + "7200")).readerName());
        byte[] apdu = HEX.parseHex("00a4040005a000000308");
        VscMessage a = decode(encode(new VscMessage(VscMessage.APDU, 0, apdu)));
        assertArrayEquals(apdu, a.payload());
        assertEquals(0, a.readerId());
        VscMessage atr = decode(encode(new VscMessage(VscMessage.ATR, 0, PivApplet.ATR)));
        assertArrayEquals(PivApplet.ATR, atr.payload());
        assertEquals(VscMessage.FLUSH, decode(encode(VscMessage.empty(VscMessage.FLUSH, 0))).vscType());
        assertEquals(VscMessage.FLUSH_COMPLETE,
                decode(encode(VscMessage.empty(VscMessage.FLUSH_COMPLETE, 0))).vscType());
        assertEquals(VscMessage.CARD_REMOVE, decode(encode(VscMessage.empty(VscMessage.CARD_REMOVE, 0))).vscType());
        assertEquals(VscMessage.READER_REMOVE,
                decode(encode(VscMessage.empty(VscMessage.READER_REMOVE, 0))).vscType());
    }

    private static void bad(String hex, String expected) {
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class, () -> decode(HEX.parseHex(hex)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsAllocated() {
        bad("0700000000000000", "length: truncated");
        bad("07000000000000", "reader_id: truncated");
        bad("070000000000000005000000" + "0102", "length 5 but 2 payload bytes follow"); // lying length (short)
        bad("070000000000000001000000" + "0102", "length 1 but 2 payload bytes follow"); // lying length (long)
        bad("0700000000000000ffffffff", "exceeds the limit"); // 4 GiB claimed
        bad("0a0000000000000000000000", "unknown VSC message type 10");
        bad("000000000000000000000000", "unknown VSC message type 0");
        bad("020000000000000002000000" + "0000", "error: payload of 2 bytes");
        bad("050000000000000001000000" + "3b", "atr: 1 bytes");
        bad("05000000000000002a000000" + "3b".repeat(42), "atr: 42 bytes");
        bad("070000000000000000000000", "apdu: empty");
        bad("060000000000000001000000" + "00", "card_remove: unexpected payload");
        bad("01000000ffffffff0c000000" + "58585858" + "00000002" + "00000000", "init: bad magic");
        bad("01000000ffffffff04000000" + "56534344", "init: bad payload size 4");
        bad("03000000ffffffff" + "01040000" + "61".repeat(1025), "name of 1025 bytes");
    }
}
