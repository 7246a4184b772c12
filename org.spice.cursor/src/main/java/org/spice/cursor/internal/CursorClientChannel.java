package org.spice.cursor.internal;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.spice.cursor.api.ClientCursor;
import org.spice.cursor.api.CursorShape;
import org.spice.cursor.internal.wire.CursorCodec;
import org.spice.cursor.internal.wire.CursorMessages;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;

/** One session's cursor channel; messages arrive on the channel's thread, readers ask from any thread. */
final class CursorClientChannel implements ChannelHandler, ClientCursor {
    private static final int MAX_CACHED = 1024;
    private final ClientChannelContext ctx;
    private final Map<Long, CursorShape> cache = new HashMap<>();
    private volatile int x;
    private volatile int y;
    private volatile boolean visible;
    private volatile CursorShape shape;
    private final CompletableFuture<CursorShape> firstShape = new CompletableFuture<>();

    CursorClientChannel(ClientChannelContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case CursorMessages.INIT -> {
                CursorMessages.Init m = CursorMessages.Init.decode(body);
                show(m.x(), m.y(), m.visible());
                shape(m.cursor());
            }
            case CursorMessages.SET -> {
                CursorMessages.Set m = CursorMessages.Set.decode(body);
                show(m.x(), m.y(), m.visible());
                shape(m.cursor());
            }
            case CursorMessages.MOVE -> {
                CursorMessages.Move m = CursorMessages.Move.decode(body);
                show(m.x(), m.y(), true);
            }
            case CursorMessages.HIDE -> visible = false;
            case CursorMessages.RESET -> {
                cache.clear();
                shape = null;
                visible = false;
            }
            case CursorMessages.TRAIL -> CursorMessages.Trail.decode(body); // trails are not drawn by clients today
            case CursorMessages.INVAL_ONE -> cache.remove(CursorMessages.InvalOne.decode(body).id());
            case CursorMessages.INVAL_ALL -> cache.clear();
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
        body.skipBytes(body.readableBytes());
    }

    private void show(int x, int y, boolean visible) {
        this.x = x;
        this.y = y;
        this.visible = visible;
    }

    private void shape(CursorCodec.Decoded d) {
        if ((d.flags() & CursorCodec.FLAG_NONE) != 0) {
            shape = null;
        } else if ((d.flags() & CursorCodec.FLAG_FROM_CACHE) != 0) {
            CursorShape s = cache.get(d.unique());
            if (s == null) {
                throw new SpiceProtocolException("cursor " + d.unique() + " requested from the cache, which lacks it");
            }
            shape = s;
        } else {
            shape = d.shape();
            if ((d.flags() & CursorCodec.FLAG_CACHE_ME) != 0) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(d.unique(), d.shape());
            }
        }
        if (shape != null) {
            firstShape.complete(shape);
        }
    }

    @Override
    public void onClose() {
        firstShape.completeExceptionally(new IllegalStateException("the cursor channel closed before the server"
                + " set a shape"));
    }

    @Override
    public int x() {
        return x;
    }

    @Override
    public int y() {
        return y;
    }

    @Override
    public boolean visible() {
        return visible;
    }

    @Override
    public CursorShape shape() {
        return shape;
    }

    @Override
    public CompletableFuture<CursorShape> firstShape() {
        return firstShape;
    }
}
