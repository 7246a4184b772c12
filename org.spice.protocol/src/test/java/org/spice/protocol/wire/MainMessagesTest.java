package org.spice.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.spice.protocol.ChannelType;
import org.spice.protocol.Golden;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.MainMessages.ChannelId;

/** Main-channel and base messages against what QEMU and spice-gtk sent, decoded and re-encoded. */
class MainMessagesTest {

    /** Splits a golden message (mini header + body), decodes the body, re-encodes and compares all bytes. */
    private static <T extends SpiceMessage> T roundTrip(byte[] wire, Function<ByteBuf, T> decode) {
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        try {
            MessageHeader h = MessageHeader.decode(in, true);
            assertEquals(in.readableBytes(), h.size());
            T msg = decode.apply(in);
            assertFalse(in.isReadable(), "decoder left bytes");
            assertEquals(h.type(), msg.type());
            ByteBuf out = Unpooled.buffer();
            new MessageHeader(0, msg.type(), 0).encode(out, true);
            msg.encode(out);
            out.setIntLE(2, out.readableBytes() - MessageHeader.MINI_SIZE);
            assertArrayEquals(wire, Golden.bytes(out));
            out.release();
            return msg;
        } finally {
            in.release();
        }
    }

    @Test
    void qemuMainMessagesRoundTrip() {
        List<byte[]> m = Golden.items("main-server-messages.hex");
        MainMessages.Init init = roundTrip(m.get(0), MainMessages.Init::decode);
        assertEquals(0x14c23104L, init.sessionId());
        assertEquals(1, init.displayChannelsHint());
        assertEquals(MainMessages.MOUSE_MODE_SERVER, init.currentMouseMode());
        assertFalse(init.agentConnected());
        assertEquals(10, init.agentTokens());
        assertEquals("QEMU 7.2.22", roundTrip(m.get(1), MainMessages.Name::decode).name());
        assertEquals(new UUID(0, 0), roundTrip(m.get(2), MainMessages.Uuid::decode).uuid());
        assertEquals(1, roundTrip(m.get(3), BaseMessages.Ping::decode).id());
        BaseMessages.Ping big = roundTrip(m.get(5), BaseMessages.Ping::decode);
        assertEquals(256000, big.dataSize());
        MainMessages.ChannelsList list = roundTrip(m.get(6), MainMessages.ChannelsList::decode);
        assertEquals(List.of(new ChannelId(ChannelType.DISPLAY, 0), new ChannelId(ChannelType.CURSOR, 0),
                new ChannelId(ChannelType.INPUTS, 0)), list.channels());
    }

    @Test
    void channelListWithEveryDeviceQemuOffers() {
        MainMessages.ChannelsList list = roundTrip(Golden.items("main-server-channels-list-alldevices.hex").get(0),
                MainMessages.ChannelsList::decode);
        assertEquals(List.of(8, 9, 6, 5, 2, 4, 10, 3), list.channels().stream().map(ChannelId::type).toList());
    }

    @Test
    void spiceGtkClientMessagesRoundTrip() {
        List<byte[]> c = Golden.items("main-client-messages.hex");
        ByteBuf attach = Unpooled.buffer();
        new MessageHeader(0, MainMessages.ATTACH_CHANNELS.type(), 0).encode(attach, true);
        assertArrayEquals(c.get(0), Golden.bytes(attach));
        attach.release();
        BaseMessages.Pong pong = roundTrip(c.get(1), BaseMessages.Pong::decode);
        assertEquals(1, pong.id());
        assertEquals(193423146L, pong.timestamp());
        List<byte[]> d = Golden.items("display-client-messages.hex");
        assertEquals(1, roundTrip(d.get(1), BaseMessages.AckSync::decode).generation());
        List<byte[]> ds = Golden.items("display-server-first-messages.hex");
        BaseMessages.SetAck ack = roundTrip(ds.get(0), BaseMessages.SetAck::decode);
        assertEquals(20, ack.window());
    }

    @Test
    void notifyAndMouseModeAndNameRoundTripThroughOurEncoder() {
        for (SpiceMessage msg : List.of(
                new BaseMessages.Notify(5, BaseMessages.Notify.SEVERITY_WARN, 1, 7, "héllo"),
                new MainMessages.MouseMode(3, 2), new MainMessages.Name("a session"),
                new BaseMessages.Disconnecting(9, org.spice.protocol.LinkError.PERMISSION_DENIED))) {
            ByteBuf out = Unpooled.buffer();
            msg.encode(out);
            SpiceMessage back;
            if (msg instanceof BaseMessages.Notify) {
                back = BaseMessages.Notify.decode(out);
            } else if (msg instanceof MainMessages.MouseMode) {
                back = MainMessages.MouseMode.decode(out);
            } else if (msg instanceof MainMessages.Name) {
                back = MainMessages.Name.decode(out);
            } else {
                back = BaseMessages.Disconnecting.decode(out);
            }
            assertEquals(msg, back);
            assertFalse(out.isReadable());
            out.release();
        }
    }

