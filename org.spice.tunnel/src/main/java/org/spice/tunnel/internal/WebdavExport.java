package org.spice.tunnel.internal;

import org.spice.protocol.wire.SpiceVmcMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ServerChannelContext;

/**
 * One client's shared folder on this host: a listening socket whose connections become streams of the WebDAV
 * multiplex to that client, as spice-webdavd makes them of a guest's connections. Each connection has a reader
 * thread (socket to client, in messages of at most {@link WebdavMux#MAX_DATA} bytes) and a writer thread (client to
 * socket, through a bounded queue: the channel's thread only parses frames and queues them, never blocks).
 */
final class WebdavExport {
    private static final System.Logger LOG = System.getLogger("org.spice.tunnel");
    /** What may wait for one connection's socket; a client that outruns it loses that connection. */
    static final long MAX_QUEUED = 16L << 20;

    private final ServerSocket listener;
    private final ServerChannelContext ctx;
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    // the demultiplexer's state, on the channel's thread
    private final byte[] header = new byte[WebdavMux.HEADER];
    private int headerRead;
    private byte[] data;
    private int dataRead;
    private long dataId;

    WebdavExport(ServerChannelContext ctx, ServerSocket listener) {
        this.ctx = ctx;
        this.listener = listener;
    }

    String address() {
        return "http://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort() + "/";
    }

    String describe() {
        return ctx.describe();
    }

    void start() {
        Thread t = new Thread(this::acceptLoop, "webdav-export-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    void close() {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing " + address() + ": " + e);
        }
        connections.values().forEach(Connection::close);
        connections.clear();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (connections.size() >= WebdavMux.MAX_STREAMS) {
                LOG.log(Level.WARNING, ctx.describe() + ": refusing a WebDAV connection: already "
                        + WebdavMux.MAX_STREAMS + " open");
                closeQuietly(s);
                continue;
            }
            Connection c = new Connection(nextId.getAndIncrement(), s);
            connections.put(c.id, c);
            c.start();
        }
    }

    /** Bytes of the multiplex from the client, in any split: frames are put together and queued per connection. */
    void fromClient(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            if (headerRead < WebdavMux.HEADER) {
                int n = Math.min(WebdavMux.HEADER - headerRead, bytes.length - i);
                System.arraycopy(bytes, i, header, headerRead, n);
                headerRead += n;
                i += n;
                if (headerRead == WebdavMux.HEADER) {
                    dataId = WebdavMux.streamId(header);
                    data = new byte[WebdavMux.size(header)]; // at most 64 KiB - 1
                    dataRead = 0;
                }
            } else {
                int n = Math.min(data.length - dataRead, bytes.length - i);
                System.arraycopy(bytes, i, data, dataRead, n);
                dataRead += n;
                i += n;
            }
            if (headerRead == WebdavMux.HEADER && dataRead == data.length) {
                deliver(dataId, data);
                headerRead = 0;
            }
        }
    }

    private void deliver(long id, byte[] frame) {
        Connection c = connections.get(id);
        if (c == null) {
            if (frame.length > 0) {
                LOG.log(Level.DEBUG, ctx.describe() + ": WebDAV data for connection " + id + ", which is closed");
            }
            return;
        }
        if (frame.length == 0) {
            c.toSocket.end(); // the client's server ended the stream: the socket closes once written
        } else if (!c.toSocket.offer(frame)) {
            LOG.log(Level.WARNING, ctx.describe() + ": WebDAV connection " + id + " reads slower than the client"
                    + " answers (over " + MAX_QUEUED + " bytes waiting); closing it");
            c.close();
        }
    }

    private void send(long id, byte[] b, int len) {
        byte[] msg = new byte[WebdavMux.HEADER + len];
        System.arraycopy(WebdavMux.header(id, len), 0, msg, 0, WebdavMux.HEADER);
        System.arraycopy(b, 0, msg, WebdavMux.HEADER, len);
        ctx.send(new SpiceVmcMessages.Data(msg));
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing: nothing left to tell
        }
    }

    /** One TCP connection to the shared folder: one stream of the multiplex. */
    private final class Connection {
        final long id;
        final Socket socket;
        final ByteQueue toSocket = new ByteQueue(MAX_QUEUED);
        private volatile boolean closed;

        Connection(long id, Socket socket) {
            this.id = id;
            this.socket = socket;
        }

        void start() {
            Thread r = new Thread(this::readLoop, "webdav-" + id + "-read");
            Thread w = new Thread(this::writeLoop, "webdav-" + id + "-write");
            r.setDaemon(true);
            w.setDaemon(true);
            r.start();
            w.start();
        }

        private void readLoop() {
            // a frame and its header in one port message of at most 64 KiB, as the port channel sends them
            byte[] buf = new byte[PortClientFactory.CHUNK - WebdavMux.HEADER];
            try (InputStream in = socket.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    send(id, buf, n);
                }
            } catch (IOException | SpiceProtocolException e) {
                LOG.log(Level.DEBUG, "WebDAV connection " + id + " read: " + e);
            } finally {
                if (!closed) {
                    send(id, new byte[0], 0); // ends the stream at the client
                }
                close();
            }
        }

        private void writeLoop() {
            byte[] buf = new byte[WebdavMux.MAX_DATA];
            try (OutputStream out = socket.getOutputStream()) {
                for (int n; (n = toSocket.read(buf, 0, buf.length)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "WebDAV connection " + id + " write: " + e);
                close();
            }
        }

        void close() {
            if (!closed) {
                closed = true;
                connections.remove(id);
                toSocket.close();
                closeQuietly(socket);
            }
        }
    }
}
