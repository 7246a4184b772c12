package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import java.util.List;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.spice.protocol.SpiceProtocolException;

/**
 * The SASL security layer (integrity or confidentiality) that a channel speaks after a SASL link negotiated
 * {@code auth-int} or {@code auth-conf}: every byte either way travels in frames of a u32 big-endian length and the
 * mechanism's wrapped bytes (what cyrus-sasl's sasl_encode writes), each wrapping at most the peer's buffer size.
 */
final class SaslSecurityLayer {
    /** The buffer size each role announces for what it receives; frames over it are refused. */
    static final int MAX_BUFFER = 65536;

    /** What wraps and unwraps: a SaslClient or a SaslServer after authentication. */
    interface Mechanism {
        byte[] wrap(byte[] b, int off, int len) throws SaslException;

        byte[] unwrap(byte[] b, int off, int len) throws SaslException;

        /** The QOP the exchange settled on, "auth", "auth-int" or "auth-conf". */
        String qop();

        /** The largest clear piece the peer accepts in one frame. */
        int rawSendSize();

        void dispose();
    }

    private SaslSecurityLayer() {
    }

    static Mechanism of(SaslClient c) {
        return new Mechanism() {
            @Override
            public byte[] wrap(byte[] b, int off, int len) throws SaslException {
                return c.wrap(b, off, len);
            }

            @Override
            public byte[] unwrap(byte[] b, int off, int len) throws SaslException {
                return c.unwrap(b, off, len);
            }

            @Override
            public String qop() {
                return (String) c.getNegotiatedProperty(Sasl.QOP);
            }

            @Override
            public int rawSendSize() {
                return parseSize(c.getNegotiatedProperty(Sasl.RAW_SEND_SIZE));
            }

            @Override
            public void dispose() {
                try {
                    c.dispose();
                } catch (SaslException e) {
                    // nothing to release that matters once the channel is closed
                }
            }
        };
    }

    static Mechanism of(SaslServer s) {
        return new Mechanism() {
            @Override
            public byte[] wrap(byte[] b, int off, int len) throws SaslException {
                return s.wrap(b, off, len);
            }

            @Override
            public byte[] unwrap(byte[] b, int off, int len) throws SaslException {
                return s.unwrap(b, off, len);
            }

            @Override
            public String qop() {
                return (String) s.getNegotiatedProperty(Sasl.QOP);
            }

            @Override
            public int rawSendSize() {
                return parseSize(s.getNegotiatedProperty(Sasl.RAW_SEND_SIZE));
            }

            @Override
            public void dispose() {
                try {
                    s.dispose();
                } catch (SaslException e) {
                    // as above
                }
            }
        };
    }

    private static int parseSize(Object v) {
        try {
            int n = v == null ? MAX_BUFFER : Integer.parseInt(v.toString());
            return n <= 0 ? MAX_BUFFER : Math.min(n, MAX_BUFFER);
        } catch (NumberFormatException e) {
            return MAX_BUFFER;
        }
    }

    /** Whether the negotiated QOP wraps the channel's bytes. */
    static boolean wraps(Mechanism m) {
        String q = m.qop();
        return "auth-int".equals(q) || "auth-conf".equals(q);
    }

    /**
     * Puts the layer in front of the link handler {@code link}, which has read the SASL result and still holds
     * {@code early}: wrapped bytes that arrived behind the result. They are unwrapped before anything read later.
     */
    static void installBefore(ChannelHandlerContext link, Mechanism m, ByteBuf early) {
        Unwrapper u = new Unwrapper(m, early);
        link.pipeline().addBefore(link.name(), "sasl-unwrap", u);
        link.pipeline().addBefore(link.name(), "sasl-wrap", new Wrapper(m));
        ChannelHandlerContext uctx = link.pipeline().context(u);
        link.executor().execute(() -> u.flushEarly(uctx));
    }

    /** Frames in, clear bytes out. */
    static final class Unwrapper extends ByteToMessageDecoder {
        private final Mechanism m;
        private ByteBuf early;

        Unwrapper(Mechanism m, ByteBuf early) {
            this.m = m;
            this.early = early;
        }

        /** Feeds the bytes that came before this handler was there, unless a read already did. */
        void flushEarly(ChannelHandlerContext ctx) {
            if (early != null && !ctx.isRemoved()) {
                try {
                    channelRead(ctx, ctx.alloc().buffer(0));
                    channelReadComplete(ctx);
                } catch (Exception e) {
                    ctx.fireExceptionCaught(e);
                }
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (early != null && msg instanceof ByteBuf b) {
                ByteBuf first = early;
                early = null;
                msg = ctx.alloc().compositeBuffer(2).addComponents(true, first, b);
            }
            super.channelRead(ctx, msg);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws SaslException {
            while (in.readableBytes() >= 4) {
                long len = in.getUnsignedInt(in.readerIndex());
                if (len == 0 || len > MAX_BUFFER) {
                    throw new SpiceProtocolException("SASL security layer frame of " + len + " bytes (allowed 1.."
                            + MAX_BUFFER + ")");
                }
                if (in.readableBytes() < 4 + len) {
                    return;
                }
                in.skipBytes(4);
                byte[] wrapped = new byte[(int) len];
                in.readBytes(wrapped);
                byte[] clear;
                try {
                    clear = m.unwrap(wrapped, 0, wrapped.length);
                } catch (SaslException e) {
                    throw new SpiceProtocolException("SASL security layer: a frame did not unwrap ("
                            + e.getMessage() + ")", e);
                }
                if (clear.length > 0) {
                    out.add(ctx.alloc().buffer(clear.length).writeBytes(clear));
                }
            }
        }

        @Override
        protected void handlerRemoved0(ChannelHandlerContext ctx) {
            if (early != null) {
                early.release();
                early = null;
            }
            m.dispose();
        }
    }

    /** Clear bytes in, frames out, in pieces no larger than the peer takes. */
    static final class Wrapper extends MessageToByteEncoder<ByteBuf> {
        private final Mechanism m;

        Wrapper(Mechanism m) {
            this.m = m;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf msg, ByteBuf out) throws SaslException {
            int piece = m.rawSendSize();
            byte[] buf = new byte[Math.min(piece, msg.readableBytes())];
            while (msg.isReadable()) {
                int n = Math.min(piece, msg.readableBytes());
                msg.readBytes(buf, 0, n);
                byte[] wrapped = m.wrap(buf, 0, n);
                out.writeInt(wrapped.length).writeBytes(wrapped);
            }
        }
    }
}
