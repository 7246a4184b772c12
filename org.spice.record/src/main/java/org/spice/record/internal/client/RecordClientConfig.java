package org.spice.record.internal.client;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.spice.record.api.ClientRecords;

/** Configuration of the record channel's client side (PID org.spice.record.client). */
@ObjectClassDefinition(name = "SPICE record client", description = "What the client role records.")
public @interface RecordClientConfig {
    String PID = ClientRecords.CONFIGURATION_PID;

    @AttributeDefinition(description = "A WAV file sent as the microphone, once, when the server starts"
            + " recording. Empty: nothing is sent (as spice-gtk without an audio backend). The system property spice.mic is the default.")
    String mic() default "";

    @AttributeDefinition(description = "Announce the Opus capability and send Opus when the server has it.")
    boolean opus() default true;
}
