package org.spice.protocol.spi;

/** Reads a factory's channel type from its {@link SpiceChannel} annotation. */
final class ChannelTypes {
    private ChannelTypes() {
    }

    static int of(Object factory) {
        SpiceChannel channel = factory.getClass().getAnnotation(SpiceChannel.class);
        if (channel == null) {
            throw new IllegalStateException(factory.getClass().getName()
                    + " has no @SpiceChannel annotation and does not override channelType()");
        }
        return channel.type();
    }
}
