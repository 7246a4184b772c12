package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.TunnelMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelEndpoint;
import org.spice.protocol.wire.SpiceMessage;

/**
 * One TCP socket relayed over the tunnel channel, in either role. A reader thread sends what the socket yields as
 * data messages, one token each, and stops at zero tokens until the peer grants more; a writer thread writes what
 * the peer sends and grants tokens back as it goes. The peer can only have {@link #WINDOW} messages in flight, so
 * the queue between channel and writer is bounded by the window.
 *
 * <p>Closing: either side's end of stream is sent as FIN (the other side shuts its socket's output); once both
 * directions are done, or on an error, one side sends CLOSE (server) or CLOSED (client) and the other answers
 * CLOSED_ACK. A side forgets the connection id once it has the ack for its own close, or has acked the other's.
 */
final class Relay {
    private static final System.Logger LOG = System.getLogger("org.spice.tunnel");
    /** Data messages each side may have in flight per socket. */
    static final int WINDOW = 32;
    /** Tokens are granted back in batches of this many. */
    static final int GRANT_BATCH = 8;
    private static final byte[] FIN = new byte[0];

    /** The message types of one role. */
    record Types(int data, int fin, int close, int closedAck, int token) {
        static final Types SERVER = new Types(TunnelMessages.SOCKET_DATA, TunnelMessages.SOCKET_FIN,
                TunnelMessages.SOCKET_CLOSE, TunnelMessages.SOCKET_CLOSED_ACK, TunnelMessages.SOCKET_TOKEN);
        static final Types CLIENT = new Types(TunnelMessages.C_SOCKET_DATA, TunnelMessages.C_SOCKET_FIN,
                TunnelMessages.C_SOCKET_CLOSED, TunnelMessages.C_SOCKET_CLOSED_ACK, TunnelMessages.C_SOCKET_TOKEN);
    }

    interface Owner {
        /** The connection id may be used again. */
        void released(Relay r);
    }

    final int id;
    private final ChannelEndpoint ctx;
    private final Types types;
    private final Socket socket;
    private final int maxData;
    private final Owner owner;
    private final BlockingQueue<byte[]> toSocket = new ArrayBlockingQueue<>(WINDOW + 1);
    /** Data messages we may still send. */
    private long sendTokens;
    /** Data messages the peer may still send us. */
    private long granted = WINDOW;
    private boolean readerDone;
    private boolean writerDone;
    private boolean closeSent;
    private boolean gotClose;
    private boolean gotAck;
    private boolean released;

    Relay(int id, ChannelEndpoint ctx, Types types, Socket socket, int maxData, long sendTokens, Owner owner) {
        this.id = id;
        this.ctx = ctx;
        this.types = types;
        this.socket = socket;
        this.maxData = maxData;
        this.sendTokens = sendTokens;
        this.owner = owner;
    }

    void start() {
        Thread r = new Thread(this::readLoop, "tunnel-" + id + "-read");
        Thread w = new Thread(this::writeLoop, "tunnel-" + id + "-write");
        r.setDaemon(true);
        w.setDaemon(true);
        r.start();
        w.start();
    }

    private void readLoop() {
        byte[] buf = new byte[maxData];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                synchronized (this) {
                    while (sendTokens == 0 && !closeSent && !gotClose) {
                        wait();
                    }
                    if (closeSent || gotClose) {
                        return;
                    }
                }
                int n = in.read(buf);
                synchronized (this) {
                    if (closeSent || gotClose) {
                        return;
                    }
                    if (n < 0) {
                        send(new TunnelMessages.Socket(types.fin(), id));
                        readerDone = true;
                        closeIfDone();
                        return;
                    }
                    sendTokens--;
                    byte[] d = new byte[n];
                    System.arraycopy(buf, 0, d, 0, n);
                    send(new TunnelMessages.SocketData(types.data(), id, d));
                }
            }
        } catch (IOException e) {
            abort("read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        int consumed = 0;
        try {
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] d = toSocket.take();
                if (d == FIN) {
                    socket.shutdownOutput();
                    synchronized (this) {
                        writerDone = true;
                        closeIfDone();
                    }
                    return;
                }
                out.write(d);
                if (++consumed >= GRANT_BATCH) {
                    synchronized (this) {
                        if (closeSent || gotClose) {
                            return;
                        }
                        granted += consumed;
                        send(new TunnelMessages.SocketToken(types.token(), id, consumed));
                    }
                    consumed = 0;
                }
            }
        } catch (IOException e) {
            abort("write: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends through the channel's executor even on its own thread: the engine writes at once on that thread but
     * queues from others, so sending directly would let an ack from the channel thread overtake a close queued by
     * a socket thread. Queued in the order of these calls, made under this relay's lock, messages keep it.
     */
    private void send(SpiceMessage m) {
        try {
            ctx.executor().execute(() -> ctx.send(m));
        } catch (RejectedExecutionException e) {
            // the channel is gone
        }
    }

    private void closeIfDone() {
        if (readerDone && writerDone) {
            sendClose();
        }
    }

    /** Ends the socket at once: an I/O error or the channel going away. */
    synchronized void abort(String why) {
        if (!closeSent && !gotClose) {
            LOG.log(Level.DEBUG, () -> ctx.describe() + " socket " + id + ": " + why);
            sendClose();
        }
    }

    private void sendClose() {
        if (closeSent) {
            return;
        }
        closeSent = true;
        send(new TunnelMessages.Socket(types.close(), id));
        shut();
    }

    private void shut() {
        notifyAll();
        toSocket.clear();
        toSocket.offer(FIN);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // Channel side: these run on the channel's thread.

    synchronized void onData(byte[] d) {
        if (closeSent || gotClose) {
            return;
        }
        if (granted <= 0) {
            throw new SpiceProtocolException("socket " + id + ": data beyond the " + WINDOW + " tokens granted");
        }
        if (d.length == 0) {
            return; // nothing for the writer to take, so the token stays granted
        }
        granted--;
        if (!toSocket.offer(d)) {
            throw new SpiceProtocolException("socket " + id + ": more data queued than tokens allow");
        }
    }

    synchronized void onFin() {
        if (!closeSent && !gotClose) {
            toSocket.offer(FIN);
        }
    }

    synchronized void onToken(long n) {
        sendTokens += n;
        if (sendTokens > 1L << 31) {
            throw new SpiceProtocolException("socket " + id + ": " + sendTokens + " tokens is past any window");
        }
        notifyAll();
    }

    /** The peer closed the socket: answer with CLOSED_ACK. */
    synchronized void onClose() {
        if (gotClose) {
            return;
        }
        gotClose = true;
        send(new TunnelMessages.Socket(types.closedAck(), id));
        shut();
        releaseIfDone();
    }

    synchronized void onClosedAck() {
        gotAck = true;
        releaseIfDone();
    }

    private void releaseIfDone() {
        if (!released && (closeSent ? gotAck : gotClose)) {
            released = true;
            owner.released(this);
        }
    }

    /** The channel is gone: drop the socket without messages. */
    synchronized void channelClosed() {
        closeSent = true;
        gotClose = true;
        shut();
    }
}
