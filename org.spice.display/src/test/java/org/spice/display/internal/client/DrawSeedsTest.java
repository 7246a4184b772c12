package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;

/** The fuzz seed of composites and dashed strokes is all accepted and drawn: a seed refused early explores little. */
class DrawSeedsTest {
    @Test
    void everyMessageOfTheSeedIsDrawn() {
        DisplayClientChannel display = new DisplayClientChannel(
                FakeChannelContext.client(ChannelType.DISPLAY, Capabilities.NONE), new GlzWindow(1 << 20));
        ByteBuf all = Unpooled.wrappedBuffer(DrawSeeds.compositesAndDashedStrokes());
        int messages = 0;
        while (all.isReadable()) {
            int type = all.readUnsignedShortLE();
            ByteBuf body = all.readSlice((int) all.readUnsignedIntLE());
            display.onMessage(type, body);
            messages++;
        }
        assertEquals(9, messages);
        assertEquals(List.of(), display.unsupported());
        assertNotEquals(0x80406080, display.primary().rgb()[2 * 64 + 2], "the first dash is not drawn");
    }
}
