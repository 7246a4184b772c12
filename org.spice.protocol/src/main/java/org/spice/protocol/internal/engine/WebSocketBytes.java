package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;

/**
 * The SPICE byte stream of one channel carried in WebSocket binary frames: the payload of each binary frame (and its
 * continuations) goes on as bytes, and every buffer the SPICE pipeline writes goes out as one binary frame. Frame
 * boundaries mean nothing to SPICE. A text frame or a close ends the connection with a logged reason.
 */
final class WebSocketBytes extends ChannelDuplexHandler {
    private static final System.Logger LOG = ChannelConnection.LOG;
    private boolean closing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) {
            frame.release();
            return;
        }
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(frame.content());
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content()));
        } else if (frame instanceof PongWebSocketFrame) {
            frame.release();
        } else if (frame instanceof CloseWebSocketFrame c) {
            LOG.log(Level.INFO, "WebSocket from " + ctx.channel().remoteAddress() + " closed by the browser ("
                    + c.statusCode() + (c.reasonText().isEmpty() ? "" : " " + c.reasonText()) + ")");
            c.release();
            close(ctx, new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        } else {
            frame.release();
            LOG.log(Level.WARNING, "WebSocket from " + ctx.channel().remoteAddress() + " closed: a text frame"
                    + " (SPICE travels in binary frames)");
            close(ctx, new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                    "SPICE travels in binary frames"));
        }
    }

    private void close(ChannelHandlerContext ctx, CloseWebSocketFrame frame) {
        closing = true;
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            if (closing) {
                ReferenceCountUtil.release(b);
                promise.setFailure(new IllegalStateException("the WebSocket is closing"));
                return;
            }
            ctx.write(new BinaryWebSocketFrame(b), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The frame decoder reports frames over the limit, unmasked or malformed; it has sent its close already.
        LOG.log(Level.WARNING, "WebSocket from " + ctx.channel().remoteAddress() + " closed: " + cause.getMessage());
        closing = true;
        ctx.close();
    }
}
