package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.System.Logger.Level;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.Link;
import org.spice.protocol.wire.LinkHeader;
import org.spice.protocol.wire.LinkMess;
import org.spice.protocol.wire.LinkReply;

/**
 * The server side of the link stage, one connection: link header and message, link reply, auth mechanism,
 * ticket, link result. Any malformed step refuses with the matching link error, logs why and closes this
 * connection only. Once linked it hands the connection to the engine and removes itself.
 */
final class ServerLinkHandler extends ByteToMessageDecoder {
    private static final System.Logger LOG = ChannelConnection.LOG;

    private enum State { HEADER, MESSAGE, MECHANISM, TICKET, DONE }

    private final ServerEngine engine;
    private final boolean secure;
    private final boolean overWebSocket;
    private State state = State.HEADER;
    private long bodySize;
    private LinkMess request;
    private ServerEngine.Admission admission;
    private KeyPair keys;
    private long received;
    private ScheduledFuture<?> timeout;

    ServerLinkHandler(ServerEngine engine, boolean secure) {
        this(engine, secure, false);
    }

    /** @param overWebSocket the link arrives in WebSocket frames, so it is not an HTTP request itself */
    ServerLinkHandler(ServerEngine engine, boolean secure, boolean overWebSocket) {
        this.engine = engine;
        this.secure = secure;
        this.overWebSocket = overWebSocket;
    }

    /** The first bytes are an HTTP GET or HEAD, where a SPICE client sends the link magic "REDQ". */
    private static boolean isHttpRequest(ByteBuf in) {
        int first = in.getInt(in.readerIndex());
        return first == ('G' << 24 | 'E' << 16 | 'T' << 8 | ' ') || first == ('H' << 24 | 'E' << 16 | 'A' << 8 | 'D');
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long ms = engine.settings().linkTimeout().toMillis();
        timeout = ctx.executor().schedule(() -> {
            if (state != State.DONE) {
                abort(ctx, "link not completed within " + ms + " ms (" + received + " bytes received)");
            }
        }, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) {
            received += b.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case HEADER -> {
                if (!overWebSocket && in.readableBytes() >= 4 && isHttpRequest(in)) {
                    // A browser: HTTP on the same port (a page, or a WebSocket carrying this link).
                    state = State.DONE;
                    HttpStage.install(ctx.pipeline(), ctx.name(), engine, secure, engine.webPages());
                    ctx.pipeline().remove(this);
                    return;
                }
                if (in.readableBytes() < Link.HEADER_SIZE) {
                    return;
                }
                LinkHeader h = LinkHeader.decode(in);
                LinkError e = h.check(Link.LINK_MESS_SIZE);
                if (e != LinkError.OK) {
                    refuse(ctx, e, switch (e) {
                        case INVALID_MAGIC -> "wrong magic 0x" + Integer.toHexString(h.magic());
                        case VERSION_MISMATCH -> "protocol version " + h.major() + "." + h.minor();
                        default -> "link message size " + h.size() + " outside " + Link.LINK_MESS_SIZE + ".."
                                + Link.MAX_LINK_BODY;
                    });
                    return;
                }
                bodySize = h.size();
                state = State.MESSAGE;
            }
            case MESSAGE -> {
                if (in.readableBytes() < bodySize) {
                    return;
                }
                try {
                    request = LinkMess.decode(in.readSlice((int) bodySize));
                } catch (SpiceProtocolException ex) {
                    refuse(ctx, LinkError.INVALID_DATA, ex.getMessage());
                    return;
                }
                admission = engine.admit(request, secure);
                if (admission.error() != LinkError.OK) {
                    refuse(ctx, admission.error(), admission.reason());
                    return;
                }
                keys = engine.newTicketKeys();
                ByteBuf reply = ctx.alloc().buffer();
                new LinkReply(LinkError.OK, keys.getPublic().getEncoded(), engine.commonCapabilities(),
                        admission.channelCaps()).encode(reply);
                ctx.writeAndFlush(reply);
                state = request.commonCaps().has(Link.CAP_PROTOCOL_AUTH_SELECTION) ? State.MECHANISM : State.TICKET;
            }
            case MECHANISM -> {
                if (in.readableBytes() < 4) {
                    return;
                }
                long mechanism = in.readUnsignedIntLE();
                if (mechanism != Link.AUTH_MECHANISM_SPICE) {
                    result(ctx, LinkError.INVALID_DATA, "auth mechanism " + mechanism
                            + (mechanism == Link.AUTH_MECHANISM_SASL ? " (SASL) is not offered by this server"
                                    : " is unknown"));
                    return;
                }
                state = State.TICKET;
            }
            case TICKET -> {
                if (in.readableBytes() < Link.ENCRYPTED_TICKET_BYTES) {
                    return;
                }
                byte[] ticket = new byte[Link.ENCRYPTED_TICKET_BYTES];
                in.readBytes(ticket);
                if (!engine.ticketAccepted(keys.getPrivate(), ticket)) {
                    result(ctx, LinkError.PERMISSION_DENIED, "authentication failed (wrong or missing password)");
                    return;
                }
                state = State.DONE;
                ByteBuf ok = ctx.alloc().buffer(4).writeIntLE(LinkError.OK.code());
                ctx.writeAndFlush(ok);
                engine.linked(ctx.channel(), request, admission, secure);
                ctx.pipeline().remove(this);
            }
            case DONE -> {
                // Bytes after the link belong to the message pipeline; removing this handler forwards them.
            }
        }
    }

    /** A refusal at the link-reply step: an error reply, then close. */
    private void refuse(ChannelHandlerContext ctx, LinkError error, String reason) {
        state = State.DONE;
        LOG.log(Level.WARNING, "link refused " + what() + " from " + ctx.channel().remoteAddress() + ": " + reason
                + " -> " + error);
        ByteBuf reply = ctx.alloc().buffer();
        LinkReply.refusal(error).encode(reply);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        discard(ctx);
    }

    /** A refusal after the reply: a link result with the error, then close. */
    private void result(ChannelHandlerContext ctx, LinkError error, String reason) {
        state = State.DONE;
        LOG.log(Level.WARNING, "link refused " + what() + " from " + ctx.channel().remoteAddress() + ": " + reason);
        ctx.writeAndFlush(ctx.alloc().buffer(4).writeIntLE(error.code())).addListener(ChannelFutureListener.CLOSE);
        discard(ctx);
    }

    private void abort(ChannelHandlerContext ctx, String reason) {
        state = State.DONE;
        LOG.log(Level.WARNING, "connection from " + ctx.channel().remoteAddress() + " closed: " + reason);
        ctx.close();
    }

    /** Drops whatever else the peer sent: nothing after a refusal is read. */
    private void discard(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
        ByteBuf cumulation = internalBuffer();
        cumulation.skipBytes(cumulation.readableBytes());
    }

    private String what() {
        return request == null ? "" : "for " + ChannelType.name(request.channelType()) + ":" + request.channelId();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (state != State.DONE) {
            state = State.DONE;
            LOG.log(Level.WARNING, "connection from " + ctx.channel().remoteAddress() + " closed during the link"
                    + " stage" + (request == null ? "" : " " + what()) + " after " + received + " bytes");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        abort(ctx, "error during the link stage: " + cause);
    }
}
