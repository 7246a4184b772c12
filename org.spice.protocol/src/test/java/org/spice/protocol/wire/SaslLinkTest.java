package org.spice.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.protocol.SpiceProtocolException;

/** The SASL link messages as spice-server and spice-gtk frame them, and what bad input gets. */
class SaslLinkTest {

    private static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(h.replace(" ", "")));
    }

    @Test
    void mechanismListAsSpiceServerWritesIt() {
        // spice-server lists with "," as prefix, separator and suffix.
        ByteBuf in = hex("0c000000" + ByteBufUtil.hexDump(",DIGEST-MD5,".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of("DIGEST-MD5"), SaslLink.readMechList(in));
        assertFalse(in.isReadable());

        ByteBuf out = Unpooled.buffer();
        SaslLink.writeMechList(out, List.of("DIGEST-MD5", "SCRAM-SHA-256"));
        assertEquals("18000000" + ByteBufUtil.hexDump("DIGEST-MD5,SCRAM-SHA-256".getBytes(StandardCharsets.US_ASCII)),
                ByteBufUtil.hexDump(out));
    }

    @Test
    void clientDataEndsInNulAndNoDataIsLengthZero() {
        ByteBuf out = Unpooled.buffer();
        SaslLink.writeMechName(out, "DIGEST-MD5");
        SaslLink.writeData(out, null);
        assertEquals("0a000000" + ByteBufUtil.hexDump("DIGEST-MD5".getBytes(StandardCharsets.US_ASCII)) + "00000000",
                ByteBufUtil.hexDump(out));

        ByteBuf step = Unpooled.buffer();
        SaslLink.writeData(step, new byte[] {'a', 'b'});
        assertEquals("03000000616200", ByteBufUtil.hexDump(step));
        SaslLink.Step s = SaslLink.readStep(step, false);
        assertArrayEquals(new byte[] {'a', 'b'}, s.data());

        ByteBuf empty = Unpooled.buffer();
        SaslLink.writeData(empty, new byte[0]);
        assertEquals("0100000000", ByteBufUtil.hexDump(empty));
        assertArrayEquals(new byte[0], SaslLink.readStep(empty, false).data());
    }

    @Test
    void serverStepCarriesTheDoneByte() {
        ByteBuf out = Unpooled.buffer();
        SaslLink.writeServerStep(out, "rspauth=1".getBytes(StandardCharsets.US_ASCII), true);
        SaslLink.Step s = SaslLink.readStep(out, true);
        assertTrue(s.complete());
        assertEquals("rspauth=1", new String(s.data(), StandardCharsets.US_ASCII));

        SaslLink.Step none = SaslLink.readStep(hex("00000000 00"), true);
        assertNull(none.data());
        assertFalse(none.complete());
    }

    @Test
    void partialMessagesConsumeNothing() {
        ByteBuf in = hex("05000000 6162");
        assertNull(SaslLink.readStep(in, false));
        assertEquals(0, in.readerIndex());
        ByteBuf server = hex("02000000 6100");
        assertNull(SaslLink.readStep(server, true), "the done byte is still missing");
        assertEquals(0, server.readerIndex());
        ByteBuf list = hex("0a000000 4449");
        assertNull(SaslLink.readMechList(list));
        assertEquals(0, list.readerIndex());
    }

    @Test
    void lyingLengthsFailBeforeWaiting() {
        // Only the length is there: the limit is checked before the bytes it claims are waited for.
        SpiceProtocolException big = assertThrows(SpiceProtocolException.class,
                () -> SaslLink.readStep(hex("ffffffff"), false));
        assertTrue(big.getMessage().contains("over the limit"), big.getMessage());
        assertThrows(SpiceProtocolException.class, () -> SaslLink.readStep(hex("01000100"), true));
        assertThrows(SpiceProtocolException.class, () -> SaslLink.readMechList(hex("2d010000")),
                "301 bytes of mechanism list");
        assertThrows(SpiceProtocolException.class, () -> SaslLink.readMechName(hex("00000000")), "empty name");
        assertThrows(SpiceProtocolException.class, () -> SaslLink.readMechName(hex("65000000")), "101 bytes");
    }

    @Test
    void badBytesAreRefused() {
        assertThrows(SpiceProtocolException.class, () -> SaslLink.readMechName(hex("02000000 4100")),
                "a NUL in a mechanism name");
        assertThrows(SpiceProtocolException.class, () -> SaslLink.readStep(hex("00000000 02"), true),
                "a done byte of 2");
    }
}
