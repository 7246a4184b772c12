package org.spice.cursor.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.fuzz.MessageFeed;
import org.spice.protocol.Capabilities;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.spi.ChannelHandler;

/**
 * The client's cursor channel (CursorClientFactory's handler and CursorCodec: every cursor type, the cursor cache)
 * fed a sequence of server messages. Input: messages [type u16 LE][size u32 LE][body]. Only
 * SpiceProtocolException may escape; a shape it accepts is whole.
 */
class CursorFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void messages(byte[] input) {
        CursorClientFactory factory = new CursorClientFactory();
        ChannelHandler cursor = factory.open(FakeChannelContext.client(4, Capabilities.NONE));
        MessageFeed.feed(input, (type, body) -> {
            cursor.onMessage(type, body);
            var shape = ((org.spice.cursor.api.ClientCursor) cursor).shape();
            if (shape != null && shape.argb().length != shape.width() * shape.height()) {
                throw new AssertionError("cursor " + shape.width() + "x" + shape.height() + " with "
                        + shape.argb().length + " pixels");
            }
        });
    }
}
