package org.spice.protocol.spi;

import io.netty.buffer.ByteBuf;
import org.osgi.annotation.versioning.ConsumerType;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceProtocolException;

/**
 * A channel's logic for one connection. The engine handles the messages all channels share (acks, pings,
 * notify, disconnecting) and hands every channel-specific message (type above 100) to {@link #onMessage}.
 * All callbacks run on the endpoint's executor.
 */
@ConsumerType
public interface ChannelHandler {

    /**
     * One message body. The buffer belongs to the engine and is released after the call returns; copy what
     * must outlive it. Throw {@link SpiceProtocolException} for malformed or unknown messages: the engine then
     * logs the reason and closes this channel only.
     */
    void onMessage(int type, ByteBuf body);

    /**
     * {@link ChannelEndpoint#canSend()} is true again after it was false: the ack window reopened or the outbound
     * buffer drained. It may also come when nothing was held back.
     */
    default void onWritable() {
    }

    /** The connection is gone, for whatever reason. */
    default void onClose() {
    }

    /** The exception a handler throws for a message type its channel does not define. */
    static SpiceProtocolException unknownMessage(ChannelEndpoint endpoint, int type) {
        return new SpiceProtocolException("unknown message type " + type + " on the "
                + ChannelType.name(endpoint.channelType()) + " channel");
    }
}
