package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.RealmChoiceCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.SpiceLinkException;
import org.spice.protocol.internal.auth.TicketCipher;
import org.spice.protocol.wire.Link;
import org.spice.protocol.wire.LinkHeader;
import org.spice.protocol.wire.LinkMess;
import org.spice.protocol.wire.LinkReply;
import org.spice.protocol.wire.SaslLink;

/**
 * The client side of the link stage: sends the link message, reads the reply, authenticates (the encrypted ticket,
 * or a SASL exchange when the server offers SASL and a user name is given) and reads the link result. Completes
 * {@link #result} with the linked reply, or fails it with a {@link SpiceLinkException} (the server refused) or a
 * {@link SpiceProtocolException} (not a SPICE server, or it broke the protocol).
 */
final class ClientLinkHandler extends ByteToMessageDecoder {
    private enum State { REPLY_HEADER, REPLY, SASL_MECHLIST, SASL_STEP, RESULT, SASL_RESULT, DONE }

    /** The SASL mechanisms this client uses, best first; the JDK provides them. */
    static final List<String> SASL_MECHANISMS = List.of("DIGEST-MD5", "CRAM-MD5", "PLAIN");

    /** What a successful link leaves behind. */
    record Linked(LinkReply reply, boolean mini) {
    }

    final CompletableFuture<ClientConnection> result = new CompletableFuture<>();
    private final LinkMess request;
    private final ClientOptions options;
    private final String host;
    private final boolean tls;
    private final Function<Linked, ClientConnection> install;
    private State state = State.REPLY_HEADER;
    private long replySize;
    private LinkReply reply;
    private SaslClient sasl;

