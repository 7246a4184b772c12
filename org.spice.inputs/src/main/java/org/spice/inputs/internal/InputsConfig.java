package org.spice.inputs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the server's inputs channel (PID {@value #PID}). */
@ObjectClassDefinition(name = "SPICE inputs channel", description = "The server side of the inputs channel.")
public @interface InputsConfig {
    String PID = "org.spice.inputs";

    @AttributeDefinition(description = "Log every key press at INFO with its scancode and key name. What clients"
            + " type (passwords too) then appears in the log; turn off where that matters. Every input event is"
            + " logged at DEBUG regardless.")
    boolean log_keys() default true;
}
