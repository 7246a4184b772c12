package org.spice.protocol.spi;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import org.spice.protocol.Capabilities;

/**
 * Makes the server side of one SPICE channel type. A DS component implementing it names its type with
 * {@link SpiceChannel}, which registers the service with the property {@value #CHANNEL_TYPE} so that the engine
 * and tools can list it without loading the class.
 */
@ConsumerType
public interface ServerChannelFactory {
    /** The service property carrying the channel type ({@link SpiceChannel#CHANNEL_TYPE}), for filters. */
    String CHANNEL_TYPE = SpiceChannel.CHANNEL_TYPE;

    /** The channel type, by default the one the class's {@link SpiceChannel} annotation names. */
    default int channelType() {
        return ChannelTypes.of(this);
    }

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
