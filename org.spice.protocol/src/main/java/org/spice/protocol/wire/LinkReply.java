package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.Capabilities;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceProtocolException;

/**
 * SpiceLinkReply, the server's answer to a link message: an error code, the RSA public key the client encrypts
 * its ticket with, and the server's capabilities.
 */
public record LinkReply(LinkError error, byte[] publicKey, Capabilities commonCaps, Capabilities channelCaps) {

    public LinkReply {
        if (publicKey.length != Link.TICKET_PUBKEY_BYTES) {
            throw new IllegalArgumentException("public key must be " + Link.TICKET_PUBKEY_BYTES + " bytes");
        }
    }

    /** A refusal, as spice-server sends it: the error with an empty key and no capabilities. */
    public static LinkReply refusal(LinkError error) {
        return new LinkReply(error, new byte[Link.TICKET_PUBKEY_BYTES], Capabilities.NONE, Capabilities.NONE);
    }

    /** Writes link header and reply. */
    public void encode(ByteBuf out) {
        int size = Link.LINK_REPLY_SIZE + 4 * (commonCaps.wordCount() + channelCaps.wordCount());
        LinkHeader.of(size).encode(out);
        out.writeIntLE(error.code()).writeBytes(publicKey);
        out.writeIntLE(commonCaps.wordCount()).writeIntLE(channelCaps.wordCount()).writeIntLE(Link.LINK_REPLY_SIZE);
        LinkMess.Codec.writeCaps(out, commonCaps);
        LinkMess.Codec.writeCaps(out, channelCaps);
    }

    /** Decodes the body that a {@link LinkHeader} announced; {@code body} holds exactly that many bytes. */
    public static LinkReply decode(ByteBuf body) {
        int size = body.readableBytes();
        int start = body.readerIndex();
        long error = Wire.u32(body, "link reply");
        if (error > LinkError.CHANNEL_NOT_AVAILABLE.code()) {
            throw new SpiceProtocolException("link reply: unknown error code " + error);
        }
        byte[] key = Wire.bytes(body, Link.TICKET_PUBKEY_BYTES, "link reply public key");
        int nCommon = Wire.count(body, Capabilities.MAX_WORDS, "link reply common caps");
        int nChannel = Wire.count(body, Capabilities.MAX_WORDS, "link reply channel caps");
        long offset = Wire.u32(body, "link reply caps offset");
        Capabilities[] caps = LinkMess.Codec.readCaps(body, start, size, offset, nCommon, nChannel, "link reply");
        return new LinkReply(LinkError.of(error), key, caps[0], caps[1]);
    }
}
