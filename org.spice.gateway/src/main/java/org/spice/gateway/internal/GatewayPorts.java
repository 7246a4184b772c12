package org.spice.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import org.spice.tunnel.api.PortConnection;
import org.spice.tunnel.api.PortHandler;
import org.spice.tunnel.api.PortPeer;
import org.spice.tunnel.api.ServerPort;

/**
 * The VM's named ports (spiceport chardevs such as QEMU's HMP monitor), offered to the viewers under the same names.
 * A viewer that controls the VM (the {@link GatewayInputs#controls} rule) is relayed both ways: its bytes go to the
 * VM's port, and what the VM's port sends goes to every controlling viewer attached to it. A watcher's port channel
 * is closed with the reason in the log, and so is a viewer's that loses control. The VM's port is opened for the
 * first controlling viewer and stays open for the rest of the VM's session (the guest sees one client, which is how
 * a single client would use it). A name stays offered after the VM's session ends, so viewers keep the channel id;
 * while the VM does not offer it, a viewer's port channel is closed with that reason.
 */
final class GatewayPorts {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");
    /**
     * Bytes from viewers that the VM has not taken yet, per port: a viewer that writes past it while the VM is slower
     * has its port channel closed instead of growing the queue.
     */
    static final long MAX_PENDING = 1L << 20;

    /** Registers a {@link ServerPort} as a service; the handle unregisters it. */
    interface Registrar {
        AutoCloseable register(ServerPort port);
    }

    private final LongPredicate controls;
    private final LongFunction<String> watchReason;
    private final Registrar registrar;
    private final Map<String, RelayedPort> ports = new ConcurrentHashMap<>();
    private final Map<String, AutoCloseable> registrations = new ConcurrentHashMap<>();
    /**
     * Refusals logged at INFO, so a viewer that links the port again and again (spice-gtk and ours retry) is named
     * once per port and reason; bounded, forgotten as a whole when full.
     */
    private final Set<String> toldRefused = ConcurrentHashMap.newKeySet();
    private static final int MAX_TOLD = 1024;

    GatewayPorts(LongPredicate controls, LongFunction<String> watchReason, Registrar registrar) {
        this.controls = controls;
        this.watchReason = watchReason;
        this.registrar = registrar;
    }

    /**
     * A VM session offers the ports {@code names}; {@code open} opens one of them on it. Names seen for the first
     * time are registered for the viewers.
     */
    synchronized void attached(List<String> names, Function<String, CompletableFuture<PortConnection>> open) {
        for (String name : names) {
            RelayedPort p = ports.computeIfAbsent(name, RelayedPort::new);
            p.upstream(open);
            if (!registrations.containsKey(name)) {
                registrations.put(name, registrar.register(p));
                LOG.log(Level.INFO, "gateway: the VM's port " + name + " is offered to viewers (relayed from the"
                        + " controlling viewer)");
            }
        }
    }

    /** The VM's session ended: every relayed port's viewers are closed, the names stay offered. */
    synchronized void detached() {
        ports.values().forEach(p -> p.upstream(null));
    }

    /** The names offered to viewers. */
    Set<String> names() {
        return Set.copyOf(registrations.keySet());
    }

