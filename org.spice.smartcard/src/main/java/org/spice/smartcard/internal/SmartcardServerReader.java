package org.spice.smartcard.internal;

import org.spice.smartcard.internal.wire.VscMessage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Hashtable;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.smartcard.api.RemoteSmartcard;

/** A reader a client added, and the card in it, as a {@link RemoteSmartcard} service; APDUs go one at a time. */
final class SmartcardServerReader implements RemoteSmartcard {
    private static final System.Logger LOG = System.getLogger("org.spice.smartcard");

    /** A command waiting for its response. */
    private record Exchange(byte[] command, CompletableFuture<byte[]> response) {
    }

    private final SmartcardServerFactory owner;
    private final ServerChannelContext ctx;
    final long id;
    private final String name;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Channel thread only: queued commands, the head being the one sent. */
    private final Deque<Exchange> exchanges = new ArrayDeque<>();
    private volatile byte[] atr;
    private volatile boolean present = true;
    private ServiceRegistration<RemoteSmartcard> registration;

    SmartcardServerReader(SmartcardServerFactory owner, ServerChannelContext ctx, long id, String name) {
        this.owner = owner;
        this.ctx = ctx;
        this.id = id;
        this.name = name;
    }

    void register() {
        BundleContext bc = owner.bundleContext;
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
        LOG.log(Level.INFO, ctx.describe() + ": card in reader '" + name + "', ATR "
                + HexFormat.of().formatHex(newAtr));
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
        owner.readers.remove(this);
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
            LOG.log(Level.WARNING, ctx.describe() + ": smartcard error '" + VscMessage.errorName(code)
                    + "' from reader "
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
            } else if (exchanges.size() >= SmartcardServerFactory.MAX_QUEUED) {
                f.completeExceptionally(new IOException(SmartcardServerFactory.MAX_QUEUED
                        + " commands already queued for '" + name
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
