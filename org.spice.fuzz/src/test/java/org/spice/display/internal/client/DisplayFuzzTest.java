package org.spice.display.internal.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.fuzz.MessageFeed;
import org.spice.protocol.Capabilities;
import org.spice.protocol.FakeChannelContext;

/**
 * The client's display channel (DisplayClientChannel with its ImageReader, caches, surfaces and streams) fed a
 * sequence of server messages, draw messages with lying counts, offsets and images included. Input: messages
 * [type u16 LE][size u32 LE][body]. Only SpiceProtocolException may escape a message (what the channel cannot
 * render yet is listed, not thrown); the channel must then still answer.
 */
class DisplayFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void messages(byte[] input) {
        DisplayClientChannel display = new DisplayClientChannel(FakeChannelContext.client(2, Capabilities.NONE),
                new GlzWindow(1 << 16));
        MessageFeed.feed(input, display::onMessage);
        display.primary();
        display.unsupported();
    }
}