    /** Withdraws every port. */
    synchronized void close() {
        ports.values().forEach(RelayedPort::shutdown);
        for (AutoCloseable r : registrations.values()) {
            try {
                r.close();
            } catch (Exception alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
        }
        registrations.clear();
        ports.clear();
    }

    /** One VM port, offered to viewers under its name. */
    private final class RelayedPort implements ServerPort {
        private final String name;
        private final Set<PortPeer> peers = ConcurrentHashMap.newKeySet();
        /** Writes to the VM, which may block while the VM is slow: never on a viewer's channel thread. */
        private final ExecutorService writer;
        private final AtomicLong pending = new AtomicLong();
        /** How this VM session opens the port; null while no session offers it. */
        private Function<String, CompletableFuture<PortConnection>> opener;
        /** The VM's port, once a controlling viewer came in this session. */
        private CompletableFuture<PortConnection> connection;

        RelayedPort(String name) {
            this.name = name;
            this.writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "spice-gateway-port-" + name);
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public String name() {
            return name;
        }

        synchronized void upstream(Function<String, CompletableFuture<PortConnection>> open) {
            CompletableFuture<PortConnection> old = connection;
            connection = null;
            opener = open;
            if (old != null) {
                old.thenAccept(PortConnection::close);
                closeAll("the VM's session ended");
            }
        }

        void shutdown() {
            upstream(null);
            writer.shutdownNow();
        }

        @Override
        public PortHandler open(PortPeer peer) {
            long id = peer.connectionId();
            if (!controls.test(id)) {
                refuse(peer, watchReason.apply(id));
                return data -> { };
            }
            // Attached before the VM's port opens, so nothing the VM sends at once (QEMU's monitor banner) is missed.
            peers.add(peer);
            CompletableFuture<PortConnection> c = connection();
            if (c == null) {
                peers.remove(peer);
                refuse(peer, "the VM offers no port " + name + " now");
                return data -> { };
            }
            LOG.log(Level.INFO, "gateway: viewer 0x" + Long.toHexString(id) + " uses the VM's port " + name);
            return new PortHandler() {
                @Override
                public void onData(byte[] data) {
                    if (!controls.test(id)) {
                        peers.remove(peer);
                        refuse(peer, watchReason.apply(id));
                        return;
                    }
                    if (pending.addAndGet(data.length) > MAX_PENDING) {
                        pending.addAndGet(-data.length);
                        peers.remove(peer);
                        refuse(peer, "it sent " + MAX_PENDING + " bytes more than the VM's port took");
                        return;
                    }
                    writer.execute(() -> write(c, data));
                }

                @Override
                public void onClose() {
                    peers.remove(peer);
                }
            };
        }

        /** The VM's port for this session, opened for the first controlling viewer; null when there is none. */
        private synchronized CompletableFuture<PortConnection> connection() {
            if (connection == null && opener != null) {
                CompletableFuture<PortConnection> c = opener.apply(name);
                connection = c;
                c.whenComplete((conn, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "gateway: cannot open the VM's port " + name + ": " + failure);
                        dropped(c, "the VM's port " + name + " did not open");
                    } else {
                        Thread t = new Thread(() -> readVm(c, conn), "spice-gateway-port-" + name + "-vm");
                        t.setDaemon(true);
                        t.start();
                    }
                });
            }
            return connection;
        }

        /** Copies what the VM's port sends to every controlling viewer attached, until the port ends. */
        private void readVm(CompletableFuture<PortConnection> c, PortConnection conn) {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = conn.input()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    byte[] data = Arrays.copyOf(buf, n);
                    for (PortPeer p : peers) {
                        p.send(data);
                    }
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "gateway: reading the VM's port " + name + ": " + e);
            }
            dropped(c, "the VM's port " + name + " closed");
        }

        private void write(CompletableFuture<PortConnection> c, byte[] data) {
            try {
                c.join().output().write(data);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "gateway: writing to the VM's port " + name + ": " + e);
            } finally {
                pending.addAndGet(-data.length);
            }
        }

        /** The VM's port {@code c} is gone: its viewers are closed, and the next controller opens it again. */
        private synchronized void dropped(CompletableFuture<PortConnection> c, String why) {
            if (connection == c) {
                connection = null;
                closeAll(why);
            }
        }

        private void closeAll(String why) {
            for (PortPeer p : peers) {
                peers.remove(p);
                LOG.log(Level.INFO, "gateway: closing viewer 0x" + Long.toHexString(p.connectionId()) + "'s port "
                        + name + ": " + why);
                p.close();
            }
        }

        private void refuse(PortPeer peer, String why) {
            String line = "gateway: refusing viewer 0x" + Long.toHexString(peer.connectionId()) + " the port " + name
                    + ": " + why;
            if (toldRefused.size() >= MAX_TOLD) {
                toldRefused.clear();
            }
            LOG.log(toldRefused.add(line) ? Level.INFO : Level.DEBUG, line);
            peer.close();
        }
    }
}
