package org.spice.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.Golden;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceProtocolException;

/** Link messages and replies against bytes spice-gtk and QEMU exchanged, and against bytes that lie. */
class LinkCodecTest {

    private static <T> T withBuffer(byte[] bytes, java.util.function.Function<ByteBuf, T> f) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            return f.apply(b);
        } finally {
            b.release();
        }
    }

    @Test
    void decodesSpiceGtkMainLinkAndEncodesItBackByteForByte() {
        List<byte[]> items = Golden.items("main-client-link.hex");
        LinkHeader h = withBuffer(items.get(0), LinkHeader::decode);
        assertEquals(LinkError.OK, h.check(Link.LINK_MESS_SIZE));
        assertEquals(26, h.size());
        LinkMess m = withBuffer(items.get(1), LinkMess::decode);
        assertEquals(0, m.connectionId());
        assertEquals(ChannelType.MAIN, m.channelType());
        assertEquals(List.of(0, 2, 3), m.commonCaps().list()); // auth selection, SASL, mini header
        assertEquals(List.of(0, 1, 2, 3), m.channelCaps().list());

        ByteBuf out = Unpooled.buffer();
        m.encode(out);
        byte[] expected = new byte[items.get(0).length + items.get(1).length];
        System.arraycopy(items.get(0), 0, expected, 0, items.get(0).length);
        System.arraycopy(items.get(1), 0, expected, items.get(0).length, items.get(1).length);
        assertArrayEquals(expected, Golden.bytes(out));
        out.release();
    }

    @Test
    void displayLinkCarriesTheSessionIdFromMainInit() {
        LinkMess m = withBuffer(Golden.items("display-client-link.hex").get(1), LinkMess::decode);
        assertEquals(0x14c23104L, m.connectionId());
        assertEquals(ChannelType.DISPLAY, m.channelType());
    }

    @Test
    void decodesQemuLinkReplyAndEncodesItBack() {
        List<byte[]> items = Golden.items("main-server-link-reply.hex");
        LinkReply r = withBuffer(items.get(1), LinkReply::decode);
        assertEquals(LinkError.OK, r.error());
        assertEquals(Capabilities.of(0, 1, 3), r.commonCaps());
        assertEquals(Capabilities.of(0, 1, 2, 3), r.channelCaps());
        assertEquals(0x30, r.publicKey()[0] & 0xff); // DER SEQUENCE

        ByteBuf out = Unpooled.buffer();
        r.encode(out);
        out.skipBytes(Link.HEADER_SIZE);
        assertArrayEquals(items.get(1), Golden.bytes(out));
        out.release();
    }

    @Test
    void refusalMatchesQemusNeedSecuredReplyExceptForTheCapsOffset() {
        List<byte[]> items = Golden.items("main-server-link-reply-need-secured.hex");
        LinkReply r = withBuffer(items.get(1), LinkReply::decode);
        assertEquals(LinkError.NEED_SECURED, r.error());
        assertEquals(Capabilities.NONE, r.commonCaps());
        // QEMU writes caps_offset 0 in a refusal; we write the real offset. Both decode to the same reply.
        ByteBuf out = Unpooled.buffer();
        LinkReply.refusal(LinkError.NEED_SECURED).encode(out);
        out.skipBytes(Link.HEADER_SIZE);
        LinkReply again = LinkReply.decode(out);
        assertEquals(LinkError.NEED_SECURED, again.error());
        out.release();
    }

    @Test
    void headerChecksMagicVersionAndSize() {
        assertEquals(LinkError.INVALID_MAGIC, new LinkHeader(0x12345678, 2, 2, 26).check(Link.LINK_MESS_SIZE));
        assertEquals(LinkError.VERSION_MISMATCH, new LinkHeader(Link.MAGIC, 1, 3, 26).check(Link.LINK_MESS_SIZE));
        assertEquals(LinkError.INVALID_DATA, new LinkHeader(Link.MAGIC, 2, 2, 1L << 31).check(Link.LINK_MESS_SIZE));
        assertEquals(LinkError.INVALID_DATA, new LinkHeader(Link.MAGIC, 2, 2, 4).check(Link.LINK_MESS_SIZE));
        assertThrows(SpiceProtocolException.class, () -> withBuffer(new byte[10], LinkHeader::decode));
    }

    @Test
    void capsThatPointOutsideTheMessageAreRefused() {
        byte[] body = Golden.items("main-client-link.hex").get(1).clone();
        body[14] = 100; // caps_offset beyond the 26 bytes
        assertThrows(SpiceProtocolException.class, () -> withBuffer(body, LinkMess::decode));
        byte[] many = Golden.items("main-client-link.hex").get(1).clone();
        many[6] = (byte) 0xff; // num_common_caps = 255 words
        assertThrows(SpiceProtocolException.class, () -> withBuffer(many, LinkMess::decode));
        byte[] truncated = java.util.Arrays.copyOf(body, 12);
        assertThrows(SpiceProtocolException.class, () -> withBuffer(truncated, LinkMess::decode));
    }
}
