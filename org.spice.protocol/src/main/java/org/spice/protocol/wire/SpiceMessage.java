package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import org.osgi.annotation.versioning.ConsumerType;

/** A message body that can be sent: its type number within its channel, and its encoding after the header. */
@ConsumerType
public interface SpiceMessage {
    int type();

    /** Writes the body (never the header) to {@code out}. */
    void encode(ByteBuf out);

    /** A message with no body, for the many empty messages of spice.proto. */
    record Empty(int type) implements SpiceMessage {
        @Override
        public void encode(ByteBuf out) {
        }
    }
}
