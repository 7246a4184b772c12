package org.spice.inputs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the server's inputs channel (PID {@value #PID}). */
@ObjectClassDefinition(name = "SPICE inputs channel", description = "The server side of the inputs channel.")
public @interface InputsConfig {
    String PID = "org.spice.inputs";

    @AttributeDefinition(description = "Log every key press at INFO with its scancode and key name. Off by"
            + " default: what clients type, passwords too, would appear in the log. For diagnosis and tests only.")
    boolean log_keys() default false;
}
