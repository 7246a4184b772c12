package org.spice.usbredir.internal;

import org.spice.usbredir.internal.wire.UsbRedirMessages;
import org.spice.protocol.wire.SpiceVmcMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.protocol.SpiceProtocolException;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Frame;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Negotiation;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Packet;

@org.junit.jupiter.api.extension.ExtendWith(org.spice.protocol.LeakCheck.class)
class UsbRedirMessagesTest {

    private static Negotiation negotiated(int peerCaps) {
        Negotiation n = new Negotiation(UsbRedirMessages.OUR_CAPS);
        n.peerHello(new UsbRedirMessages.Hello("peer", new int[] {peerCaps}));
        return n;
    }

    private static Frame roundTrip(Frame f, Negotiation n) {
        ByteBuf b = Unpooled.buffer();
        try {
            UsbRedirMessages.encode(f, b, n);
            int total = b.readableBytes();
            ByteBuf part = b.slice(0, total - 1);
            assertNull(UsbRedirMessages.decode(part, n), "a packet short of one byte waits for more");
            Frame back = UsbRedirMessages.decode(b, n);
            assertEquals(0, b.readableBytes());
            return back;
        } finally {
            b.release();
        }
    }

    static List<Packet> every() {
        int[] a = new int[32];
        int[] b = new int[32];
        for (int i = 0; i < 32; i++) {
            a[i] = i;
            b[i] = 512 + i;
        }
        return List.of(
                new UsbRedirMessages.Hello("x", new int[] {UsbRedirMessages.OUR_CAPS}),
                new UsbRedirMessages.DeviceConnect(2, 0, 0, 0, 0x1209, 1, 0x0100),
                new UsbRedirMessages.Empty(UsbRedirMessages.DEVICE_DISCONNECT),
                new UsbRedirMessages.Empty(UsbRedirMessages.RESET),
                new UsbRedirMessages.InterfaceInfo(1, a, a, a, a),
                new UsbRedirMessages.EpInfo(a, a, a, b, new int[32]),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.SET_CONFIGURATION, 1),
                new UsbRedirMessages.Empty(UsbRedirMessages.GET_CONFIGURATION),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.CONFIGURATION_STATUS, 0, 1),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.SET_ALT_SETTING, 0, 1),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.GET_ALT_SETTING, 0),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.ALT_SETTING_STATUS, 0, 0, 1),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.START_ISO_STREAM, 0x83, 8, 4),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.STOP_ISO_STREAM, 0x83),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.ISO_STREAM_STATUS, 2, 0x83),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.START_INTERRUPT_RECEIVING, 0x84),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.STOP_INTERRUPT_RECEIVING, 0x84),
                UsbRedirMessages.Bytes.of(UsbRedirMessages.INTERRUPT_RECEIVING_STATUS, 0, 0x84),
                new UsbRedirMessages.BulkStreams(UsbRedirMessages.ALLOC_BULK_STREAMS, 6, 4, 0),
                new UsbRedirMessages.BulkStreams(UsbRedirMessages.FREE_BULK_STREAMS, 6, 0, 0),
                new UsbRedirMessages.BulkStreams(UsbRedirMessages.BULK_STREAMS_STATUS, 6, 4, 2),
                new UsbRedirMessages.Empty(UsbRedirMessages.CANCEL_DATA_PACKET),
                new UsbRedirMessages.Empty(UsbRedirMessages.FILTER_REJECT),
                new UsbRedirMessages.FilterFilter("-1,-1,-1,-1,1"),
                new UsbRedirMessages.Empty(UsbRedirMessages.DEVICE_DISCONNECT_ACK),
                new UsbRedirMessages.BulkReceiving(UsbRedirMessages.START_BULK_RECEIVING, 0, 512, 0x81, 4),
                new UsbRedirMessages.BulkReceiving(UsbRedirMessages.STOP_BULK_RECEIVING, 0, 0, 0x81, 0),
                new UsbRedirMessages.BulkReceiving(UsbRedirMessages.BULK_RECEIVING_STATUS, 0, 0, 0x81, 2),
                new UsbRedirMessages.ControlPacket(0x80, 6, 0x80, 0, 0x0100, 0, 18, new byte[18]),
                new UsbRedirMessages.BulkPacket(0x81, 0, 100_000, 0, new byte[100_000]),
                new UsbRedirMessages.StreamPacket(UsbRedirMessages.ISO_PACKET, 0x83, 0, 3, new byte[] {1, 2, 3}),
                new UsbRedirMessages.StreamPacket(UsbRedirMessages.INTERRUPT_PACKET, 0x84, 0, 8, new byte[0]),
                new UsbRedirMessages.BufferedBulkPacket(0, 4, 0x81, 0, new byte[] {9, 8, 7, 6}));
    }

    @Test
    void everyPacketRoundTripsWithAndWithoutOptionalFields() {
        for (Negotiation n : List.of(negotiated(UsbRedirMessages.OUR_CAPS), negotiated(0),
                negotiated(-1))) {
            for (Packet p : every()) {
                if (p instanceof UsbRedirMessages.BulkPacket bp && bp.length() > 0xffff
                        && !n.both(UsbRedirMessages.CAP_32BITS_BULK_LENGTH)) {
                    continue;
                }
                Frame back = roundTrip(new Frame(0x1234_5678L, p), n);
                assertEquals(0x1234_5678L, back.id());
                assertEquals(p.type(), back.packet().type());
                assertArrayEquals(p.data(), back.packet().data(), "data of " + p);
                if (!(p instanceof UsbRedirMessages.DeviceConnect) || n.both(1)) {
                    ByteBuf x = Unpooled.buffer();
                    ByteBuf y = Unpooled.buffer();
                    p.encodeHeader(x, n);
                    back.packet().encodeHeader(y, n);
                    assertEquals(x, y, "header of " + p);
                    x.release();
                    y.release();
                }
            }
        }
    }

    @Test
    void idsAre64BitsOnlyWhenBothAnnounceIt() {
        Negotiation both = negotiated(UsbRedirMessages.OUR_CAPS);
        assertEquals(16, both.headerLength());
        assertEquals(1L << 40, roundTrip(new Frame(1L << 40, new UsbRedirMessages.Empty(3)), both).id());
        assertEquals(12, negotiated(0).headerLength());
        assertEquals(12, new Negotiation(UsbRedirMessages.OUR_CAPS).headerLength());
    }

    @Test
    void deviceVersionTravelsOnlyWhenBothAnnounceIt() {
        UsbRedirMessages.DeviceConnect d = new UsbRedirMessages.DeviceConnect(2, 8, 6, 0x50, 0x1209, 1, 0x0100);
        assertEquals(d, roundTrip(new Frame(0, d), negotiated(UsbRedirMessages.OUR_CAPS)).packet());
        assertEquals(0, ((UsbRedirMessages.DeviceConnect) roundTrip(new Frame(0, d), negotiated(0)).packet())
                .deviceVersionBcd());
    }

    @Test
    void badInputIsRefusedBeforeAllocating() {
        Negotiation n = negotiated(UsbRedirMessages.OUR_CAPS);
        ByteBuf unknown = Unpooled.buffer().writeIntLE(77).writeIntLE(0).writeLongLE(0);
        assertThrows(SpiceProtocolException.class, () -> UsbRedirMessages.decode(unknown, n));
        unknown.release();
        ByteBuf huge = Unpooled.buffer().writeIntLE(UsbRedirMessages.BULK_PACKET).writeIntLE(-1).writeLongLE(0);
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class, () -> UsbRedirMessages.decode(huge, n));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        huge.release();
        ByteBuf shortHeader = Unpooled.buffer().writeIntLE(UsbRedirMessages.CONTROL_PACKET).writeIntLE(4)
                .writeLongLE(0).writeZero(4);
        assertThrows(SpiceProtocolException.class, () -> UsbRedirMessages.decode(shortHeader, n));
        shortHeader.release();
        ByteBuf extra = Unpooled.buffer().writeIntLE(UsbRedirMessages.RESET).writeIntLE(2).writeLongLE(0)
                .writeZero(2);
        assertThrows(SpiceProtocolException.class, () -> UsbRedirMessages.decode(extra, n));
        extra.release();
        ByteBuf lyingControl = Unpooled.buffer().writeIntLE(UsbRedirMessages.CONTROL_PACKET).writeIntLE(14)
                .writeLongLE(0).writeByte(0x80).writeByte(6).writeByte(0x80).writeByte(0).writeShortLE(0x100)
                .writeShortLE(0).writeShortLE(2).writeZero(4);
        assertThrows(SpiceProtocolException.class, () -> UsbRedirMessages.decode(lyingControl, n));
        lyingControl.release();
        ByteBuf tooManyInterfaces = Unpooled.buffer().writeIntLE(UsbRedirMessages.INTERFACE_INFO).writeIntLE(132)
                .writeLongLE(0).writeIntLE(33).writeZero(128);
        assertThrows(SpiceProtocolException.class, () -> UsbRedirMessages.decode(tooManyInterfaces, n));
        tooManyInterfaces.release();
        ByteBuf hugeBulkLength = Unpooled.buffer().writeIntLE(UsbRedirMessages.BULK_PACKET).writeIntLE(10)
                .writeLongLE(0).writeByte(0x81).writeByte(0).writeShortLE(0xffff).writeIntLE(0).writeShortLE(0xffff);
        assertThrows(SpiceProtocolException.class, () -> UsbRedirMessages.decode(hugeBulkLength, n));
        hugeBulkLength.release();
    }

    @Test
    void compressedSpiceVmcDataIsRefusedAndSplitPacketsAreJoined() {
        java.util.List<Frame> got = new java.util.ArrayList<>();
        org.spice.protocol.spi.ChannelEndpoint ep = (org.spice.protocol.spi.ChannelEndpoint) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {org.spice.protocol.spi.ChannelEndpoint.class},
                        (proxy, m, args) -> m.getName().equals("channelType") ? 9 : null);
        UsbRedirStream stream = new UsbRedirStream(ep, got::add);
        try {
            ByteBuf lz4 = Unpooled.buffer().writeByte(1).writeIntLE(4).writeZero(4);
            SpiceProtocolException e = assertThrows(SpiceProtocolException.class,
                    () -> stream.onMessage(SpiceVmcMessages.COMPRESSED_DATA, lz4));
            assertTrue(e.getMessage().contains("LZ4"), e.getMessage());
            lz4.release();

            ByteBuf hello = Unpooled.buffer();
            UsbRedirMessages.encode(new Frame(0, new UsbRedirMessages.Hello("peer",
                    new int[] {UsbRedirMessages.OUR_CAPS})), hello, new Negotiation(UsbRedirMessages.OUR_CAPS));
            Negotiation after = negotiated(UsbRedirMessages.OUR_CAPS);
            UsbRedirMessages.encode(new Frame(7, new UsbRedirMessages.Empty(UsbRedirMessages.RESET)), hello, after);
            while (hello.isReadable()) { // one byte a message
                ByteBuf one = hello.readRetainedSlice(1);
                stream.onMessage(SpiceVmcMessages.DATA, one);
                one.release();
            }
            hello.release();
            assertEquals(2, got.size());
            assertEquals(UsbRedirMessages.RESET, got.get(1).packet().type());
            assertEquals(7, got.get(1).id());
            assertEquals(16, stream.negotiation().headerLength(), "64-bit ids after both hellos");
        } finally {
            stream.release();
        }
    }
}
