package org.spice.protocol.internal.engine;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.BaseMessages;
import org.spice.protocol.wire.LinkHeader;
import org.spice.protocol.wire.LinkMess;
import org.spice.protocol.wire.LinkReply;
import org.spice.protocol.wire.MessageHeader;

/**
 * The wire decoders every channel goes through (org.spice.protocol): the link header with the link message (what
 * a server reads) and the link reply (what a client reads), the mini and full message headers as
 * MessageFrameDecoder splits a stream into messages (fed in pieces), and the common messages of every channel
 * (set_ack, ping, notify, disconnecting, wait_for_channels, migrate, ack_sync, pong). Input: any bytes, given to
 * each decoder. Only SpiceProtocolException may escape (Netty wraps it in a DecoderException).
 */
class LinkFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void link(byte[] input) {
        link(input, true);
        link(input, false);
        frames(input, true);
        frames(input, false);
    }

    private static void link(byte[] input, boolean mess) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        try {
            LinkHeader h = LinkHeader.decode(in);
            h.check(0);
            h.require(0, "fuzz");
            ByteBuf body = in.readSlice((int) Math.min(h.size(), in.readableBytes()));
            if (mess) {
                LinkMess.decode(body);
            } else {
                LinkReply.decode(body);
            }
        } catch (SpiceProtocolException expected) {
            // refused
        }
    }

    private static void frames(byte[] input, boolean mini) {
        EmbeddedChannel ch = new EmbeddedChannel(new MessageFrameDecoder(mini, 1 << 16));
        try {
            // In pieces whose sizes the input's first byte picks, as TCP may cut them.
            int piece = input.length == 0 ? 1 : 1 + (input[0] & 0x3f);
            for (int at = 0; at < input.length && ch.isOpen(); at += piece) {
                ch.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(piece, input.length - at)));
                Object m;
                while ((m = ch.readInbound()) != null) {
                    RawMessage raw = (RawMessage) m;
                    try {
                        common(raw.type, raw.content());
                    } catch (SpiceProtocolException expected) {
                        // refused
                    } finally {
                        raw.release();
                    }
                }
            }
            // the end of the stream: Netty decodes what is left once more
            ch.finishAndReleaseAll();
        } catch (DecoderException e) {
            if (!(e.getCause() instanceof SpiceProtocolException)) {
                throw e;
            }
        } finally {
            ch.releaseInbound();
        }
        ByteBuf in = Unpooled.wrappedBuffer(input);
        try {
            MessageHeader.decode(in, mini);
        } catch (SpiceProtocolException expected) {
            // refused
        }
    }

    /** The common messages, by type, both directions' numbers (they overlap: each decoder gets its own). */
    private static void common(int type, ByteBuf body) {
        switch (type) {
            case BaseMessages.MIGRATE -> BaseMessages.Migrate.decode(body.duplicate());
            case BaseMessages.SET_ACK -> BaseMessages.SetAck.decode(body.duplicate());
            case BaseMessages.PING -> BaseMessages.Ping.decode(body.duplicate());
            case BaseMessages.WAIT_FOR_CHANNELS -> BaseMessages.WaitForChannels.decode(body.duplicate());
            case BaseMessages.DISCONNECTING -> BaseMessages.Disconnecting.decode(body.duplicate());
            case BaseMessages.NOTIFY -> BaseMessages.Notify.decode(body.duplicate());
            default -> { }
        }
        switch (type) {
            case BaseMessages.C_ACK_SYNC -> BaseMessages.AckSync.decode(body.duplicate());
            case BaseMessages.C_PONG -> BaseMessages.Pong.decode(body.duplicate());
            default -> { }
        }
    }
}
