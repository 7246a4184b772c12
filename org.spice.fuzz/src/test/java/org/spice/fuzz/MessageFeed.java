package org.spice.fuzz;

/** The framing of the channel fuzz tests' inputs: a stream of mini-header messages. */
public final class MessageFeed {
    private MessageFeed() {
    }

    /** Messages as on the wire after the link, with mini headers: [type u16 LE][size u32 LE][body]. */
    public interface Sink {
        void onMessage(int type, io.netty.buffer.ByteBuf body);
    }

    /**
     * Feeds {@code input} as a sequence of mini-header messages to {@code sink}; a size beyond the input is cut to
     * what is left (the framing itself is fuzzed by the protocol's fuzz test). Every SpiceProtocolException a
     * message raises is the contract; the next message is fed to the same handler, as a lenient peer would.
     */
    public static void feed(byte[] input, Sink sink) {
        io.netty.buffer.ByteBuf all = io.netty.buffer.Unpooled.wrappedBuffer(input);
        while (all.readableBytes() >= 6) {
            int type = all.readUnsignedShortLE();
            long size = Math.min(all.readUnsignedIntLE(), all.readableBytes());
            io.netty.buffer.ByteBuf body = all.readSlice((int) size);
            try {
                sink.onMessage(type, body);
            } catch (org.spice.protocol.SpiceProtocolException expected) {
                // refused: the contract
            }
        }
    }
}
