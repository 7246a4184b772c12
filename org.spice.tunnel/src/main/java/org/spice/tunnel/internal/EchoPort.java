package org.spice.tunnel.internal;

import org.osgi.service.component.annotations.Component;
import org.spice.tunnel.api.PortHandler;
import org.spice.tunnel.api.PortPeer;
import org.spice.tunnel.api.ServerPort;

/** A demo port that sends every byte back. */
@Component(property = ServerPort.NAME + "=" + EchoPort.NAME)
public final class EchoPort implements ServerPort {
    public static final String NAME = "org.spice.echo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PortHandler open(PortPeer peer) {
        return peer::send;
    }
}
