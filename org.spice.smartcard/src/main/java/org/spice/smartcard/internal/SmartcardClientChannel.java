package org.spice.smartcard.internal;

import org.spice.smartcard.internal.wire.VscMessage;
import org.spice.protocol.wire.SpiceVmcMessages;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;

/** One linked smartcard channel. */
final class SmartcardClientChannel implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.smartcard");

    /** One reader/card message waiting for the server's ERROR answer. */
    private record Pending(VscMessage message, SmartcardSharedReader reader) {
    }

    final ClientChannelContext ctx;
    final Map<Long, SmartcardSharedReader> readers = new ConcurrentHashMap<>();
    private final Deque<Pending> control = new ArrayDeque<>();
    private Pending inFlight;

    SmartcardClientChannel(ClientChannelContext ctx) {
        this.ctx = ctx;
    }

    void add(SmartcardSharedReader r) {
        r.channel = this;
        queue(VscMessage.readerAdd(r.name), r);
    }

    /** Queues a reader/card message (channel thread). */
    void queue(VscMessage m, SmartcardSharedReader r) {
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
        if (type != SpiceVmcMessages.DATA) {
            throw ChannelHandler.unknownMessage(ctx, type);
        }
        VscMessage m = VscMessage.decode(body);
        switch (m.vscType()) {
            case VscMessage.ERROR -> answered(m);
            case VscMessage.APDU -> {
                SmartcardSharedReader r = readers.get(m.readerId());
                if (r == null) {
                    throw new SpiceProtocolException("smartcard: APDU for reader " + m.readerId()
                            + ", which the server never gave");
                }
                if (!r.command(m.payload())) {
                    ctx.close("smartcard: the server queued more than " + SmartcardSharedReader.MAX_OUTSTANDING
                            + " APDUs for reader " + r.id + " without waiting for responses");
                }
            }
            case VscMessage.FLUSH -> {
                SmartcardSharedReader r = readers.get(m.readerId());
                if (r == null) {
                    ctx.send(VscMessage.empty(VscMessage.FLUSH_COMPLETE, m.readerId()));
                } else {
                    r.flush();
                }
            }
            case VscMessage.INIT -> LOG.log(Level.DEBUG, () -> ctx.describe() + ": server VSC version "
                    + m.initVersion());
            default -> throw new SpiceProtocolException("smartcard: the server sent "
                    + VscMessage.typeName(m.vscType()) + ", which only clients send");
        }
    }

    /** The server's ERROR message: the answer to the message in flight. */
    private void answered(VscMessage m) {
        Pending p = inFlight;
        int code = m.errorCode();
        if (p == null) {
            LOG.log(Level.WARNING, ctx.describe() + ": smartcard error '" + VscMessage.errorName(code) + "' for reader "
                    + m.readerId() + " with no request outstanding");
            return;
        }
        SmartcardSharedReader r = p.reader;
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
                    LOG.log(Level.INFO, ctx.describe() + ": reader '" + r.name + "' added as " + r.id);
                    if (r.card != null) {
                        control.addFirst(new Pending(new VscMessage(VscMessage.ATR, r.id, r.card.atr()), r));
                    }
                }
            }
            case VscMessage.ATR -> {
                if (code == VscMessage.SUCCESS) {
                    LOG.log(Level.INFO, ctx.describe() + ": " + r.card.describe() + " inserted in reader " + r.id);
                    r.accepted.complete(r);
                } else {
                    r.fail(new IOException("the server refused the card in '" + r.name + "': "
                            + VscMessage.errorName(code)));
                }
            }
            default -> {
                if (code != VscMessage.SUCCESS) {
                    LOG.log(Level.WARNING, ctx.describe() + ": " + VscMessage.typeName(p.message.vscType())
                            + " of reader "
                            + r.id + ": " + VscMessage.errorName(code));
                }
            }
        }
        next();
    }

    @Override
    public void onClose() {
        for (SmartcardSharedReader r : readers.values()) {
            r.end();
        }
        Pending p = inFlight;
        if (p != null) {
            p.reader.fail(new IOException("the smartcard channel closed"));
        }
        control.forEach(x -> x.reader.fail(new IOException("the smartcard channel closed")));
    }
}
