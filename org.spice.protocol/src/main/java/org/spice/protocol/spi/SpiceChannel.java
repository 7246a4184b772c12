package org.spice.protocol.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The SPICE channel type a {@link ServerChannelFactory} or {@link ClientChannelFactory} component serves:
 * {@code @SpiceChannel(type = ChannelType.DISPLAY)} on the component class. DS writes it as the Integer service
 * property {@value #CHANNEL_TYPE}, on which the engine and tools find the factory without loading its class, and
 * the factories' {@code channelType()} reads the same annotation, so the two cannot disagree.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SpiceChannel {
    /** The prefix that makes the {@code type} element the {@value #CHANNEL_TYPE} property. */
    String PREFIX_ = "spice.channel.";

    /** The service property carrying the channel type, an Integer. */
    String CHANNEL_TYPE = PREFIX_ + "type";

    /** The channel type number, one of {@link org.spice.protocol.ChannelType}'s constants. */
    int type();
}
