package org.spice.usbredir.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the usbredir channel's server side (PID org.spice.usbredir.server). */
@ObjectClassDefinition(name = "SPICE usbredir server", description = "Which USB devices clients may redirect to us.")
public @interface UsbRedirServerConfig {
    String PID = "org.spice.usbredir.server";

    @AttributeDefinition(description = "usbredir filter rules, as QEMU's usb-redir filter property: rules"
            + " class,vendor,product,version,allow separated by |, -1 for any. A device is accepted when its class and"
            + " every interface class are allowed; one that matches no rule is refused. Empty accepts every device.")
    String filter() default "";
}
