package org.spice.gateway.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One gateway (factory PID {@value #PID}, e.g. deploy/org.spice.gateway-vm1.cfg): the VM it connects to and who of
 * the viewers controls it. The viewers connect to this runtime's SPICE server (configuration org.spice.server)
 * whose display shows the gateway (org.spice.display with {@code source=service:NAME}).
 */
@ObjectClassDefinition(name = "SPICE gateway", description = "One client session to a VM, shown by this runtime's"
        + " SPICE server to every viewer. The VM's password is never part of the configuration: give a file.")
public @interface GatewayConfig {
    String PID = "org.spice.gateway";

    @AttributeDefinition(description = "The VM's SPICE server: spice://HOST:PORT.")
    String target();

    @AttributeDefinition(description = "File holding the VM's ticket password; empty for none.")
    String target_password_file() default "";

    @AttributeDefinition(description = "CA certificate (PEM) the VM's TLS certificate must chain to (a target with"
            + " tls-port= or spice+tls://); empty for the JVM's trusted CAs.")
    String target_ca_file() default "";

    @AttributeDefinition(description = "Subject the VM's certificate must carry, as remote-viewer's host-subject;"
            + " empty to check the host name.")
    String target_host_subject() default "";

    @AttributeDefinition(description = "Whose keys and pointer reach the VM: 'first' (the viewer connected"
            + " longest; the others watch), 'all' or 'none' (everyone watches).",
            options = { @Option(value = "first"), @Option(value = "all"), @Option(value = "none") })
    String control() default "first";

    @AttributeDefinition(description = "Whose microphone the VM hears, one viewer at a time: 'controller' (the"
            + " viewer that controls, with control first), 'first' (the first viewer that starts recording, until it"
            + " stops or leaves) or 'none'. Empty: controller with control first, first with control all, none with"
            + " control none.",
            options = { @Option(value = ""), @Option(value = "controller"), @Option(value = "first"),
                    @Option(value = "none") })
    String record_floor() default "";

    @AttributeDefinition(description = "The name the gateway's picture is registered under (spice.display.source);"
            + " the display shows it with source=service:NAME.")
    String name() default "gateway";

    @AttributeDefinition(description = "Directory to write each session with the VM to as a recording"
            + " (docs/recording.md); empty for none.")
    String record_dir() default "";

    @AttributeDefinition(description = "A recording file's size in MiB at most; the session goes on in a new file.")
    int record_max_mb() default 256;

    @AttributeDefinition(description = "Seconds to wait for the VM at each step of connecting.")
    int timeout_seconds() default 10;
}
