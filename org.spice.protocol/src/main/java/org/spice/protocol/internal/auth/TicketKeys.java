package org.spice.protocol.internal.auth;

import java.security.KeyPair;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Fresh RSA-1024 key pairs for the links of a server, made ahead of time on one background thread: generating
 * one takes tens of milliseconds, which a client would otherwise wait for on every channel it links. Each key
 * pair is handed out once, so a captured ticket still cannot be replayed.
 */
public final class TicketKeys implements AutoCloseable {
    private static final int READY = 4;
    private final BlockingQueue<KeyPair> ready = new ArrayBlockingQueue<>(READY);
    private final ExecutorService maker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spice-ticket-keys");
        t.setDaemon(true);
        return t;
    });

    public TicketKeys() {
        refill();
    }

    /** A key pair never handed out before; made on the spot when none is ready. */
    public KeyPair take() {
        KeyPair k = ready.poll();
        refill();
        return k != null ? k : TicketCipher.newKeyPair();
    }

    private void refill() {
        if (!maker.isShutdown()) {
            try {
                maker.execute(() -> {
                    while (ready.remainingCapacity() > 0 && !Thread.currentThread().isInterrupted()) {
                        ready.offer(TicketCipher.newKeyPair());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // closed meanwhile: take() makes keys on the spot
            }
        }
    }

    @Override
    public void close() {
        maker.shutdownNow();
        ready.clear();
    }
}
