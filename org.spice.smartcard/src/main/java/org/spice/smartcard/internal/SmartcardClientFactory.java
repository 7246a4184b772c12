package org.spice.smartcard.internal;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Component;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ClientChannels;
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
    private final ClientChannels<SmartcardClientChannel> channels = new ClientChannels<>(ChannelType.SMARTCARD);

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        SmartcardClientChannel c = new SmartcardClientChannel(context);
        return channels.track(context, c, c);
    }

    /** Adds the reader once the session's smartcard channel is linked, linking it when needed. */
    @Override
    public CompletableFuture<SharedReader> share(ClientSession session, String readerName, VirtualCard card) {
        List<ChannelId> offered = session.main().channels().stream().filter(x -> x.type() == ChannelType.SMARTCARD)
                .toList();
        if (offered.isEmpty()) {
            return CompletableFuture.failedFuture(new NoSuchElementException(session.uri()
                    + " offers no smartcard channel"));
        }
        SmartcardSharedReader r = new SmartcardSharedReader(readerName, card);
        channels.link(session, offered.get(0).id()).whenComplete((c, e) -> {
            if (e != null) {
                r.fail(e);
            } else {
                c.ctx.executor().execute(() -> c.add(r));
            }
        });
        return r.accepted;
    }
}
