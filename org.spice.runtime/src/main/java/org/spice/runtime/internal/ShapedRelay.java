package org.spice.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay for benchmarks: every connection to {@link #port()} is carried to the target, and what the
 * target sends back (the server's direction, where video goes) is counted and can be held to a bandwidth, shared by
 * all connections as one link is. It queues nothing of its own beyond one read of {@value #CHUNK} bytes per
 * connection, so a server that sends more than the link carries meets TCP's back-pressure at once.
 */
final class ShapedRelay implements AutoCloseable {
    private static final int CHUNK = 16 * 1024;
    private static final long BURST_MS = 100;

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong down = new AtomicLong();
    /** Bytes a second the link carries towards the client; 0 for no limit. */
    private volatile long rate;
    private final Object bucket = new Object();
    /** When the link has carried every slot taken so far. */
    private long freeAt;

    ShapedRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "spice-bench-relay");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Bytes carried towards the client so far. */
    long bytesDown() {
        return down.get();
    }

    /** Holds the server's direction to {@code bytesPerSecond} from now on (0: no limit). */
    void limit(long bytesPerSecond) {
        synchronized (bucket) {
            rate = bytesPerSecond;
            freeAt = System.nanoTime();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("bench relay: " + e.getMessage());
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean shaped) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[CHUNK];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (shaped) {
                        await(n);
                        down.addAndGet(n);
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException | InterruptedException closed) {
                // either side went away: the other is closed below
            } finally {
                close(from);
                close(to);
            }
        }, "spice-bench-relay-" + (shaped ? "down" : "up"));
        t.setDaemon(true);
        t.start();
    }

    /**
     * Waits until the link may carry {@code n} more bytes: each read takes its slot of the link's time, after the
     * slots taken before it; an idle link saves up at most {@value #BURST_MS} ms.
     */
    private void await(int n) throws InterruptedException {
        long wait;
        synchronized (bucket) {
            long r = rate;
            if (r <= 0) {
                return;
            }
            long now = System.nanoTime();
            freeAt = Math.max(freeAt, now - BURST_MS * 1_000_000L) + n * 1_000_000_000L / r;
            wait = freeAt - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(ShapedRelay::close);
    }
}
