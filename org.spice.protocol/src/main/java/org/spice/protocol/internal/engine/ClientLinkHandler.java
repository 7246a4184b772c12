package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.client.SpiceLinkException;
import org.spice.protocol.internal.auth.TicketCipher;
import org.spice.protocol.wire.Link;
import org.spice.protocol.wire.LinkHeader;
import org.spice.protocol.wire.LinkMess;
import org.spice.protocol.wire.LinkReply;

/**
 * The client side of the link stage: sends the link message, reads the reply, answers with the encrypted
 * ticket and reads the link result. Completes {@link #result} with the linked reply, or fails it with a
 * {@link SpiceLinkException} (the server refused) or a {@link SpiceProtocolException} (not a SPICE server).
 */
final class ClientLinkHandler extends ByteToMessageDecoder {
    private enum State { REPLY_HEADER, REPLY, RESULT, DONE }

    /** What a successful link leaves behind. */
    record Linked(LinkReply reply, boolean mini) {
    }

    final CompletableFuture<ClientConnection> result = new CompletableFuture<>();
    private final LinkMess request;
    private final String password;
    private final Function<Linked, ClientConnection> install;
    private State state = State.REPLY_HEADER;
    private long replySize;
    private LinkReply reply;

    /**
     * @param install adds the message handlers behind this one and starts the channel; it runs before this
     *     handler leaves the pipeline, so that bytes arriving with the link result reach the channel
     */
    ClientLinkHandler(LinkMess request, String password, Function<Linked, ClientConnection> install) {
        this.request = request;
        this.password = password;
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
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
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
                // Mechanism and ticket go in separate writes, as spice-gtk sends them: Wireshark's SPICE dissector
                // reads them as two steps and loses track of the stream when they share a segment.
                if (reply.commonCaps().has(Link.CAP_PROTOCOL_AUTH_SELECTION)) {
                    ctx.writeAndFlush(ctx.alloc().buffer(4).writeIntLE(Link.AUTH_MECHANISM_SPICE));
                }
                ctx.writeAndFlush(ctx.alloc().buffer(Link.ENCRYPTED_TICKET_BYTES)
                        .writeBytes(TicketCipher.encrypt(reply.publicKey(), password)));
                state = State.RESULT;
            }
            case RESULT -> {
                if (in.readableBytes() < 4) {
                    return;
                }
                LinkError e = LinkError.of(in.readUnsignedIntLE());
                if (e != LinkError.OK) {
                    String why = e == LinkError.PERMISSION_DENIED
                            ? "authentication failed: the server did not accept the password"
                            : "the server refused the " + what() + " channel after authentication: "
                                    + e.description();
                    fail(ctx, new SpiceLinkException(e, why));
                    return;
                }
                state = State.DONE;
                boolean mini = reply.commonCaps().has(Link.CAP_MINI_HEADER)
                        && request.commonCaps().has(Link.CAP_MINI_HEADER);
                ClientConnection conn = install.apply(new Linked(reply, mini));
                ctx.pipeline().remove(this);
                result.complete(conn);
            }
            case DONE -> {
                // Anything after a failed link is ignored; after success this handler is gone.
                in.skipBytes(in.readableBytes());
            }
        }
    }

    private String what() {
        return ChannelType.name(request.channelType());
    }

    private void fail(ChannelHandlerContext ctx, Throwable t) {
        state = State.DONE;
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
        if (state != State.DONE) {
            fail(ctx, new SpiceProtocolException("the server closed the connection during the link of the "
                    + what() + " channel" + (state == State.RESULT ? " (after the ticket was sent)" : "")));
        }
        super.channelInactive(ctx);
    }
}
