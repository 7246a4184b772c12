package org.spice.protocol.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.spice.protocol.Capabilities;

/**
 * Makes the client side of one SPICE channel type. A DS component implementing it names its type with
 * {@link SpiceChannel}, which registers the service with the property {@value SpiceChannel#CHANNEL_TYPE}.
 */
@ConsumerType
public interface ClientChannelFactory {
    /** The channel type, by default the one the class's {@link SpiceChannel} annotation names. */
    default int channelType() {
        return ChannelTypes.of(this);
    }

    /** The channel capabilities the client announces in its link message. */
    Capabilities channelCapabilities();

    /** Called once the channel is linked and authenticated. */
    ChannelHandler open(ClientChannelContext context);
}
