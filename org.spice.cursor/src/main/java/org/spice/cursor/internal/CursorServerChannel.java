package org.spice.cursor.internal;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicBoolean;
import org.spice.cursor.api.CursorShape;
import org.spice.cursor.internal.wire.CursorMessages;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;

/**
 * One client's cursor channel on our server: INIT with the source's pointer, then SET for a new image (or showing it
 * again), MOVE for a move and HIDE (also when the source no longer has a pointer). The source calls from its own
 * thread and only marks the pointer {@link #changed}; the channel's event loop then reads the source's pointer as it
 * is and sends what differs from the last one sent, not while the client is behind on acknowledgements: a pointer
 * moved faster than the client reads costs one message per read, never a queue, and the last state always arrives.
 */
final class CursorServerChannel implements ChannelHandler, DisplaySource.Listener {
    private final ServerChannelContext ctx;
    private final DisplaySource source;
    private final AtomicBoolean changed = new AtomicBoolean();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    /** On the event loop only. */
    private Pointer sent;
    private Pointer.Shape sentImage;
    private CursorShape sentShape;
    private long unique;

    CursorServerChannel(ServerChannelContext ctx, DisplaySource source) {
        this.ctx = ctx;
        this.source = source;
        Pointer p = source == null ? null : source.pointer();
        if (p == null) {
            ctx.send(new CursorMessages.Init(0, 0, false, 0, null));
        } else {
            ctx.send(new CursorMessages.Init(p.x(), p.y(), p.visible(), ++unique, shape(p.shape())));
        }
        sent = p;
        if (source != null) {
            source.addListener(this);
            pointerChanged(null); // a change between the first read and listening would be lost
        }
    }

    private CursorShape shape(Pointer.Shape s) {
        if (s != sentImage) {
            sentImage = s;
            sentShape = new CursorShape(s.width(), s.height(), s.hotX(), s.hotY(), s.argb(),
                    new boolean[s.width() * s.height()]);
        }
        return sentShape;
    }

    @Override
    public void changed(Frame frame, Rect dirty) {
        // the picture is the display channel's
    }

    /** No frames sent here: a source that captures need not capture for this channel. */
    @Override
    public boolean wantsFrame() {
        return false;
    }

    @Override
    public void pointerChanged(Pointer pointer) {
        changed.set(true);
        if (flushQueued.compareAndSet(false, true)) {
            ctx.executor().execute(this::flush);
        }
    }

    @Override
    public void onWritable() {
        flush();
    }

    private void flush() {
        flushQueued.set(false);
        if (!ctx.isOpen() || !ctx.canSend()) {
            return; // onWritable sends what is pending then
        }
        if (!changed.getAndSet(false)) {
            return;
        }
        Pointer p = source.pointer();
        if (p == null) {
            if (sent != null && sent.visible()) {
                ctx.send(new CursorMessages.Hide());
            }
            sent = null;
            return;
        }
        if (p.equals(sent)) {
            return;
        }
        boolean newImage = sent == null || p.shape() != sent.shape();
        if (newImage || p.visible() && !sent.visible()) {
            ctx.send(new CursorMessages.Set(p.x(), p.y(), p.visible(), ++unique, shape(p.shape())));
        } else if (!p.visible()) {
            if (sent.visible()) {
                ctx.send(new CursorMessages.Hide());
            }
        } else {
            ctx.send(new CursorMessages.Move(p.x(), p.y()));
        }
        sent = p;
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        throw ChannelHandler.unknownMessage(ctx, type); // clients send nothing on the cursor channel
    }

    @Override
    public void onClose() {
        if (source != null) {
            source.removeListener(this);
        }
    }
}
