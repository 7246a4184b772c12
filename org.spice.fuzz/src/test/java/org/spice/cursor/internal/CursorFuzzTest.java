package org.spice.cursor.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.fuzz.MessageFeed;
import org.spice.protocol.Capabilities;
import org.spice.protocol.FakeChannelContext;

/**
 * The client's cursor channel (CursorClientChannel and CursorCodec: every cursor type, the cursor cache)
 * fed a sequence of server messages. Input: messages [type u16 LE][size u32 LE][body]. Only
 * SpiceProtocolException may escape; a shape it accepts is whole.
 */
class CursorFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void messages(byte[] input) {
        CursorClientChannel cursor = new CursorClientChannel(FakeChannelContext.client(4, Capabilities.NONE));
        MessageFeed.feed(input, (type, body) -> {
            cursor.onMessage(type, body);
            var shape = cursor.shape();
            if (shape != null && shape.argb().length != shape.width() * shape.height()) {
                throw new AssertionError("cursor " + shape.width() + "x" + shape.height() + " with "
                        + shape.argb().length + " pixels");
            }
        });
    }
}
