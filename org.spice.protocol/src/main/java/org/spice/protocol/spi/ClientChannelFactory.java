package org.spice.protocol.spi;

import org.spice.protocol.Capabilities;

/**
 * Makes the client side of one SPICE channel type. Register it as a service with the property
 * {@value ServerChannelFactory#CHANNEL_TYPE} set to the type number.
 */
public interface ClientChannelFactory {
    int channelType();

    /** The channel capabilities the client announces in its link message. */
    Capabilities channelCapabilities();

    /** Called once the channel is linked and authenticated. */
    ChannelHandler open(ClientChannelContext context);
}
