package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelEndpoint;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.wire.BaseMessages;
import org.spice.protocol.wire.SpiceMessage;

/**
 * A linked channel: the last handler of its pipeline. It answers the messages every channel shares and passes
 * the rest to the channel's {@link ChannelHandler}. A protocol error closes this channel only.
 */
abstract class ChannelConnection extends ChannelInboundHandlerAdapter implements ChannelEndpoint {
    static final System.Logger LOG = System.getLogger("org.spice.protocol");

    final Channel channel;
    private final int type;
    private final int id;
    private final Capabilities remoteCommon;
    private final Capabilities remoteChannel;
    final boolean secure;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ChannelHandler handler;
    private volatile Runnable onClosed = () -> { };
    /** Why this connection closed (as logged), or null while it is open. */
    private volatile String closeReason;
    /** Writers waiting for the outbound buffer to drain; touched on the event loop only. */
    private final List<CompletableFuture<Void>> writableWaiters = new ArrayList<>();

    ChannelConnection(Channel channel, int type, int id, Capabilities remoteCommon, Capabilities remoteChannel,
            boolean secure) {
        this.channel = channel;
        this.type = type;
        this.id = id;
        this.remoteCommon = remoteCommon;
        this.remoteChannel = remoteChannel;
        this.secure = secure;
    }

    /** Installs the channel's logic; called on the event loop before the first message is passed on. */
    void start(ChannelHandler h, Runnable whenClosed) {
        this.handler = h;
        this.onClosed = whenClosed;
    }

    ChannelHandler handler() {
        return handler;
    }

    @Override
    public int channelType() {
        return type;
    }

    @Override
    public int channelId() {
        return id;
    }

    @Override
    public Capabilities remoteCommonCaps() {
        return remoteCommon;
    }

    @Override
    public Capabilities remoteChannelCaps() {
        return remoteChannel;
    }

    @Override
    public ScheduledExecutorService executor() {
        return channel.eventLoop();
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && channel.isActive();
    }

    @Override
    public void send(SpiceMessage message) {
        if (closed.get()) {
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            write(message);
        } else {
            channel.eventLoop().execute(() -> write(message));
        }
    }

    /**
     * Writes on the event loop; subclasses count messages for the ack window here. A message sent before
     * {@link #close} still goes out (a DISCONNECTING before the drop): close runs after it on the event loop.
     */
    void write(SpiceMessage message) {
        if (channel.isActive()) {
            channel.writeAndFlush(message, channel.voidPromise());
        }
    }

    @Override
    public CompletableFuture<Void> writable() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            channel.eventLoop().execute(() -> {
                if (channel.isWritable() || closed.get() || !channel.isActive()) {
                    f.complete(null);
                } else {
                    writableWaiters.add(f);
                }
            });
        } catch (RejectedExecutionException e) {
            f.complete(null); // the engine is shutting down: the channel is closed
        }
        return f;
    }

    @Override
    public void pauseReading(boolean pause) {
        channel.config().setAutoRead(!pause);
    }

    private void releaseWriters() {
        List<CompletableFuture<Void>> w = new ArrayList<>(writableWaiters);
        writableWaiters.clear();
        w.forEach(f -> f.complete(null));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            releaseWriters();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void close(String reason) {
        close(Level.INFO, reason);
    }

    void close(Level level, String reason) {
        if (closed.compareAndSet(false, true)) {
            closeReason = reason;
            LOG.log(level, describe() + " closed: " + reason);
            try {
                channel.eventLoop().execute(channel::close); // after the writes already queued
            } catch (RejectedExecutionException e) {
                channel.close(); // the event loop is shutting down
            }
        }
    }

    /** Why this connection closed, as logged ("closed by the server", "connection lost: ..."), or null while open. */
    String closeReason() {
        return closeReason;
    }

    @Override
    public String describe() {
        return ChannelType.name(type) + ":" + id + (secure ? " (tls) " : " ") + peerWord() + " "
                + channel.remoteAddress();
    }

    abstract String peerWord();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RawMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (closed.get()) {
                return;
            }
            ByteBuf body = m.content();
            beforeMessage();
            if (m.type <= BaseMessages.BASE_LAST) {
                handleBase(m.type, body);
            } else {
                handler.onMessage(m.type, body);
            }
        } catch (SpiceProtocolException e) {
            close(Level.WARNING, "protocol error: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, describe() + ": handler failed on message type " + m.type, e);
            close(Level.ERROR, "handler failed: " + e);
        } finally {
            m.release();
        }
    }

    /** The messages below type 100, which differ between the roles. */
    abstract void handleBase(int msgType, ByteBuf body);

    /** Called before every message is handled, for the client's ack counting. */
    void beforeMessage() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof SpiceProtocolException) {
            close(Level.WARNING, "protocol error: " + c.getMessage());
        } else if (c instanceof IOException) {
            close(Level.INFO, "connection lost: " + c.getMessage());
        } else {
            LOG.log(Level.ERROR, describe() + ": unexpected failure", c);
            close(Level.ERROR, "unexpected failure: " + c);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closed.compareAndSet(false, true)) {
            closeReason = "closed by the " + (peerWord().equals("to") ? "server" : "client");
            LOG.log(Level.INFO, describe() + " closed by peer");
        }
        releaseWriters();
        // Bookkeeping first: when the handler hears of the close, its session no longer lists the channel.
        try {
            onClosed.run();
        } finally {
            ChannelHandler h = handler;
            if (h != null) {
                h.onClose();
            }
        }
    }

    static String notifyText(BaseMessages.Notify n) {
        String sev = switch (n.severity()) {
            case BaseMessages.Notify.SEVERITY_INFO -> "info";
            case BaseMessages.Notify.SEVERITY_WARN -> "warning";
            default -> "error";
        };
        return "peer notifies (" + sev + ", code " + n.what() + "): " + n.message();
    }
}
