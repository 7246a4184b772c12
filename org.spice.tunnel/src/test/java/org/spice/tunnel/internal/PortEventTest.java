package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.PortMessages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.tunnel.api.PortHandler;
import org.spice.tunnel.api.PortPeer;
import org.spice.tunnel.api.ServerPort;

/** Our server's port channel: INIT with the state at link time, then PORT_EVENT for each later change. */
class PortEventTest {

    private static String hex(SpiceMessage m) {
        ByteBuf b = Unpooled.buffer();
        m.encode(b);
        try {
            return m.type() + ":" + ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    @Test
    void initThenEventsOnTheWire() {
        AtomicReference<PortPeer> peer = new AtomicReference<>();
        PortServerFactory f = new PortServerFactory();
        f.addPort(new ServerPort() {
            @Override
            public String name() {
                return "org.example.p";
            }

            @Override
            public boolean opened() {
                return false;
            }

            @Override
            public PortHandler open(PortPeer p) {
                peer.set(p);
                return new PortHandler() {
                    @Override
                    public void onData(byte[] data) {
                    }
                };
            }
        });
        FakeChannelContext.Server ctx = FakeChannelContext.server(ChannelType.PORT, Capabilities.NONE);
        f.open(ctx);
        // INIT 201: name_size 14 (with its NUL), name offset 9, opened 0, then the name.
        assertEquals("201:0e00000009000000" + "00" + ByteBufUtil.hexDump("org.example.p\0".getBytes()),
                hex(ctx.sent.get(0)));
        assertEquals(1, ctx.sent.size(), "no event before anything changed");

        peer.get().event(PortMessages.EVENT_OPENED);
        peer.get().event(PortMessages.EVENT_BREAK);
        peer.get().event(PortMessages.EVENT_CLOSED);
        assertEquals("202:00", hex(ctx.sent.get(1)));
        assertEquals("202:02", hex(ctx.sent.get(2)));
        assertEquals("202:01", hex(ctx.sent.get(3)));
        assertThrows(IllegalArgumentException.class, () -> peer.get().event(3));
        assertEquals(4, ctx.sent.size());
    }
}
