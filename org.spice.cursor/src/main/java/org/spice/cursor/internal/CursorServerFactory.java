package org.spice.cursor.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.spice.display.api.DisplaySource;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;

/**
 * The server side of the cursor channel: every client sees the pointer of what the display shows (the
 * {@link DisplaySource} service the display bundle registers) and follows it. Without a display source, clients
 * are told there is no cursor. A new source (the display reconfigured) makes SCR create this component anew.
 */
@Component
@SpiceChannel(type = ChannelType.CURSOR)
public final class CursorServerFactory implements ServerChannelFactory {
    private final DisplaySource source;

    @Activate
    public CursorServerFactory(@Reference(cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY) DisplaySource source) {
        this.source = source;
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public boolean usesAckWindow() {
        return true;
    }

    @Override
    public ChannelHandler open(ServerChannelContext ctx) {
        return new CursorServerChannel(ctx, source);
    }
}