    @Test
    void lyingCountsAndLengthsAreRefusedBeforeAllocation() {
        ByteBuf huge = Unpooled.buffer().writeIntLE(-1); // 4 billion channels
        assertThrows(SpiceProtocolException.class, () -> MainMessages.ChannelsList.decode(huge));
        huge.release();
        ByteBuf shortList = Unpooled.buffer().writeIntLE(3).writeByte(2).writeByte(0);
        assertThrows(SpiceProtocolException.class, () -> MainMessages.ChannelsList.decode(shortList));
        shortList.release();
        ByteBuf name = Unpooled.buffer().writeIntLE(1 << 30).writeByte('x');
        assertThrows(SpiceProtocolException.class, () -> MainMessages.Name.decode(name));
        name.release();
        ByteBuf init = Unpooled.buffer().writeZero(31);
        assertThrows(SpiceProtocolException.class, () -> MainMessages.Init.decode(init));
        init.release();
        ByteBuf migrate = Unpooled.buffer().writeShortLE(5900).writeShortLE(0).writeIntLE(10).writeIntLE(1000)
                .writeIntLE(0).writeIntLE(0);
        assertThrows(SpiceProtocolException.class, () -> MainMessages.MigrateBegin.decode(migrate));
        migrate.release();
    }

    @Test
    void migrateBeginStringsAreReadByOffset() {
        ByteBuf b = Unpooled.buffer().writeShortLE(5900).writeShortLE(5901).writeIntLE(5).writeIntLE(20)
                .writeIntLE(0).writeIntLE(0).writeBytes("host\0".getBytes());
        MainMessages.DstInfo d = MainMessages.MigrateBegin.decode(b).destination();
        assertEquals("host", d.host());
        assertEquals(5900, d.port());
        assertEquals(5901, d.securePort());
        b.release();
    }

    @Test
    void switchHostEncodesAsSpiceServerLaysItOutAndDecodesBack() {
        MainMessages.DstInfo d = new MainMessages.DstInfo(5930, 5931, "127.0.0.1", "C=IL, L=Raanana, CN=dst");
        ByteBuf b = Unpooled.buffer();
        new MainMessages.MigrateSwitchHost(d).encode(b);
        // ports, then (size, offset) of the host and of the subject, then both strings with their NUL
        assertEquals(5930, b.getUnsignedShortLE(0));
        assertEquals(5931, b.getUnsignedShortLE(2));
        assertEquals(10, b.getIntLE(4));
        assertEquals(20, b.getIntLE(8));
        assertEquals(24, b.getIntLE(12));
        assertEquals(30, b.getIntLE(16));
        assertEquals(20 + 10 + 24, b.readableBytes());
        assertEquals(0, b.getByte(29));
        assertEquals(d, MainMessages.MigrateSwitchHost.decode(b).destination());
        assertFalse(b.isReadable());
        b.release();
    }

    @Test
    void lyingSwitchHostStringsAreRefused() {
        // a host size beyond MAX_HOST, refused before the bytes are looked for
        ByteBuf big = Unpooled.buffer().writeShortLE(5900).writeShortLE(0).writeIntLE(1 << 20).writeIntLE(20)
                .writeIntLE(0).writeIntLE(0);
        assertThrows(SpiceProtocolException.class, () -> MainMessages.MigrateSwitchHost.decode(big));
        big.release();
        // an offset that wraps past the end of the message
        ByteBuf wrap = Unpooled.buffer().writeShortLE(5900).writeShortLE(0).writeIntLE(5).writeIntLE(-3)
                .writeIntLE(0).writeIntLE(0).writeBytes("host\0".getBytes());
        assertThrows(SpiceProtocolException.class, () -> MainMessages.MigrateSwitchHost.decode(wrap));
        wrap.release();
        // the fixed part cut short
        ByteBuf cut = Unpooled.buffer().writeShortLE(5900).writeShortLE(0).writeIntLE(5);
        assertThrows(SpiceProtocolException.class, () -> MainMessages.MigrateSwitchHost.decode(cut));
        cut.release();
    }
}
