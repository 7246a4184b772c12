package org.spice.tunnel.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * spice-gtk's WebDAV multiplex over one port: every message, both ways, is [stream id, i64 LE][size, u16 LE][data].
 * The guest's spice-webdavd gives each of its TCP connections an id; a message for an unknown id opens a stream, a
 * zero-size message ends one (this side sends one when its HTTP side closes the connection). Each stream is an
 * {@link EmbeddedChannel} whose pipeline the caller supplies; what the pipeline writes goes back framed. Everything
 * runs on the thread that calls {@link #run}, so a request is answered before the next message is read.
 */
final class WebdavMux {
    private static final Logger LOG = Logger.getLogger(WebdavMux.class.getName());
    static final int HEADER = 10;
    static final int MAX_DATA = 0xFFFF;
    /** Guest connections served at once; spice-webdavd opens one per guest client connection. */
    static final int MAX_STREAMS = 64;

    private final InputStream in;
    private final OutputStream out;
    private final Supplier<ChannelHandler[]> pipeline;
    private final Map<Long, EmbeddedChannel> streams = new HashMap<>();

    WebdavMux(InputStream in, OutputStream out, Supplier<ChannelHandler[]> pipeline) {
        this.in = in;
        this.out = out;
        this.pipeline = pipeline;
    }

    /** The header of one message. */
    static byte[] header(long id, int size) {
        if (size < 0 || size > MAX_DATA) {
            throw new IllegalArgumentException("mux data size " + size);
        }
        byte[] h = new byte[HEADER];
        for (int i = 0; i < 8; i++) {
            h[i] = (byte) (id >>> (8 * i));
        }
        h[8] = (byte) size;
        h[9] = (byte) (size >>> 8);
        return h;
    }

    /** The stream id of a message's header. */
    static long streamId(byte[] header) {
        long id = 0;
        for (int i = 7; i >= 0; i--) {
            id = (id << 8) | (header[i] & 0xFF);
        }
        return id;
    }

    /** The data size of a message's header, 0..{@link #MAX_DATA}. */
    static int size(byte[] header) {
        return (header[8] & 0xFF) | (header[9] & 0xFF) << 8;
    }

    /** Reads messages until the port's input ends, then closes every stream. */
    void run() throws IOException {
        byte[] h = new byte[HEADER];
        byte[] data = new byte[MAX_DATA];
        try {
            while (readFully(h, HEADER, true)) {
                long id = streamId(h);
                int size = size(h);
                readFully(data, size, false);
                deliver(id, data, size);
            }
        } finally {
            for (EmbeddedChannel ch : streams.values()) {
                ch.attr(Framer.ENDED).set(Boolean.TRUE);
                ch.close();
            }
            streams.clear();
        }
    }

    private void deliver(long id, byte[] data, int size) {
        EmbeddedChannel ch = streams.get(id);
        if (size == 0) {
            if (ch != null) {
                LOG.fine(() -> "webdav stream " + id + " closed by the guest");
                streams.remove(id);
                ch.attr(Framer.ENDED).set(Boolean.TRUE);
                ch.close();
            }
            return;
        }
        if (ch == null) {
            if (streams.size() >= MAX_STREAMS) {
                LOG.warning(() -> "webdav stream " + id + " refused: already " + MAX_STREAMS + " streams open");
                send(id, new byte[0], 0, 0);
                return;
            }
            ch = new EmbeddedChannel();
            ch.pipeline().addLast(new Framer(id));
            ch.pipeline().addLast(pipeline.get());
            streams.put(id, ch);
        }
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(data, 0, size).copy());
            ch.checkException();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "webdav stream " + id + " failed; closing only that stream", e);
            ch.close();
        }
        // release whatever a handler passed on unread
        for (Object o; (o = ch.readInbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(o);
        }
    }

    private boolean readFully(byte[] b, int len, boolean eofAllowedAtStart) throws IOException {
        int off = 0;
        while (off < len) {
            int n = in.read(b, off, len - off);
            if (n < 0) {
                if (off == 0 && eofAllowedAtStart) {
                    return false;
                }
                throw new EOFException("webdav port ended inside a message");
            }
            off += n;
        }
        return true;
    }

    private void send(long id, byte[] b, int off, int len) {
        try {
            synchronized (out) {
                out.write(header(id, len));
                out.write(b, off, len);
                out.flush();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** First in each stream's pipeline: frames what the stream writes, and ends the stream when it closes. */
    private final class Framer extends ChannelOutboundHandlerAdapter {
        static final io.netty.util.AttributeKey<Boolean> ENDED = io.netty.util.AttributeKey.valueOf("webdav.ended");
        private final long id;

        Framer(long id) {
            this.id = id;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!(msg instanceof ByteBuf buf)) {
                ctx.write(msg, promise);
                return;
            }
            try {
                byte[] chunk = new byte[Math.min(MAX_DATA, Math.max(1, buf.readableBytes()))];
                while (buf.isReadable()) {
                    int n = Math.min(chunk.length, buf.readableBytes());
                    buf.readBytes(chunk, 0, n);
                    send(id, chunk, 0, n);
                }
                promise.setSuccess();
            } catch (RuntimeException e) {
                promise.setFailure(e);
            } finally {
                buf.release();
            }
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
            if (ctx.channel().attr(ENDED).get() == null) {
                ctx.channel().attr(ENDED).set(Boolean.TRUE);
                streams.remove(id);
                send(id, new byte[0], 0, 0);
            }
            super.close(ctx, promise);
        }
    }
}
