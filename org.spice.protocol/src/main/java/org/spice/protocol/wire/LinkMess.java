package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.Capabilities;
import org.spice.protocol.SpiceProtocolException;

/**
 * SpiceLinkMess, the client's request to link one channel.
 *
 * @param connectionId 0 for a new session's main channel, else the session id the server gave in main init
 */
public record LinkMess(long connectionId, int channelType, int channelId, Capabilities commonCaps,
        Capabilities channelCaps) {

    /** Writes link header and message. */
    public void encode(ByteBuf out) {
        int size = Link.LINK_MESS_SIZE + 4 * (commonCaps.wordCount() + channelCaps.wordCount());
        LinkHeader.of(size).encode(out);
        out.writeIntLE((int) connectionId).writeByte(channelType).writeByte(channelId);
        out.writeIntLE(commonCaps.wordCount()).writeIntLE(channelCaps.wordCount()).writeIntLE(Link.LINK_MESS_SIZE);
        Codec.writeCaps(out, commonCaps);
        Codec.writeCaps(out, channelCaps);
    }

    /** Decodes the body that a {@link LinkHeader} announced; {@code body} holds exactly that many bytes. */
    public static LinkMess decode(ByteBuf body) {
        int size = body.readableBytes();
        int start = body.readerIndex();
        long connectionId = Wire.u32(body, "link message");
        int type = Wire.u8(body, "link message");
        int id = Wire.u8(body, "link message");
        int nCommon = Wire.count(body, Capabilities.MAX_WORDS, "link message common caps");
        int nChannel = Wire.count(body, Capabilities.MAX_WORDS, "link message channel caps");
        long offset = Wire.u32(body, "link message caps offset");
        Capabilities[] caps = Codec.readCaps(body, start, size, offset, nCommon, nChannel, "link message");
        return new LinkMess(connectionId, type, id, caps[0], caps[1]);
    }

    /** Helpers shared by the link message and reply. */
    static final class Codec {
        private Codec() {
        }

        static void writeCaps(ByteBuf out, Capabilities caps) {
            for (int i = 0; i < caps.wordCount(); i++) {
                out.writeIntLE(caps.word(i));
            }
        }

        static Capabilities[] readCaps(ByteBuf body, int start, int size, long offset, int nCommon, int nChannel,
                String what) {
            long end = offset + 4L * (nCommon + nChannel);
            if (offset > size || end > size) {
                throw new SpiceProtocolException(what + ": capabilities at " + offset + ".." + end
                        + " lie outside its " + size + " bytes");
            }
            body.readerIndex(start + (int) offset);
            int[] common = new int[nCommon];
            for (int i = 0; i < nCommon; i++) {
                common[i] = body.readIntLE();
            }
            int[] channel = new int[nChannel];
            for (int i = 0; i < nChannel; i++) {
                channel[i] = body.readIntLE();
            }
            body.readerIndex(start + size);
            return new Capabilities[] {Capabilities.fromWords(common), Capabilities.fromWords(channel)};
        }
    }
}
