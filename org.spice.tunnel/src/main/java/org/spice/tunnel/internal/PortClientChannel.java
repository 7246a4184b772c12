package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.PortMessages;
import org.spice.protocol.wire.SpiceVmcMessages;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutionException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannels;
import org.spice.tunnel.api.PortConnection;

/** One port channel; ready once the server's init has named it. */
final class PortClientChannel implements ChannelHandler, PortConnection {
    private static final System.Logger LOG = System.getLogger("org.spice.tunnel");

    private final ClientChannels<PortClientChannel> ports;
    private final ClientChannelContext ctx;
    private final ByteQueue in = new ByteQueue(PortClientFactory.MAX_BUFFERED);
    private volatile String name;
    private volatile boolean serverOpened;
    private volatile boolean opened;
    /** Whether reading from the server is paused until the reader catches up. */
    private volatile boolean paused;

    PortClientChannel(ClientChannelContext ctx, ClientChannels<PortClientChannel> ports) {
        this.ctx = ctx;
        this.ports = ports;
    }

    synchronized void openPort() {
        if (!opened) {
            opened = true;
            ctx.send(new PortMessages.Event(PortMessages.CLIENT_EVENT, PortMessages.EVENT_OPENED));
        }
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case PortMessages.INIT -> {
                PortMessages.Init init = PortMessages.Init.decode(body);
                serverOpened = init.opened();
                name = init.name();
                LOG.log(Level.DEBUG, () -> ctx.describe() + ": port " + init.name() + (init.opened() ? " (open)" : ""));
                ports.ready(ctx, this);
            }
            case PortMessages.SERVER_EVENT -> {
                int e = PortMessages.Event.decode(type, body).event();
                if (e == PortMessages.EVENT_OPENED) {
                    serverOpened = true;
                } else if (e == PortMessages.EVENT_CLOSED) {
                    serverOpened = false;
                }
                LOG.log(Level.DEBUG, () -> ctx.describe() + ": port " + name + " " + PortMessages.eventName(e));
            }
            case SpiceVmcMessages.DATA -> data(SpiceVmcMessages.Data.decode(body).data());
            case SpiceVmcMessages.COMPRESSED_DATA -> data(SpiceVmcMessages.decodeCompressed(body));
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    private void data(byte[] b) {
        if (!in.offer(b)) {
            ctx.close("port " + name + ": the reader fell " + PortClientFactory.MAX_BUFFERED + " bytes behind");
            return;
        }
        if (!paused && in.queued() >= PortClientFactory.PAUSE_AT) {
            paused = true;
            ctx.pauseReading(true);
            in.whenDrainedBelow(PortClientFactory.RESUME_BELOW, () -> {
                paused = false;
                ctx.pauseReading(false);
            });
        }
    }

    @Override
    public void onClose() {
        in.end();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean serverOpened() {
        return serverOpened;
    }

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    private final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** Blocks while the connection's outbound buffer is full, so a slow server slows the writer. */
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (ctx.executor() instanceof EventExecutor e && e.inEventLoop()) {
                throw new IllegalStateException("port output written on the channel's own thread would block it");
            }
            for (int i = 0; i < len; i += PortClientFactory.CHUNK) {
                try {
                    ctx.writable().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("port " + name + ": interrupted while the server was slow");
                } catch (ExecutionException e) {
                    throw new IOException("port " + name + ": " + e.getCause(), e.getCause());
                }
                if (!ctx.isOpen()) {
                    throw new IOException("port " + name + " is closed");
                }
                int n = Math.min(PortClientFactory.CHUNK, len - i);
                byte[] c = new byte[n];
                System.arraycopy(b, off + i, c, 0, n);
                ctx.send(new SpiceVmcMessages.Data(c));
            }
        }
    };

    @Override
    public synchronized void close() {
        if (opened) {
            opened = false;
            ctx.send(new PortMessages.Event(PortMessages.CLIENT_EVENT, PortMessages.EVENT_CLOSED));
        }
        in.end();
    }
}
