package org.spice.smartcard.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Component;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.protocol.wire.MainMessages.ChannelId;
import org.spice.smartcard.api.SmartcardSharing;
import org.spice.smartcard.api.VirtualCard;

/**
 * The client side of the smartcard channel. Like spice-gtk it keeps one reader/card message (READER_ADD, ATR,
 * CARD_REMOVE, READER_REMOVE) in flight at a time, since the server answers each with an ERROR message that
 * carries no reference to what it answers; READER_ADD's answer carries the reader id the server gave. The
 * server's APDUs are answered by the reader's card on a thread of that reader, in order.
 */
@Component
@SpiceChannel(type = ChannelType.SMARTCARD)
public final class SmartcardClientFactory implements ClientChannelFactory, SmartcardSharing {
    private static final Logger LOG = Logger.getLogger(SmartcardClientFactory.class.getName());
    /**
     * Server APDUs a reader may have waiting for its card; beyond this the channel is closed. A host sends one
     * command and waits for its response, so only a broken or hostile server queues more.
     */
    static final int MAX_OUTSTANDING = 64;

    private final Map<ClientSession, Channel> channels = new ConcurrentHashMap<>();
    /** Readers asked for before the session's channel was linked. */
    private final Map<ClientSession, Queue<Reader>> waiting = new ConcurrentHashMap<>();

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        Channel c = new Channel(context);
        channels.put(context.session(), c);
        Queue<Reader> q = waiting.remove(context.session());
        if (q != null) {
            context.executor().execute(() -> q.forEach(c::add));
        }
        return c;
    }

    @Override
    public CompletableFuture<SharedReader> share(ClientSession session, String readerName, VirtualCard card) {
        Reader r = new Reader(readerName, card);
        Channel c = channels.get(session);
        if (c != null) {
            c.ctx.executor().execute(() -> c.add(r));
            return r.accepted;
        }
        List<ChannelId> offered = session.main().channels().stream().filter(x -> x.type() == ChannelType.SMARTCARD)
                .toList();
        if (offered.isEmpty()) {
            return CompletableFuture.failedFuture(new NoSuchElementException(session.uri()
                    + " offers no smartcard channel"));
        }
        waiting.computeIfAbsent(session, s -> new ConcurrentLinkedQueue<>()).add(r);
        session.link(ChannelType.SMARTCARD, offered.get(0).id()).whenComplete((v, e) -> {
            if (e != null) {
                Queue<Reader> q = waiting.remove(session);
                if (q != null) {
                    q.forEach(x -> x.fail(e));
                }
            }
        });
        return r.accepted;
    }

    /** One reader/card message waiting for the server's ERROR answer. */
    private record Pending(VscMessage message, Reader reader) {
    }

    /** One linked smartcard channel. */
    private final class Channel implements ChannelHandler {
        private final ClientChannelContext ctx;
        private final Map<Long, Reader> readers = new ConcurrentHashMap<>();
        private final Deque<Pending> control = new ArrayDeque<>();
        private Pending inFlight;

        Channel(ClientChannelContext ctx) {
            this.ctx = ctx;
        }

        void add(Reader r) {
            r.channel = this;
            queue(VscMessage.readerAdd(r.name), r);
        }

        /** Queues a reader/card message (channel thread). */
        void queue(VscMessage m, Reader r) {
            control.add(new Pending(m, r));
            if (inFlight == null) {
                next();
            }
        }

        private void next() {
            inFlight = control.poll();
            if (inFlight != null) {
                ctx.send(inFlight.message);
            }
        }

        @Override
        public void onMessage(int type, ByteBuf body) {
            if (type != VscMessage.SPICE_DATA) {
                throw ChannelHandler.unknownMessage(ctx, type);
            }
            VscMessage m = VscMessage.decode(body);
            switch (m.vscType()) {
                case VscMessage.ERROR -> answered(m);
                case VscMessage.APDU -> {
                    Reader r = readers.get(m.readerId());
                    if (r == null) {
                        throw new SpiceProtocolException("smartcard: APDU for reader " + m.readerId()
                                + ", which the server never gave");
                    }
                    if (!r.command(m.payload())) {
                        ctx.close("smartcard: the server queued more than " + MAX_OUTSTANDING
                                + " APDUs for reader " + r.id + " without waiting for responses");
                    }
                }
                case VscMessage.FLUSH -> {
                    Reader r = readers.get(m.readerId());
                    if (r == null) {
                        ctx.send(VscMessage.empty(VscMessage.FLUSH_COMPLETE, m.readerId()));
                    } else {
                        r.flush();
                    }
                }
                case VscMessage.INIT -> LOG.fine(() -> ctx.describe() + ": server VSC version " + m.initVersion());
                default -> throw new SpiceProtocolException("smartcard: the server sent "
                        + VscMessage.typeName(m.vscType()) + ", which only clients send");
            }
        }

        /** The server's ERROR message: the answer to the message in flight. */
        private void answered(VscMessage m) {
            Pending p = inFlight;
            int code = m.errorCode();
            if (p == null) {
                LOG.warning(ctx.describe() + ": smartcard error '" + VscMessage.errorName(code) + "' for reader "
                        + m.readerId() + " with no request outstanding");
                return;
            }
            Reader r = p.reader;
            switch (p.message.vscType()) {
                case VscMessage.READER_ADD -> {
                    if (code != VscMessage.SUCCESS) {
                        r.fail(new IOException("the server refused reader '" + r.name + "': "
                                + VscMessage.errorName(code)));
                    } else if (m.readerId() == VscMessage.UNDEFINED_READER || readers.containsKey(m.readerId())) {
                        r.fail(new IOException("the server gave reader '" + r.name + "' the id " + m.readerId()
                                + ", which is undefined or taken"));
                    } else {
                        r.id = m.readerId();
                        readers.put(r.id, r);
                        LOG.info(ctx.describe() + ": reader '" + r.name + "' added as " + r.id);
                        if (r.card != null) {
                            control.addFirst(new Pending(new VscMessage(VscMessage.ATR, r.id, r.card.atr()), r));
                        }
                    }
                }
                case VscMessage.ATR -> {
                    if (code == VscMessage.SUCCESS) {
                        LOG.info(ctx.describe() + ": " + r.card.describe() + " inserted in reader " + r.id);
                        r.accepted.complete(r);
                    } else {
                        r.fail(new IOException("the server refused the card in '" + r.name + "': "
                                + VscMessage.errorName(code)));
                    }
                }
                default -> {
                    if (code != VscMessage.SUCCESS) {
                        LOG.warning(ctx.describe() + ": " + VscMessage.typeName(p.message.vscType()) + " of reader "
                                + r.id + ": " + VscMessage.errorName(code));
                    }
                }
            }
            next();
        }

        @Override
        public void onClose() {
            channels.remove(ctx.session(), this);
            for (Reader r : readers.values()) {
                r.end();
            }
            Pending p = inFlight;
            if (p != null) {
                p.reader.fail(new IOException("the smartcard channel closed"));
            }
            control.forEach(x -> x.reader.fail(new IOException("the smartcard channel closed")));
        }
    }

    /** One shared reader. */
    private static final class Reader implements SharedReader {
        final String name;
        final CompletableFuture<SharedReader> accepted = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final AtomicLong apdus = new AtomicLong();
        private final AtomicInteger outstanding = new AtomicInteger();
        volatile VirtualCard card;
        volatile Channel channel;
        volatile long id = VscMessage.UNDEFINED_READER;
        /** Runs the card's APDU exchanges, which may block (PC/SC), off the channel thread and in order. */
        private final ExecutorService worker;

        Reader(String name, VirtualCard card) {
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
            Channel c = channel;
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
            Channel c = channel;
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
            Channel c = channel;
            c.ctx.executor().execute(() -> {
                if (card != null) {
                    card = null;
                    c.queue(VscMessage.empty(VscMessage.CARD_REMOVE, id), this);
                }
            });
        }

        @Override
        public void insertCard(VirtualCard newCard) {
            Channel c = channel;
            c.ctx.executor().execute(() -> {
                card = newCard;
                c.queue(new VscMessage(VscMessage.ATR, id, newCard.atr()), this);
            });
        }

        @Override
        public void close() {
            Channel c = channel;
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
}
