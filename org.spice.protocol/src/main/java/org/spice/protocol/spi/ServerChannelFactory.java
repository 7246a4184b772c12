package org.spice.protocol.spi;

import java.util.List;
import org.spice.protocol.Capabilities;

/**
 * Makes the server side of one SPICE channel type. Register it as a service with the property
 * {@value #CHANNEL_TYPE} set to the type number so that tools can list it without loading the class.
 */
public interface ServerChannelFactory {
    String CHANNEL_TYPE = "spice.channel.type";

    int channelType();

    /** The channel ids to list in the main channel's channels list; most channels offer just 0. */
    default List<Integer> channelIds() {
        return List.of(0);
    }

    /** The channel capabilities the server announces in its link reply. */
    Capabilities channelCapabilities();

    /** Whether the engine sends SET_ACK and holds back bulk messages until the client acknowledges them. */
    default boolean usesAckWindow() {
        return false;
    }

    /** Called once a client has linked and authenticated this channel. */
    ChannelHandler open(ServerChannelContext context);
}
