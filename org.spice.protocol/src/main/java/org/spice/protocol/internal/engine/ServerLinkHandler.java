package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.System.Logger.Level;
import java.security.KeyPair;
import java.util.List;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.Link;
import org.spice.protocol.wire.LinkHeader;
import org.spice.protocol.wire.LinkMess;
import org.spice.protocol.wire.LinkReply;
import org.spice.protocol.wire.SaslLink;

/**
 * The server side of the link stage, one connection: link header and message, link reply, auth mechanism,
 * ticket, link result. Any malformed step refuses with the matching link error, logs why and closes this
 * connection only. Once linked it hands the connection to the engine and removes itself.
 */
final class ServerLinkHandler extends ByteToMessageDecoder {
    private static final System.Logger LOG = ChannelConnection.LOG;

    /** See {@link #saslStep}: how long a SASL channel's first messages wait behind its link result. */
    static final long SASL_FIRST_MESSAGE_DELAY_MS = 200;

    private enum State { HEADER, MESSAGE, MECHANISM, TICKET, SASL_MECHNAME, SASL_START, SASL_STEP, DONE }

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
    private SaslServer sasl;
    /** The SASL mechanisms offered to this connection. */
    private List<String> offeredSasl = List.of();

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
        releaseClientSlot();
    }

    /** Gives back the max.clients place this link took, unless the link became a client (which holds it). */
    private void releaseClientSlot() {
        if (admission != null && admission.slot() != null) {
            admission.slot().release();
        }
        admission = null;
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
                if (engine.settings().saslUsers() != null) {
                    if (mechanism != Link.AUTH_MECHANISM_SASL) {
                        result(ctx, LinkError.INVALID_DATA, "auth mechanism " + mechanism + ": this server requires"
                                + " SASL");
                        return;
                    }
                    offeredSasl = engine.saslMechanisms(secure);
                    ByteBuf list = ctx.alloc().buffer();
                    SaslLink.writeMechList(list, offeredSasl);
                    ctx.writeAndFlush(list);
                    state = State.SASL_MECHNAME;
                    return;
                }
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
                ServerEngine.Admission linking = admission;
                admission = null; // its client slot now belongs to the client
                engine.linked(ctx.channel(), request, linking, secure);
                ctx.pipeline().remove(this);
            }
            case SASL_MECHNAME -> {
                String mech = saslRead(ctx, () -> SaslLink.readMechName(in));
                if (mech == null) {
                    return;
                }
                if (!offeredSasl.contains(mech)) {
                    saslRefuse(ctx, "SASL mechanism " + mech + " was not offered");
                    return;
                }
                sasl = engine.newSaslServer(mech, secure);
                state = State.SASL_START;
            }
            case SASL_START, SASL_STEP -> {
                SaslLink.Step step = saslRead(ctx, () -> SaslLink.readStep(in, false));
                if (step == null) {
                    return;
                }
                saslStep(ctx, in, step);
            }
            case DONE -> {
                // Bytes after the link belong to the message pipeline; removing this handler forwards them.
            }
        }
    }

    private interface Read<T> {
        T read();
    }

    /** Reads a SASL message; a length over its limit or a malformed name refuses the link. */
    private <T> T saslRead(ChannelHandlerContext ctx, Read<T> r) {
        try {
            return r.read();
        } catch (SpiceProtocolException e) {
            saslRefuse(ctx, e.getMessage());
            return null;
        }
    }

    private void saslStep(ChannelHandlerContext ctx, ByteBuf in, SaslLink.Step step) {
        byte[] challenge;
        try {
            challenge = sasl.evaluateResponse(step.data() == null ? new byte[0] : step.data());
        } catch (SaslException e) {
            saslRefuse(ctx, e.getMessage());
            return;
        }
        boolean complete = sasl.isComplete();
        ByteBuf out = ctx.alloc().buffer();
        SaslLink.writeServerStep(out, challenge, complete);
        if (!complete) {
            ctx.writeAndFlush(out);
            state = State.SASL_STEP;
            return;
        }
        // As spice-server: the SASL result in the clear, then the security layer, then the link result through it.
        out.writeIntLE(LinkError.OK.code());
        ctx.writeAndFlush(out);
        state = State.DONE;
        LOG.log(Level.INFO, "SASL " + sasl.getMechanismName() + " user " + sasl.getAuthorizationID() + " linked "
                + what() + " from " + ctx.channel().remoteAddress() + (secure ? " over TLS" : ""));
        SaslSecurityLayer.Mechanism m = SaslSecurityLayer.of(sasl);
        if (SaslSecurityLayer.wraps(m)) {
            SaslSecurityLayer.installBefore(ctx, m, ctx.alloc().buffer(in.readableBytes()).writeBytes(in));
        }
        ctx.writeAndFlush(ctx.alloc().buffer(4).writeIntLE(LinkError.OK.code()));
        // spice-gtk 0.42 waits for its socket to become readable before it reads messages, even ones its SASL layer
        // already decoded: a channel's first messages arriving together with the link result would sit unread
        // until the server sends again. So they follow a moment later; this handler (DONE: it only holds bytes)
        // keeps what the client sends meanwhile and hands it on when it leaves.
        ctx.executor().schedule(() -> {
            if (ctx.channel().isActive() && !ctx.isRemoved()) {
                engine.linked(ctx.channel(), request, admission, secure);
                ctx.pipeline().remove(this);
            }
        }, SASL_FIRST_MESSAGE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * A failed or malformed SASL exchange: spice-server closes the connection without a result, and spice-gtk and
     * our client report that as failed authentication.
     */
    private void saslRefuse(ChannelHandlerContext ctx, String reason) {
        abort(ctx, "SASL authentication " + what() + " refused: " + reason);
        discard(ctx);
        if (sasl != null) {
            try {
                sasl.dispose();
            } catch (SaslException e) {
                // closing anyway
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
        releaseClientSlot();
        LOG.log(Level.WARNING, "link refused " + what() + " from " + ctx.channel().remoteAddress() + ": " + reason);
        ctx.writeAndFlush(ctx.alloc().buffer(4).writeIntLE(error.code())).addListener(ChannelFutureListener.CLOSE);
        discard(ctx);
    }

    private void abort(ChannelHandlerContext ctx, String reason) {
        state = State.DONE;
        releaseClientSlot();
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
        releaseClientSlot();
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
