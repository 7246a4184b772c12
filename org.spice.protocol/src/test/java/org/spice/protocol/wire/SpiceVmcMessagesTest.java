package org.spice.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.spice.protocol.SpiceProtocolException;

/** The spicevmc byte stream: a data message is its bytes; compressed data is taken only uncompressed. */
class SpiceVmcMessagesTest {
    @Test
    void dataIsTheSliceItNamesAndDecodesBack() {
        SpiceVmcMessages.Data slice = new SpiceVmcMessages.Data(new byte[] {1, 2, 3, 4}, 1, 2);
        assertEquals(SpiceVmcMessages.DATA, slice.type());
        ByteBuf b = Unpooled.buffer();
        try {
            slice.encode(b);
            assertEquals("0203", ByteBufUtil.hexDump(b));
            SpiceVmcMessages.Data back = SpiceVmcMessages.Data.decode(b);
            assertArrayEquals(new byte[] {2, 3}, back.data());
            assertEquals(0, back.offset());
            assertEquals(2, back.length());
        } finally {
            b.release();
        }
        assertThrows(IllegalArgumentException.class, () -> new SpiceVmcMessages.Data(new byte[2], 1, 2));
    }

    @Test
    void compressedDataIsAcceptedOnlyUncompressed() {
        ByteBuf none = Unpooled.wrappedBuffer(new byte[] {0, 7, 8});
        try {
            assertArrayEquals(new byte[] {7, 8}, SpiceVmcMessages.decodeCompressed(none));
        } finally {
            none.release();
        }
        assertTrue(refused(new byte[] {1, 4, 0, 0, 0, 9}).contains("LZ4"));
        assertTrue(refused(new byte[] {5}).contains("unknown compression type 5"));
        assertTrue(refused(new byte[0]).startsWith("spicevmc compressed_data type: truncated"));
    }

    private static String refused(byte[] body) {
        ByteBuf in = Unpooled.wrappedBuffer(body);
        try {
            return assertThrows(SpiceProtocolException.class, () -> SpiceVmcMessages.decodeCompressed(in))
                    .getMessage();
        } finally {
            in.release();
        }
    }
}
