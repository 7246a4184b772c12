package org.spice.protocol.internal.main;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.AgentHeader;

/**
 * Puts VD_AGENT messages back together from the agent_data chunks of one main channel, bounded: a message whose
 * body is larger than the limit for its type is skipped as its chunks arrive, never buffered.
 *
 * <p>Two framings, as the two reference peers read them. {@link Framing#STRICT} is spice-server's filter on what
 * clients send (agent-msg-filter.c): every message starts at a chunk boundary with its whole header in that
 * chunk, the protocol is 1, and no chunk carries more than the rest of its message; anything else is a protocol
 * error, for which spice-server shuts the client down. {@link Framing#STREAM} is spice-gtk's reading of what
 * servers send (channel-main.c): a byte stream in which a header may span chunks and a chunk may end one message
 * and start the next; a message with another protocol number is dropped and the stream goes on.
 */
final class AgentReassembler {
    enum Framing {
        STRICT,
        STREAM
    }

    /** Where the messages go. */
    interface Sink {
        /** The largest body accepted for {@code type}. */
        long limit(long type);

        void message(AgentHeader header, byte[] body);

        /** A message skipped unread, and why; its bytes are consumed. */
        void skipped(AgentHeader header, String reason);
    }

    private final Framing framing;
    private final Sink sink;
    /** Stream framing: the header bytes received so far. */
    private final byte[] headerBytes = new byte[AgentHeader.SIZE];
    private int headerFill;
    private AgentHeader header;
    /** Body bytes still to come for the current message. */
    private long remaining;
    private boolean skipping;
    private ByteArrayOutputStream body;

    AgentReassembler(Framing framing, Sink sink) {
        this.framing = framing;
        this.sink = sink;
    }

    /** Whether a message is under way (part of it received). */
    boolean inMessage() {
        return header != null || headerFill > 0;
    }

    /** Takes one agent_data chunk; throws {@link SpiceProtocolException} when strict framing is broken. */
    void feed(ByteBuf chunk) {
        if (framing == Framing.STRICT) {
            feedStrict(chunk);
        } else {
            while (chunk.isReadable()) {
                feedStream(chunk);
            }
        }
    }

    private void feedStrict(ByteBuf chunk) {
        int len = chunk.readableBytes();
        if (header == null) {
            if (len < AgentHeader.SIZE) {
                throw new SpiceProtocolException("invalid agent message: incomplete header (" + len + " bytes)");
            }
            AgentHeader h = AgentHeader.decode(chunk);
            if (h.protocol() != AgentHeader.PROTOCOL) {
                throw new SpiceProtocolException("invalid agent protocol " + h.protocol());
            }
            len -= AgentHeader.SIZE;
            begin(h);
        }
        if (len > remaining) {
            throw new SpiceProtocolException("invalid agent message: chunk has " + len + " bytes, the message "
                    + remaining + " left");
        }
        take(chunk, len);
    }

    private void feedStream(ByteBuf chunk) {
        if (header == null) {
            int n = Math.min(AgentHeader.SIZE - headerFill, chunk.readableBytes());
            chunk.readBytes(headerBytes, headerFill, n);
            headerFill += n;
            if (headerFill < AgentHeader.SIZE) {
                return;
            }
            headerFill = 0;
            AgentHeader h = AgentHeader.decode(Unpooled.wrappedBuffer(headerBytes));
            if (h.protocol() != AgentHeader.PROTOCOL) {
                header = h;
                remaining = h.size();
                skipping = true;
                body = null;
                sink.skipped(h, "its protocol " + h.protocol() + " is not " + AgentHeader.PROTOCOL);
            } else {
                begin(h);
            }
            if (remaining == 0) {
                take(chunk, 0);
                return;
            }
        }
        take(chunk, (int) Math.min(remaining, chunk.readableBytes()));
    }

    private void begin(AgentHeader h) {
        header = h;
        remaining = h.size();
        long limit = sink.limit(h.type());
        skipping = h.size() > limit;
        if (skipping) {
            body = null;
            sink.skipped(h, h.size() + " bytes exceed the limit of " + limit + " for this type");
        } else {
            body = new ByteArrayOutputStream((int) Math.min(h.size(), 16 * 1024));
        }
    }

    /** Consumes {@code n} body bytes of the current message and delivers it once complete. */
    private void take(ByteBuf chunk, int n) {
        if (skipping) {
            chunk.skipBytes(n);
        } else {
            byte[] b = new byte[n];
            chunk.readBytes(b);
            body.write(b, 0, n);
        }
        remaining -= n;
        if (remaining == 0) {
            AgentHeader h = header;
            boolean deliver = !skipping;
            byte[] bytes = deliver ? body.toByteArray() : null;
            header = null;
            body = null;
            skipping = false;
            if (deliver) {
                sink.message(h, bytes);
            }
        }
    }
}
