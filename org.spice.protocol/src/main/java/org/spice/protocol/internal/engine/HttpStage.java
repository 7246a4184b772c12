package org.spice.protocol.internal.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection to the server's port that began with an HTTP request: one request per connection. An upgrade to
 * WebSocket (as spice-server 0.14.3+ and websockify accept; each SPICE channel of a browser is its own WebSocket)
 * turns the connection into a SPICE link carried in binary frames; a plain GET gets a browser client page
 * ({@link WebPages}). Anything else, a request over the size limits, or no request within the link timeout closes
 * the connection with a logged reason.
 */
final class HttpStage extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = ChannelConnection.LOG;
    /** The request line (a path with spice-html5's query fits easily). */
    static final int MAX_REQUEST_LINE = 4096;
    /** All header lines together; browsers send about 1 KB. */
    static final int MAX_HEADER_SIZE = 8192;
    /** A GET has no body; a request that brings one is refused before it is read. */
    static final int MAX_BODY = 0;
    /**
     * The largest WebSocket frame accepted from a browser. spice-html5 sends one SPICE message a frame, and what a
     * client sends is small (inputs, acks, agent chunks of 2 KB); a frame announcing more is refused unread.
     */
    static final int MAX_FRAME = 1 << 20;
    /** spice-html5 asks for this subprotocol, as websockify names raw binary frames. */
    static final String SUBPROTOCOL = "binary";

    private final ServerEngine engine;
    private final boolean secure;
    private final WebPages pages;
    private ScheduledFuture<?> timeout;

    private HttpStage(ServerEngine engine, boolean secure, WebPages pages) {
        super(FullHttpRequest.class, true);
        this.engine = engine;
        this.secure = secure;
        this.pages = pages;
    }

    /**
     * Puts the HTTP stage on a connection whose first bytes are an HTTP request, right after {@code after} (the link
     * handler, which hands its bytes on to it as it leaves).
     */
    static void install(ChannelPipeline p, String after, ServerEngine engine, boolean secure, WebPages pages) {
        p.addAfter(after, "http-stage", new HttpStage(engine, secure, pages));
        p.addAfter(after, "http-request", new LoggingAggregator());
        p.addAfter(after, "http", new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_SIZE, 8192));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long ms = engine.settings().linkTimeout().toMillis();
        timeout = ctx.executor().schedule(() -> {
            LOG.log(Level.WARNING, "HTTP connection from " + ctx.channel().remoteAddress() + " closed: no whole request"
                    + " within " + ms + " ms");
            ctx.close();
        }, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timeout.cancel(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        timeout.cancel(false);
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                            : HttpResponseStatus.BAD_REQUEST;
            refuse(ctx, status, "malformed HTTP request: " + (cause instanceof TooLongFrameException
                    ? "over the limits (request line " + MAX_REQUEST_LINE + " bytes, headers " + MAX_HEADER_SIZE
                            + " bytes)" : String.valueOf(cause.getMessage())));
            return;
        }
        if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            upgrade(ctx, req);
            return;
        }
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            refuse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + req.method() + " is not served");
            return;
        }
        String path = new QueryStringDecoder(req.uri()).rawPath();
        WebPages.Page page = pages.get(path);
        LOG.log(page.status() == 200 ? Level.DEBUG : Level.INFO, "HTTP " + req.method() + " " + path + " from "
                + ctx.channel().remoteAddress() + ": " + page.status());
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(
                page.status()), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(page.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, page.contentType())
                .set(HttpHeaderNames.CONTENT_LENGTH, page.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set("X-Content-Type-Options", "nosniff");
        send(ctx, res);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        String scheme = secure ? "wss://" : "ws://";
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketDecoderConfig frames = WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_FRAME)
                .expectMaskedFrames(true).allowExtensions(false).closeOnProtocolViolation(true).build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(scheme + host + req.uri(),
                SUBPROTOCOL, frames).newHandshaker(req);
        if (handshaker == null) {
            LOG.log(Level.WARNING, "WebSocket from " + ctx.channel().remoteAddress() + " refused: version "
                    + req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION) + " is not supported");
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).rawPath();
        handshaker.handshake(ctx.channel(), req).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                LOG.log(Level.WARNING, "WebSocket from " + ctx.channel().remoteAddress() + " failed in the"
                        + " handshake: " + f.cause());
                ctx.close();
            }
        });
        // The handshake put the frame codec in place; from here on the binary frames carry a SPICE link.
        LOG.log(Level.INFO, "WebSocket from " + ctx.channel().remoteAddress() + " on " + path);
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), "link", new ServerLinkHandler(engine, secure, true));
        p.replace(this, "websocket", new WebSocketBytes());
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
        LOG.log(Level.WARNING, "HTTP connection from " + ctx.channel().remoteAddress() + " closed: " + reason);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(status + "\n", StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        send(ctx, res);
    }

    /** One response, then the connection closes: browsers open a connection a file, which keeps this stage simple. */
    private static void send(ChannelHandlerContext ctx, FullHttpResponse res) {
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.WARNING, "HTTP connection from " + ctx.channel().remoteAddress() + " closed: " + cause);
        ctx.close();
    }

    /** Refuses a request that brings a body (a GET has none) with 413, and says so in the log. */
    private static final class LoggingAggregator extends HttpObjectAggregator {
        LoggingAggregator() {
            super(MAX_BODY);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            LOG.log(Level.WARNING, "HTTP connection from " + ctx.channel().remoteAddress() + " closed: a request"
                    + " body of " + oversized.headers().get(HttpHeaderNames.CONTENT_LENGTH, "chunked") + " bytes"
                    + " (none is accepted)");
            super.handleOversizedMessage(ctx, oversized);
            ctx.close();
        }
    }
}
