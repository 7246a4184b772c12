package org.spice.smartcard.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
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
    /** Readers one client may add. */
    static final int MAX_READERS = 4;
    /** Commands queued for one card before transmit refuses more. */
    static final int MAX_QUEUED = 256;

    final List<RemoteSmartcard> readers = new CopyOnWriteArrayList<>();
    volatile BundleContext bundleContext;

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
        return new SmartcardServerChannel(this, ctx);
    }
}
