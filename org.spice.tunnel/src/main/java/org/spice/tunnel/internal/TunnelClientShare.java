package org.spice.tunnel.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.spice.tunnel.api.TunnelShare;

/** One tunnel service this client shares, and how many of its sockets are open. */
final class TunnelClientShare implements TunnelShare {
    private final TunnelClientChannel tunnel;
    final int id;
    final String name;
    final InetSocketAddress target;
    final AtomicInteger open = new AtomicInteger();

    TunnelClientShare(TunnelClientChannel tunnel, int id, String name, InetSocketAddress target) {
        this.tunnel = tunnel;
        this.id = id;
        this.name = name;
        this.target = target;
    }

    @Override
    public int serviceId() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress target() {
        return target;
    }

    @Override
    public int openSockets() {
        return open.get();
    }

    @Override
    public void close() {
        tunnel.unshare(this);
    }
}
