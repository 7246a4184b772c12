package org.spice.smartcard.internal;

import org.spice.smartcard.internal.wire.VscMessage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.spice.smartcard.api.SmartcardSharing.SharedReader;
import org.spice.smartcard.api.VirtualCard;

/** One shared reader. */
final class SmartcardSharedReader implements SharedReader {
    private static final System.Logger LOG = System.getLogger("org.spice.smartcard");
    /**
     * Server APDUs a reader may have waiting for its card; beyond this the channel is closed. A host sends one
     * command and waits for its response, so only a broken or hostile server queues more.
     */
    static final int MAX_OUTSTANDING = 64;

    final String name;
    final CompletableFuture<SharedReader> accepted = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final AtomicLong apdus = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();
    volatile VirtualCard card;
    volatile SmartcardClientChannel channel;
    volatile long id = VscMessage.UNDEFINED_READER;
    /** Runs the card's APDU exchanges, which may block (PC/SC), off the channel thread and in order. */
    private final ExecutorService worker;

    SmartcardSharedReader(String name, VirtualCard card) {
        this.name = name;
        this.card = card;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "smartcard reader " + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a server APDU for the card; false when too many are waiting already. */
    boolean command(byte[] apdu) {
        if (outstanding.incrementAndGet() > MAX_OUTSTANDING) {
            return false;
        }
        SmartcardClientChannel c = channel;
        worker.execute(() -> {
            outstanding.decrementAndGet();
            VirtualCard k = card;
            if (k == null) {
                c.ctx.send(VscMessage.error(id, VscMessage.GENERAL_ERROR));
                return;
            }
            try {
                byte[] response = k.transmit(apdu);
                apdus.incrementAndGet();
                c.ctx.send(new VscMessage(VscMessage.APDU, id, response));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, c.ctx.describe() + ": " + k.describe() + " failed an APDU", e);
                c.ctx.send(VscMessage.error(id, VscMessage.GENERAL_ERROR));
            }
        });
        return true;
    }

    void flush() {
        SmartcardClientChannel c = channel;
        worker.execute(() -> c.ctx.send(VscMessage.empty(VscMessage.FLUSH_COMPLETE, id)));
    }

    void fail(Throwable t) {
        accepted.completeExceptionally(t);
        end();
    }

    void end() {
        worker.shutdown();
        closed.complete(null);
    }

    @Override
    public long readerId() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long apdus() {
        return apdus.get();
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void removeCard() {
        SmartcardClientChannel c = channel;
        c.ctx.executor().execute(() -> {
            if (card != null) {
                card = null;
                c.queue(VscMessage.empty(VscMessage.CARD_REMOVE, id), this);
            }
        });
    }

    @Override
    public void insertCard(VirtualCard newCard) {
        SmartcardClientChannel c = channel;
        c.ctx.executor().execute(() -> {
            card = newCard;
            c.queue(new VscMessage(VscMessage.ATR, id, newCard.atr()), this);
        });
    }

    @Override
    public void close() {
        SmartcardClientChannel c = channel;
        if (c == null || !c.ctx.isOpen()) {
            end();
            return;
        }
        c.ctx.executor().execute(() -> {
            if (c.readers.remove(id, this)) {
                c.queue(VscMessage.empty(VscMessage.READER_REMOVE, id), this);
            }
            end();
        });
    }
}