    /**
     * @param host the server's host name, which DIGEST-MD5 puts in its digest-uri
     * @param tls whether the connection is TLS, so that SASL needs no security layer of its own
     * @param install adds the message handlers behind this one and starts the channel; it runs before this
     *     handler leaves the pipeline, so that bytes arriving with the link result reach the channel
     */
    ClientLinkHandler(LinkMess request, ClientOptions options, String host, boolean tls,
            Function<Linked, ClientConnection> install) {
        this.request = request;
        this.options = options;
        this.host = host;
        this.tls = tls;
        this.install = install;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf out = ctx.alloc().buffer();
        request.encode(out);
        ctx.writeAndFlush(out);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws SpiceLinkException {
        switch (state) {
            case REPLY_HEADER -> {
                if (in.readableBytes() < Link.HEADER_SIZE) {
                    return;
                }
                LinkHeader h = LinkHeader.decode(in);
                h.require(Link.LINK_REPLY_SIZE, "link reply header");
                replySize = h.size();
                state = State.REPLY;
            }
            case REPLY -> {
                if (in.readableBytes() < replySize) {
                    return;
                }
                reply = LinkReply.decode(in.readSlice((int) replySize));
                if (reply.error() != LinkError.OK) {
                    fail(ctx, new SpiceLinkException(reply.error(), "the server refused to link the "
                            + what() + " channel: " + reply.error().description() + " (" + reply.error() + ")"));
                    return;
                }
                boolean selection = reply.commonCaps().has(Link.CAP_PROTOCOL_AUTH_SELECTION);
                if (selection && reply.commonCaps().has(Link.CAP_AUTH_SASL)) {
                    // spice-server offers SASL only when it is configured to require it (and then refuses tickets).
                    if (options.username() == null) {
                        fail(ctx, new SpiceLinkException(LinkError.PERMISSION_DENIED, "authentication failed: the"
                                + " server requires SASL authentication; give a user name (--user NAME) and its"
                                + " password (--password-file F)"));
                        return;
                    }
                    ctx.writeAndFlush(ctx.alloc().buffer(4).writeIntLE(Link.AUTH_MECHANISM_SASL));
                    state = State.SASL_MECHLIST;
                    return;
                }
                if (options.username() != null && request.channelType() == org.spice.protocol.ChannelType.MAIN) {
                    ChannelConnection.LOG.log(System.Logger.Level.WARNING, "the server does not offer SASL; the user"
                            + " name is not used");
                }
                // Mechanism and ticket go in separate writes, as spice-gtk sends them: Wireshark's SPICE dissector
                // reads them as two steps and loses track of the stream when they share a segment.
                if (selection) {
                    ctx.writeAndFlush(ctx.alloc().buffer(4).writeIntLE(Link.AUTH_MECHANISM_SPICE));
                }
                ctx.writeAndFlush(ctx.alloc().buffer(Link.ENCRYPTED_TICKET_BYTES)
                        .writeBytes(TicketCipher.encrypt(reply.publicKey(), options.password())));
                state = State.RESULT;
            }
            case SASL_MECHLIST -> {
                List<String> offered = SaslLink.readMechList(in);
                if (offered == null) {
                    return;
                }
                startSasl(ctx, offered);
            }
            case SASL_STEP -> {
                SaslLink.Step step = SaslLink.readStep(in, true);
                if (step == null) {
                    return;
                }
                saslStep(ctx, step);
            }
            case RESULT -> {
                if (in.readableBytes() < 4) {
                    return;
                }
                long code = in.readUnsignedIntLE();
                if (sasl != null) {
                    saslResult(ctx, in, code);
                    return;
                }
                linked(ctx, code);
            }
            case SASL_RESULT -> {
                // spice-server confirms the link once more after SASL, inside the security layer when there is one.
                if (in.readableBytes() < 4) {
                    return;
                }
                linked(ctx, in.readUnsignedIntLE());
            }
            case DONE -> {
                // Anything after a failed link is ignored; after success this handler is gone.
                in.skipBytes(in.readableBytes());
            }
        }
    }

    private void linked(ChannelHandlerContext ctx, long code) throws SpiceLinkException {
        LinkError e = LinkError.of(code);
        if (e != LinkError.OK) {
            String why = e == LinkError.PERMISSION_DENIED
                    ? "authentication failed: the server did not accept the password"
                    : "the server refused the " + what() + " channel after authentication: " + e.description();
            throw new SpiceLinkException(e, why);
        }
        state = State.DONE;
        boolean mini = reply.commonCaps().has(Link.CAP_MINI_HEADER) && request.commonCaps().has(Link.CAP_MINI_HEADER);
        ClientConnection conn = install.apply(new Linked(reply, mini));
        ctx.pipeline().remove(this);
        result.complete(conn);
    }

    /**
     * The result of the SASL exchange, sent in the clear. From here on every byte goes through the security layer
     * (if one was negotiated), which is put in front of this handler with the bytes that already arrived behind the
     * result; the link's second result then comes through it.
     */
    private void saslResult(ChannelHandlerContext ctx, ByteBuf in, long code) throws SpiceLinkException {
        if (code != 0) {
            // spice-server answers a refused SASL exchange with 1 and a reason, whatever the cause.
            throw new SpiceLinkException(LinkError.PERMISSION_DENIED, "authentication failed: the server did not"
                    + " accept the SASL authentication (" + sasl.getMechanismName() + ")");
        }
        state = State.SASL_RESULT;
        SaslSecurityLayer.Mechanism m = SaslSecurityLayer.of(sasl);
        if (SaslSecurityLayer.wraps(m)) {
            ByteBuf early = ctx.alloc().buffer(in.readableBytes()).writeBytes(in);
            SaslSecurityLayer.installBefore(ctx, m, early);
        }
    }

    private void startSasl(ChannelHandlerContext ctx, List<String> offered) throws SpiceLinkException {
        String[] usable = SASL_MECHANISMS.stream().filter(offered::contains).toArray(String[]::new);
        if (usable.length == 0) {
            throw new SpiceLinkException(LinkError.PERMISSION_DENIED, "authentication failed: the server offers"
                    + " the SASL mechanisms " + offered + ", none of which this client speaks ("
                    + String.join(", ", SASL_MECHANISMS) + ")");
        }
        Map<String, String> props = new HashMap<>();
        // As spice-gtk: without TLS only a mechanism with an encryption layer will do; with TLS none is needed.
        props.put(Sasl.QOP, tls ? "auth,auth-int,auth-conf" : "auth-conf");
        props.put(Sasl.MAX_BUFFER, Integer.toString(SaslSecurityLayer.MAX_BUFFER));
        props.put(Sasl.POLICY_NOPLAINTEXT, Boolean.toString(!tls));
        props.put(Sasl.POLICY_NOANONYMOUS, "true");
        // The JDK would pick 3des, which cyrus-sasl on OpenSSL 3 cannot initialise (QEMU 7.2 then drops the
        // connection); rc4 is what spice-gtk and cyrus settle on.
        props.put("com.sun.security.sasl.digest.cipher", "rc4");
        try {
            sasl = Sasl.createSaslClient(usable, null, "spice", host, props, this::credentials);
        } catch (SaslException e) {
            throw new SpiceLinkException(LinkError.PERMISSION_DENIED, "authentication failed: cannot start SASL ("
                    + e.getMessage() + ")");
        }
        if (sasl == null) {
            throw new SpiceLinkException(LinkError.PERMISSION_DENIED, "authentication failed: none of the server's"
                    + " SASL mechanisms " + offered + " is allowed " + (tls ? "" : "without TLS (an encryption"
                    + " layer is required)"));
        }
        byte[] initial = sasl.hasInitialResponse() ? evaluate(new byte[0]) : null;
        ByteBuf out = ctx.alloc().buffer();
        SaslLink.writeMechName(out, sasl.getMechanismName());
        SaslLink.writeData(out, initial);
        ctx.writeAndFlush(out);
        state = State.SASL_STEP;
    }

    /**
     * One server step. Even when the server says it is done, its last data is checked (DIGEST-MD5's rspauth proves
     * the server knew the password), as spice-gtk does.
     */
    private void saslStep(ChannelHandlerContext ctx, SaslLink.Step step) throws SpiceLinkException {
        if (step.complete()) {
            if (!sasl.isComplete()) {
                evaluate(step.data() == null ? new byte[0] : step.data());
            }
            if (!sasl.isComplete()) {
                throw new SpiceLinkException(LinkError.PERMISSION_DENIED, "authentication failed: the server"
                        + " ended the SASL exchange before " + sasl.getMechanismName() + " was complete");
            }
            if (!tls && !"auth-conf".equals(sasl.getNegotiatedProperty(Sasl.QOP))) {
                throw new SpiceLinkException(LinkError.PERMISSION_DENIED, "authentication failed: SASL negotiated "
                        + sasl.getNegotiatedProperty(Sasl.QOP) + " without TLS; an encryption layer is required");
            }
            state = State.RESULT;
            return;
        }
        if (sasl.isComplete()) {
            throw new SpiceProtocolException("SASL: the server sent another step after " + sasl.getMechanismName()
                    + " was complete");
        }
        byte[] response = evaluate(step.data() == null ? new byte[0] : step.data());
        ByteBuf out = ctx.alloc().buffer();
        SaslLink.writeData(out, response);
        ctx.writeAndFlush(out);
    }

    private byte[] evaluate(byte[] challenge) throws SpiceLinkException {
        try {
            return sasl.evaluateChallenge(challenge);
        } catch (SaslException e) {
            throw new SpiceLinkException(LinkError.PERMISSION_DENIED, "authentication failed: SASL "
                    + sasl.getMechanismName() + " step refused: " + e.getMessage());
        }
    }

    /** Answers the mechanism's questions from the options; the realm is the one the server proposes. */
    private void credentials(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback c : callbacks) {
            if (c instanceof NameCallback n) {
                n.setName(options.username());
            } else if (c instanceof PasswordCallback p) {
                p.setPassword((options.password() == null ? "" : options.password()).toCharArray());
            } else if (c instanceof RealmChoiceCallback r) {
                r.setSelectedIndex(0);
            } else if (c instanceof RealmCallback r) {
                r.setText(r.getDefaultText());
            } else {
                throw new UnsupportedCallbackException(c);
            }
        }
    }

    private String what() {
        return ChannelType.name(request.channelType());
    }

    private void fail(ChannelHandlerContext ctx, Throwable t) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        if (sasl != null) {
            try {
                sasl.dispose();
            } catch (SaslException e) {
                // the connection closes anyway
            }
        }
        result.completeExceptionally(t);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        fail(ctx, c);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (state == State.SASL_STEP || state == State.RESULT && sasl != null) {
            // spice-server closes the connection when a SASL step fails, which is how a wrong password ends.
            fail(ctx, new SpiceLinkException(LinkError.PERMISSION_DENIED, "authentication failed: the server"
                    + " closed the connection during SASL " + sasl.getMechanismName() + " authentication (user name"
                    + " or password not accepted)"));
        } else if (state != State.DONE) {
            fail(ctx, new SpiceProtocolException("the server closed the connection during the link of the "
                    + what() + " channel" + (state == State.RESULT ? " (after the ticket was sent)" : "")));
        }
        super.channelInactive(ctx);
    }
}
