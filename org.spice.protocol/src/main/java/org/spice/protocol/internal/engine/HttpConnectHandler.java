package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opens a tunnel through an HTTP proxy with CONNECT, as spice-gtk does for {@code SPICE_PROXY}: the request names the
 * SPICE host and port exactly as given (Proxmox's {@code pvespiceproxy:...} names are resolved by the proxy, never
 * here), with basic authentication when the proxy URI carries user information. The handlers behind this one see
 * channelActive only once the proxy answered 2xx; anything else fails the connection with a ConnectException that
 * quotes the proxy's status line. Over an {@code https://} proxy the request waits for the proxy's TLS handshake.
 */
final class HttpConnectHandler extends ChannelDuplexHandler {
    /** A proxy's answer to CONNECT is a status line and a few headers; more is not a proxy. */
    static final int MAX_RESPONSE = 8192;
    /** The pipeline name of the TLS to an https:// proxy, in front of this handler. */
    static final String PROXY_TLS = "proxy-tls";

    private final URI proxy;
    private final String target;
    private ByteBuf response;
    private boolean established;

    /** @param host the SPICE host as given, @param port its port */
    HttpConnectHandler(URI proxy, String host, int port) {
        this.proxy = proxy;
        this.target = (host.indexOf(':') >= 0 && !host.startsWith("pvespiceproxy:") ? "[" + host + "]" : host) + ":"
                + port;
    }

    /** The CONNECT request; pure, for tests. */
    static String request(URI proxy, String target) {
        StringBuilder b = new StringBuilder("CONNECT ").append(target).append(" HTTP/1.1\r\nHost: ").append(target)
                .append("\r\n");
        String userInfo = proxy.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = URLDecoder.decode(colon < 0 ? userInfo : userInfo.substring(0, colon), StandardCharsets.UTF_8);
            String pass = colon < 0 ? "" : URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8);
            b.append("Proxy-Authorization: Basic ").append(Base64.getEncoder().encodeToString(
                    (user + ":" + pass).getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /**
     * The status code of a complete response head, or -1 while {@code head} lacks its blank line.
     *
     * @throws ConnectException when the head is not HTTP
     */
    static int status(String head) throws ConnectException {
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            return -1;
        }
        String line = head.substring(0, head.indexOf("\r\n"));
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new ConnectException("the proxy did not answer CONNECT with HTTP: " + printable(line));
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ConnectException("the proxy's status line has no status code: " + printable(line));
        }
    }

    private static String printable(String s) {
        String t = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.pipeline().get(PROXY_TLS) instanceof SslHandler proxyTls) {
            proxyTls.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    sendRequest(ctx);
                } else {
                    ctx.fireExceptionCaught(new ConnectException("TLS with the proxy " + proxy.getHost() + ":"
                            + proxy.getPort() + " failed: " + f.cause().getMessage()));
                    ctx.close();
                }
            });
        } else {
            sendRequest(ctx);
        }
    }

    private void sendRequest(ChannelHandlerContext ctx) {
        response = ctx.alloc().buffer(256);
        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(request(proxy, target).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (established) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        try {
            if (response == null) {
                throw new ConnectException("the proxy spoke before it was asked to CONNECT");
            }
            // Byte by byte up to the blank line, so that nothing of the SPICE stream behind it is taken.
            while (in.isReadable()) {
                if (response.readableBytes() >= MAX_RESPONSE) {
                    throw new ConnectException("the proxy's answer to CONNECT exceeds " + MAX_RESPONSE + " bytes");
                }
                response.writeByte(in.readByte());
                int n = response.readableBytes();
                if (n >= 4 && response.getByte(n - 1) == '\n' && response.getByte(n - 2) == '\r'
                        && response.getByte(n - 3) == '\n' && response.getByte(n - 4) == '\r') {
                    tunnel(ctx, response.toString(StandardCharsets.ISO_8859_1), in);
                    return;
                }
            }
        } finally {
            in.release();
        }
    }

    private void tunnel(ChannelHandlerContext ctx, String head, ByteBuf rest) throws ConnectException {
        int code = status(head);
        String line = printable(head.substring(0, head.indexOf("\r\n")));
        String where = "the proxy " + proxy.getHost() + ":" + proxy.getPort();
        if (code == 407) {
            throw new ConnectException(where + " requires authentication" + (proxy.getRawUserInfo() == null
                    ? " (give it as http://USER:PASSWORD@HOST:PORT)" : " and refused the credentials") + ": " + line);
        }
        if (code < 200 || code > 299) {
            throw new ConnectException(where + " refused to connect to " + target + ": " + line);
        }
        established = true;
        response.release();
        response = null;
        ctx.fireChannelActive();
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest.retain());
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.fireExceptionCaught(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!established) {
            ctx.fireExceptionCaught(new ConnectException("the proxy " + proxy.getHost() + ":" + proxy.getPort()
                    + " closed the connection before the tunnel to " + target + " was open"));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (response != null) {
            response.release();
            response = null;
        }
    }
}
