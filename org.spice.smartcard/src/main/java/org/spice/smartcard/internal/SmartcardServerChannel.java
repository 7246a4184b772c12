package org.spice.smartcard.internal;

import org.spice.smartcard.internal.wire.VscMessage;
import org.spice.protocol.wire.SpiceVmcMessages;
import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;

/** One client's smartcard channel and the readers it added, each a {@code RemoteSmartcard} service. */
final class SmartcardServerChannel implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.smartcard");

    private final SmartcardServerFactory owner;
    private final ServerChannelContext ctx;
    private final Map<Long, SmartcardServerReader> byId = new ConcurrentHashMap<>();

    SmartcardServerChannel(SmartcardServerFactory owner, ServerChannelContext ctx) {
        this.owner = owner;
        this.ctx = ctx;
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        if (type != SpiceVmcMessages.DATA) {
            throw ChannelHandler.unknownMessage(ctx, type);
        }
        VscMessage m = VscMessage.decode(body);
        switch (m.vscType()) {
            case VscMessage.INIT -> LOG.log(Level.DEBUG, () -> ctx.describe() + ": client VSC version "
                    + m.initVersion());
            case VscMessage.READER_ADD -> addReader(m.readerName());
            case VscMessage.READER_REMOVE -> {
                SmartcardServerReader r = reader(m);
                byId.remove(r.id);
                r.removed("the client removed the reader");
                ctx.send(VscMessage.error(r.id, VscMessage.SUCCESS));
            }
            case VscMessage.ATR -> {
                SmartcardServerReader r = reader(m);
                r.inserted(m.payload());
                ctx.send(VscMessage.error(r.id, VscMessage.SUCCESS));
            }
            case VscMessage.CARD_REMOVE -> {
                SmartcardServerReader r = reader(m);
                r.cardRemoved("the client removed the card");
                ctx.send(VscMessage.error(r.id, VscMessage.SUCCESS));
            }
            case VscMessage.APDU -> reader(m).response(m.payload());
            case VscMessage.ERROR -> reader(m).error(m.errorCode());
            case VscMessage.FLUSH_COMPLETE -> LOG.log(Level.DEBUG, () -> ctx.describe() + ": flush complete");
            default -> throw new SpiceProtocolException("smartcard: the client sent "
                    + VscMessage.typeName(m.vscType()) + ", which only servers send");
        }
    }

    private SmartcardServerReader reader(VscMessage m) {
        SmartcardServerReader r = byId.get(m.readerId());
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
        if (id >= SmartcardServerFactory.MAX_READERS) {
            LOG.log(Level.WARNING, ctx.describe() + ": refused a reader beyond " + SmartcardServerFactory.MAX_READERS);
            ctx.send(VscMessage.error(VscMessage.UNDEFINED_READER, VscMessage.CANNOT_ADD_MORE_READERS));
            return;
        }
        SmartcardServerReader r = new SmartcardServerReader(owner, ctx, id, name);
        byId.put(id, r);
        owner.readers.add(r);
        ctx.send(VscMessage.error(id, VscMessage.SUCCESS));
        LOG.log(Level.INFO, ctx.describe() + ": smartcard reader '" + name + "' added as " + id);
        r.register();
    }

    @Override
    public void onClose() {
        for (SmartcardServerReader r : byId.values()) {
            r.removed("the smartcard channel closed");
        }
        byId.clear();
    }
}
