package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceProtocolException;

/** SpiceLinkHeader: magic, protocol version and the size of the link message or reply that follows. */
public record LinkHeader(int magic, long major, long minor, long size) {

    public static LinkHeader of(int bodySize) {
        return new LinkHeader(Link.MAGIC, Link.VERSION_MAJOR, Link.VERSION_MINOR, bodySize);
    }

    public static LinkHeader decode(ByteBuf in) {
        Wire.need(in, Link.HEADER_SIZE, "link header");
        return new LinkHeader(in.readIntLE(), in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readUnsignedIntLE());
    }

    public void encode(ByteBuf out) {
        out.writeIntLE(magic).writeIntLE((int) major).writeIntLE((int) minor).writeIntLE((int) size);
    }

    /**
     * What is wrong with this header for a body of at least {@code minBody} bytes, as the link error a server
     * answers with; {@link LinkError#OK} when it is acceptable.
     */
    public LinkError check(int minBody) {
        if (magic != Link.MAGIC) {
            return LinkError.INVALID_MAGIC;
        }
        if (major != Link.VERSION_MAJOR) {
            return LinkError.VERSION_MISMATCH;
        }
        if (size < minBody || size > Link.MAX_LINK_BODY) {
            return LinkError.INVALID_DATA;
        }
        return LinkError.OK;
    }

    /** Like {@link #check} but throws, with the offending value in the message. */
    public void require(int minBody, String what) {
        LinkError e = check(minBody);
        switch (e) {
            case OK -> { }
            case INVALID_MAGIC -> throw new SpiceProtocolException(what + ": wrong magic 0x"
                    + Integer.toHexString(magic) + " (not a SPICE peer?)");
            case VERSION_MISMATCH -> throw new SpiceProtocolException(what + ": protocol major version " + major
                    + ", expected " + Link.VERSION_MAJOR);
            default -> throw new SpiceProtocolException(what + ": size " + size + " outside " + minBody + ".."
                    + Link.MAX_LINK_BODY);
        }
    }
}
