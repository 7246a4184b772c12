package org.spice.smartcard.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Hashtable;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.smartcard.api.RemoteSmartcard;
import org.spice.smartcard.api.RemoteSmartcards;

/**
 * The server side of the smartcard channel, in the role QEMU's ccid-card-passthru plays behind spice-server: it
 * gives each reader a client adds an id, acknowledges readers and cards with ERROR(success), and exchanges APDUs
 * with the client's card for {@link RemoteSmartcard} users. Each reader is a service while it exists.
 */
@Component
@SpiceChannel(type = ChannelType.SMARTCARD)
public final class SmartcardServerFactory implements ServerChannelFactory, RemoteSmartcards {
    private static final Logger LOG = Logger.getLogger(SmartcardServerFactory.class.getName());
    /** Readers one client may add. */
    static final int MAX_READERS = 4;
    /** Commands queued for one card before transmit refuses more. */
    static final int MAX_QUEUED = 256;

    private final List<RemoteSmartcard> readers = new CopyOnWriteArrayList<>();
    private volatile BundleContext bundleContext;

    @Activate
    void activate(BundleContext bc) {
        bundleContext = bc;
    }

    @Deactivate
    void deactivate() {
        bundleContext = null;
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public List<RemoteSmartcard> readers() {
        return List.copyOf(readers);
    }

    @Override
    public ChannelHandler open(ServerChannelContext ctx) {
        return new Channel(ctx);
    }

    private final class Channel implements ChannelHandler {
        private final ServerChannelContext ctx;
        private final Map<Long, Reader> byId = new ConcurrentHashMap<>();

        Channel(ServerChannelContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void onMessage(int type, ByteBuf body) {
            if (type != VscMessage.SPICE_DATA) {
                throw ChannelHandler.unknownMessage(ctx, type);
            }
            VscMessage m = VscMessage.decode(body);
            switch (m.vscType()) {
                case VscMessage.INIT -> LOG.fine(() -> ctx.describe() + ": client VSC version " + m.initVersion());
                case VscMessage.READER_ADD -> addReader(m.readerName());
                case VscMessage.READER_REMOVE -> {
                    Reader r = reader(m);
                    byId.remove(r.id);
                    r.removed("the client removed the reader");
                    ctx.send(VscMessage.error(r.id, VscMessage.SUCCESS));
                }
                case VscMessage.ATR -> {
                    Reader r = reader(m);
                    r.inserted(m.payload());
                    ctx.send(VscMessage.error(r.id, VscMessage.SUCCESS));
                }
                case VscMessage.CARD_REMOVE -> {
                    Reader r = reader(m);
                    r.cardRemoved("the client removed the card");
                    ctx.send(VscMessage.error(r.id, VscMessage.SUCCESS));
                }
                case VscMessage.APDU -> reader(m).response(m.payload());
                case VscMessage.ERROR -> reader(m).error(m.errorCode());
                case VscMessage.FLUSH_COMPLETE -> LOG.fine(() -> ctx.describe() + ": flush complete");
                default -> throw new SpiceProtocolException("smartcard: the client sent "
                        + VscMessage.typeName(m.vscType()) + ", which only servers send");
            }
        }

        private Reader reader(VscMessage m) {
            Reader r = byId.get(m.readerId());
            if (r == null) {
                throw new SpiceProtocolException("smartcard: " + VscMessage.typeName(m.vscType())
                        + " for reader " + m.readerId() + ", which was never added");
            }
            return r;
        }

        private void addReader(String name) {
            long id = 0;
            while (byId.containsKey(id)) {
                id++;
            }
            if (id >= MAX_READERS) {
                LOG.warning(ctx.describe() + ": refused a reader beyond " + MAX_READERS);
                ctx.send(VscMessage.error(VscMessage.UNDEFINED_READER, VscMessage.CANNOT_ADD_MORE_READERS));
                return;
            }
            Reader r = new Reader(ctx, id, name);
            byId.put(id, r);
            readers.add(r);
            ctx.send(VscMessage.error(id, VscMessage.SUCCESS));
            LOG.info(ctx.describe() + ": smartcard reader '" + name + "' added as " + id);
            r.register();
        }

        @Override
        public void onClose() {
            for (Reader r : byId.values()) {
                r.removed("the smartcard channel closed");
            }
            byId.clear();
        }
    }

    /** A command waiting for its response. */
    private record Exchange(byte[] command, CompletableFuture<byte[]> response) {
    }

    private final class Reader implements RemoteSmartcard {
        private final ServerChannelContext ctx;
        private final long id;
        private final String name;
        private final List<Listener> listeners = new CopyOnWriteArrayList<>();
        /** Channel thread only: queued commands, the head being the one sent. */
        private final Deque<Exchange> exchanges = new ArrayDeque<>();
        private volatile byte[] atr;
        private volatile boolean present = true;
        private ServiceRegistration<RemoteSmartcard> registration;

        Reader(ServerChannelContext ctx, long id, String name) {
            this.ctx = ctx;
            this.id = id;
            this.name = name;
        }

        void register() {
            BundleContext bc = bundleContext;
            if (bc != null) {
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(READER_NAME, name);
                props.put("spice.connection.id", ctx.connectionId());
                registration = bc.registerService(RemoteSmartcard.class, this, props);
            }
        }

        void inserted(byte[] newAtr) {
            if (atr != null) {
                cardRemoved("a new ATR (card reset)");
            }
            atr = newAtr.clone();
            LOG.info(ctx.describe() + ": card in reader '" + name + "', ATR " + HexFormat.of().formatHex(newAtr));
            listeners.forEach(l -> l.cardInserted(newAtr.clone()));
        }

        void cardRemoved(String why) {
            if (atr == null) {
                return;
            }
            atr = null;
            failAll(why);
            listeners.forEach(Listener::cardRemoved);
        }

        void removed(String why) {
            if (!present) {
                return;
            }
            cardRemoved(why);
            failAll(why);
            present = false;
            readers.remove(this);
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // the bundle is stopping and took the registration with it
                }
                registration = null;
            }
            listeners.forEach(Listener::readerRemoved);
        }

        private void failAll(String why) {
            Exchange e;
            while ((e = exchanges.poll()) != null) {
                e.response.completeExceptionally(new IOException(why));
            }
        }

        void response(byte[] r) {
            Exchange e = exchanges.poll();
            if (e == null) {
                throw new SpiceProtocolException("smartcard: an APDU response from reader " + id
                        + " with no command outstanding");
            }
            e.response.complete(r);
            sendHead();
        }

        void error(int code) {
            Exchange e = exchanges.poll();
            if (e == null) {
                LOG.warning(ctx.describe() + ": smartcard error '" + VscMessage.errorName(code) + "' from reader "
                        + id + " with no command outstanding");
                return;
            }
            e.response.completeExceptionally(new IOException("the client's reader '" + name + "' reported "
                    + VscMessage.errorName(code)));
            sendHead();
        }

        private void sendHead() {
            Exchange head = exchanges.peek();
            if (head != null) {
                ctx.send(new VscMessage(VscMessage.APDU, id, head.command));
            }
        }

        @Override
        public long connectionId() {
            return ctx.connectionId();
        }

        @Override
        public long readerId() {
            return id;
        }

        @Override
        public String readerName() {
            return name;
        }

        @Override
        public Optional<byte[]> atr() {
            byte[] a = atr;
            return a == null ? Optional.empty() : Optional.of(a.clone());
        }

        @Override
        public CompletionStage<byte[]> transmit(byte[] command) {
            if (command.length < 4 || command.length > VscMessage.MAX_PAYLOAD) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("a command APDU has 4 to "
                        + VscMessage.MAX_PAYLOAD + " bytes, not " + command.length));
            }
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            byte[] copy = command.clone();
            ctx.executor().execute(() -> {
                if (!ctx.isOpen() || !present) {
                    f.completeExceptionally(new IOException("reader '" + name + "' is gone"));
                } else if (atr == null) {
                    f.completeExceptionally(new IOException("no card in reader '" + name + "'"));
                } else if (exchanges.size() >= MAX_QUEUED) {
                    f.completeExceptionally(new IOException(MAX_QUEUED + " commands already queued for '" + name
                            + "'"));
                } else {
                    exchanges.add(new Exchange(copy, f));
                    if (exchanges.size() == 1) {
                        sendHead();
                    }
                }
            });
            return f;
        }

        @Override
        public void addListener(Listener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(Listener listener) {
            listeners.remove(listener);
        }

        @Override
        public String toString() {
            return "reader '" + name + "' (" + id + ") of client 0x" + Long.toHexString(ctx.connectionId());
        }
    }
}
