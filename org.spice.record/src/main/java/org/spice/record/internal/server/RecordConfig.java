package org.spice.record.internal.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the record channel's server side (PID org.spice.record). */
@ObjectClassDefinition(name = "SPICE record", description = "How the server's record channel takes audio.")
public @interface RecordConfig {
    String PID = "org.spice.record";

    @AttributeDefinition(description = "Start recording as soon as a client links the channel (there is no guest"
            + " here to start it).")
    boolean start() default true;

    @AttributeDefinition(description = "Announce the Opus capability, so clients may send Opus.")
    boolean opus() default true;

    @AttributeDefinition(description = "Volume sent to clients with the volume capability, 0..65535, both channels.")
    int volume() default 65535;

    @AttributeDefinition(description = "Mute state sent to clients with the volume capability.")
    boolean mute() default false;
}
