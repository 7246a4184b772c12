package org.spice.usbredir.internal;

import org.spice.usbredir.internal.wire.UsbRedirMessages;
import org.spice.protocol.wire.SpiceVmcMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.spice.protocol.spi.ChannelEndpoint;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Frame;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Negotiation;

/**
 * The usbredir byte stream over one spicevmc channel, in either role: spicevmc data messages may split or join
 * usbredir packets, so incoming bytes are gathered until a whole packet is there. Used on the channel's thread.
 */
final class UsbRedirStream {
    private final ChannelEndpoint endpoint;
    private final Negotiation negotiation = new Negotiation(UsbRedirMessages.OUR_CAPS);
    private final ByteBuf pending = Unpooled.buffer();
    private final Consumer<Frame> sink;

    UsbRedirStream(ChannelEndpoint endpoint, Consumer<Frame> sink) {
        this.endpoint = endpoint;
        this.sink = sink;
    }

    Negotiation negotiation() {
        return negotiation;
    }

    /** One spicevmc message from the peer. */
    void onMessage(int type, ByteBuf body) {
        switch (type) {
            case SpiceVmcMessages.DATA -> pending.writeBytes(body);
            case SpiceVmcMessages.COMPRESSED_DATA -> pending.writeBytes(SpiceVmcMessages.decodeCompressed(body));
            default -> throw ChannelHandler.unknownMessage(endpoint, type);
        }
        Frame f;
        while ((f = UsbRedirMessages.decode(pending, negotiation)) != null) {
            if (f.packet() instanceof UsbRedirMessages.Hello h) {
                negotiation.peerHello(h);
            }
            sink.accept(f);
        }
        pending.discardReadBytes();
    }

    void send(long id, UsbRedirMessages.Packet p) {
        ByteBuf b = Unpooled.buffer();
        UsbRedirMessages.encode(new Frame(id, p), b, negotiation);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        for (int off = 0; off < bytes.length; off += SpiceVmcMessages.MAX_CHUNK) {
            endpoint.send(new SpiceVmcMessages.Data(bytes, off, Math.min(SpiceVmcMessages.MAX_CHUNK,
                    bytes.length - off)));
        }
    }

    void sendHello() {
        send(0, new UsbRedirMessages.Hello(UsbRedirMessages.VERSION, new int[] {UsbRedirMessages.OUR_CAPS}));
    }

    void release() {
        pending.release();
    }
}
