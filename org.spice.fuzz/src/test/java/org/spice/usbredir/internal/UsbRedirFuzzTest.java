package org.spice.usbredir.internal;

import org.spice.usbredir.internal.wire.UsbRedirMessages;
import org.spice.protocol.wire.SpiceVmcMessages;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.spice.protocol.Capabilities;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.SpiceProtocolException;

/**
 * The usbredir packet parser (UsbRedirMessages.decode behind UsbRedirStream, which gathers packets across
 * spicevmc data messages): a peer's byte stream, hello and capability negotiation included, cut into spicevmc
 * messages of sizes the input's first byte picks. Input: [piece size u8][the usbredir stream]. Only
 * SpiceProtocolException may escape; it ends the stream, as it closes the channel.
 */
class UsbRedirFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void stream(byte[] input) {
        List<UsbRedirMessages.Frame> frames = new ArrayList<>();
        UsbRedirStream stream = new UsbRedirStream(FakeChannelContext.server(9, Capabilities.NONE), frames::add);
        try {
            int piece = input.length == 0 ? 1 : 1 + (input[0] & 0xff) * 64;
            for (int at = 1; at < input.length; at += piece) {
                stream.onMessage(SpiceVmcMessages.DATA, Unpooled.wrappedBuffer(input, at,
                        Math.min(piece, input.length - at)));
            }
        } catch (SpiceProtocolException expected) {
            // refused: the channel closes
        } finally {
            stream.release();
        }
        for (UsbRedirMessages.Frame f : frames) {
            f.packet().data();
        }
    }
}
