package org.spice.tunnel.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A port our server offers to clients as a port channel: register it as a service with the property
 * {@value #NAME} set to {@link #name()}. Every registered port gets its own channel id.
 */
@ConsumerType
public interface ServerPort {
    String NAME = "spice.port.name";

    /** The port name clients see in PORT_INIT, such as {@code "org.example.echo"}. */
    String name();

    /** Whether the port is open on the server side, announced in PORT_INIT. */
    default boolean opened() {
        return true;
    }

    /** A client linked this port's channel; the handler gets the bytes and events of that one client. */
    PortHandler open(PortPeer peer);
}
