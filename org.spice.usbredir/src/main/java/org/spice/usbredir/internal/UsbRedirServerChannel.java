package org.spice.usbredir.internal;

import java.util.Optional;
import org.spice.usbredir.internal.wire.UsbRedirMessages;
import io.netty.buffer.ByteBuf;
import java.util.Hashtable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.UsbIdentity;
import org.spice.usbredir.api.UsbRedirFilter;
import org.spice.usbredir.api.UsbTransfer;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Bytes;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Frame;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Packet;

/** One usbredir channel in the guest role: one device at a time. */
final class UsbRedirServerChannel implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.usbredir");

    private record Pending(UsbRedirServerDevice owner, CompletableFuture<Object> reply) {
    }

    private final UsbRedirServerFactory owner;
    final ServerChannelContext ctx;
    private final UsbRedirStream stream;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private UsbRedirMessages.InterfaceInfo ifaces;
    private UsbRedirMessages.EpInfo eps;
    private UsbRedirServerDevice device;
    /** Interrupt IN endpoints of the device, by address; the channel's thread only. */
    private final Map<Integer, InterruptIn> interruptIn = new java.util.HashMap<>();

    /** Packets from one interrupt IN endpoint nobody asked for yet, and requests waiting for one. */
    private static final class InterruptIn {
        final java.util.ArrayDeque<UsbTransfer> packets = new java.util.ArrayDeque<>();
        final java.util.ArrayDeque<CompletableFuture<UsbTransfer>> waiting = new java.util.ArrayDeque<>();
        boolean receiving;
        boolean toldDropping;
    }

    UsbRedirServerChannel(UsbRedirServerFactory owner, ServerChannelContext ctx) {
        this.owner = owner;
        this.ctx = ctx;
        this.stream = new UsbRedirStream(ctx, this::onFrame);
        stream.sendHello();
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        stream.onMessage(type, body);
    }

    @Override
    public void onClose() {
        stream.release();
        if (device != null) {
            device.gone();
            device = null;
        }
    }

    private void onFrame(Frame f) {
        Packet p = f.packet();
        switch (p.type()) {
            case UsbRedirMessages.HELLO -> {
                if (!owner.filter.isEmpty() && stream.negotiation().both(UsbRedirMessages.CAP_FILTER)) {
                    stream.send(0, new UsbRedirMessages.FilterFilter(owner.filter.toString()));
                }
            }
            case UsbRedirMessages.INTERFACE_INFO -> ifaces = (UsbRedirMessages.InterfaceInfo) p;
            case UsbRedirMessages.EP_INFO -> eps = (UsbRedirMessages.EpInfo) p;
            case UsbRedirMessages.DEVICE_CONNECT -> connect((UsbRedirMessages.DeviceConnect) p);
            case UsbRedirMessages.DEVICE_DISCONNECT -> {
                if (device != null) {
                    LOG.log(System.Logger.Level.INFO, "{0} disconnected", device);
                    device.gone();
                    device = null;
                }
                ifaces = null;
                eps = null;
                if (stream.negotiation().both(UsbRedirMessages.CAP_DEVICE_DISCONNECT_ACK)) {
                    stream.send(0, new UsbRedirMessages.Empty(UsbRedirMessages.DEVICE_DISCONNECT_ACK));
                }
            }
            case UsbRedirMessages.CONFIGURATION_STATUS, UsbRedirMessages.CONTROL_PACKET,
                    UsbRedirMessages.BULK_PACKET, UsbRedirMessages.ALT_SETTING_STATUS -> {
                Pending r = pending.remove(f.id());
                if (r != null) {
                    r.reply.complete(p);
                }
            }
            case UsbRedirMessages.INTERRUPT_PACKET -> {
                UsbRedirMessages.StreamPacket sp = (UsbRedirMessages.StreamPacket) p;
                Pending r = (sp.endpoint() & 0x80) == 0 ? pending.remove(f.id()) : null;
                if (r != null) {
                    r.reply.complete(p); // the status of an OUT transfer
                } else if ((sp.endpoint() & 0x80) != 0) {
                    interruptData(sp.endpoint(), new UsbTransfer(sp.status(), sp.data()));
                }
            }
            case UsbRedirMessages.INTERRUPT_RECEIVING_STATUS -> {
                Bytes b = (Bytes) p;
                if (b.field(0) != UsbRedirMessages.STATUS_SUCCESS) {
                    interruptData(b.field(1), new UsbTransfer(b.field(0), null));
                }
            }
            default -> {
                // statuses of streams we never start: nothing to do
            }
        }
    }

    private void connect(UsbRedirMessages.DeviceConnect info) {
        if (device != null) {
            LOG.log(System.Logger.Level.WARNING, "{0}: device_connect while {1} is connected; replacing it",
                    ctx.describe(), device);
            device.gone();
            device = null;
        }
        UsbIdentity identity = identity(info, ifaces);
        if (!owner.filter.isEmpty()) {
            UsbRedirFilter.Verdict v = owner.filter.check(identity, 0);
            if (v != UsbRedirFilter.Verdict.ALLOW) {
                LOG.log(System.Logger.Level.WARNING, "refusing USB {0} (class {1}) from {2}: {3} by the usbredir"
                        + " filter {4}", identity.ids(), String.format("%02x", identity.deviceClass()),
                        ctx.describe(), v == UsbRedirFilter.Verdict.DENY ? "blocked" : "not allowed", owner.filter);
                if (stream.negotiation().both(UsbRedirMessages.CAP_FILTER)) {
                    stream.send(0, new UsbRedirMessages.Empty(UsbRedirMessages.FILTER_REJECT));
                }
                return;
            }
        }
        Optional<String> refused = owner.refusal(ctx.connectionId(), ctx.channelId(), identity);
        if (refused.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "refusing USB " + identity.ids() + " from " + ctx.describe() + ": "
                    + refused.get());
            if (stream.negotiation().both(UsbRedirMessages.CAP_FILTER)) {
                stream.send(0, new UsbRedirMessages.Empty(UsbRedirMessages.FILTER_REJECT));
            }
            return;
        }
        UsbRedirServerDevice d = new UsbRedirServerDevice(owner, this, info, identity, ifaces, eps);
        device = d;
        owner.devices.add(d);
        LOG.log(System.Logger.Level.INFO, "{0} connected", d);
        if (owner.bundleContext != null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("usb.vendor", info.vendorId());
            props.put("usb.product", info.productId());
            props.put("spice.connection.id", ctx.connectionId());
            d.registration = owner.bundleContext.registerService(RedirectedUsbDevice.class, d, props);
        }
    }

    /** Sends {@code p} for {@code d} from any thread; the reply completes the future. */
    CompletableFuture<Object> request(UsbRedirServerDevice d, Packet p) {
        if (!d.connected) {
            return CompletableFuture.failedFuture(new IllegalStateException(d + " is not connected"));
        }
        long id = ids.incrementAndGet();
        CompletableFuture<Object> f = new CompletableFuture<>();
        pending.put(id, new Pending(d, f));
        if (!d.connected) { // went while we queued: gone() may have missed this one
            pending.remove(id);
            f.complete(UsbRedirServerFactory.GONE);
            return f;
        }
        ctx.executor().execute(() -> stream.send(id, p));
        return f;
    }

    /** The next packet of interrupt IN endpoint {@code ep} of {@code d}; receiving starts at the first request. */
    CompletableFuture<UsbTransfer> interruptIn(UsbRedirServerDevice d, int ep) {
        CompletableFuture<UsbTransfer> f = new CompletableFuture<>();
        ctx.executor().execute(() -> {
            if (device != d || !d.connected) {
                f.complete(UsbRedirServerDevice.cancelled());
                return;
            }
            InterruptIn in = interruptIn.computeIfAbsent(ep, k -> new InterruptIn());
            UsbTransfer queued = in.packets.poll();
            if (queued != null) {
                f.complete(queued);
            } else if (in.waiting.size() >= RedirectedUsbDevice.INTERRUPT_QUEUE) {
                f.complete(new UsbTransfer(UsbTransfer.INVAL, null));
            } else {
                in.waiting.add(f);
                if (!in.receiving) {
                    in.receiving = true;
                    stream.send(ids.incrementAndGet(), Bytes.of(UsbRedirMessages.START_INTERRUPT_RECEIVING, ep));
                }
            }
        });
        return f;
    }

    /** A packet (or a failed status, which ends receiving) from interrupt IN endpoint {@code ep}. */
    private void interruptData(int ep, UsbTransfer t) {
        InterruptIn in = interruptIn.get(ep);
        if (in == null) {
            return; // never asked for
        }
        if (!t.succeeded()) {
            in.receiving = false;
        }
        CompletableFuture<UsbTransfer> waiter = in.waiting.poll();
        if (waiter != null) {
            waiter.complete(t);
            return;
        }
        if (in.packets.size() >= RedirectedUsbDevice.INTERRUPT_QUEUE) {
            in.packets.poll();
            if (!in.toldDropping) {
                in.toldDropping = true;
                LOG.log(System.Logger.Level.INFO, "{0}: interrupt endpoint {1} sends faster than it is read;"
                        + " dropping its oldest packets", device, String.format("0x%02x", ep));
            }
        }
        in.packets.add(t);
    }

    /** Completes the requests still pending for {@code d} with {@link #UsbRedirServerFactory.GONE}. */
    void dropPending(UsbRedirServerDevice d) {
        for (InterruptIn in : interruptIn.values()) {
            in.waiting.forEach(w -> w.complete(UsbRedirServerDevice.cancelled()));
        }
        interruptIn.clear();
        for (Map.Entry<Long, Pending> e : List.copyOf(pending.entrySet())) {
            if (e.getValue().owner == d && pending.remove(e.getKey(), e.getValue())) {
                e.getValue().reply.complete(UsbRedirServerFactory.GONE);
            }
        }
    }

    private static UsbIdentity identity(UsbRedirMessages.DeviceConnect info, UsbRedirMessages.InterfaceInfo i) {
        List<UsbIdentity.InterfaceClass> ifs = new ArrayList<>();
        for (int k = 0; i != null && k < i.count(); k++) {
            ifs.add(new UsbIdentity.InterfaceClass(i.cls()[k], i.subclass()[k], i.protocol()[k]));
        }
        return new UsbIdentity(info.deviceClass(), info.deviceSubclass(), info.deviceProtocol(), info.vendorId(),
                info.productId(), info.deviceVersionBcd(), ifs);
    }
}
