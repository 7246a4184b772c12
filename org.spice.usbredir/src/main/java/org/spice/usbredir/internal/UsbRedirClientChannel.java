package org.spice.usbredir.internal;

import org.spice.usbredir.internal.wire.UsbRedirMessages;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbIdentity;
import org.spice.usbredir.api.UsbRedirFilter;
import org.spice.usbredir.api.UsbTransfer;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Bytes;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Frame;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Packet;

/** One usbredir channel in the host role. All methods run on the channel's thread. */
final class UsbRedirClientChannel implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.usbredir");

    /** A transfer running on the device: the reply to send when it completes. */
    private record InFlight(UsbRedirSharedDevice owner, long replyId, CompletableFuture<UsbTransfer> transfer,
            Function<UsbTransfer, Packet> reply) {
    }

    final ClientChannelContext ctx;
    private final UsbRedirChannelSlot slot;
    private final Runnable forget;
    private final UsbRedirStream stream;
    private final Map<Long, InFlight> inFlight = new LinkedHashMap<>();
    private final Set<Integer> interruptReceiving = new HashSet<>();
    private boolean helloReceived;
    private boolean open = true;
    /** The device announced on this channel, or null. */
    private UsbRedirSharedDevice current;
    private DeviceAnnouncement announced;
    /** A device_disconnect was sent and the server has not acknowledged it yet. */
    private UsbRedirSharedDevice awaitingAck;
    private UsbRedirFilter serverFilter = UsbRedirFilter.NONE;
    private int configuration;
    /** The alternate setting the server set on each interface (by number); absent ones are at 0. */
    private final Map<Integer, Integer> altSettings = new HashMap<>();

    UsbRedirClientChannel(ClientChannelContext ctx, UsbRedirChannelSlot slot, Runnable forget) {
        this.ctx = ctx;
        this.slot = slot;
        this.forget = forget;
        this.stream = new UsbRedirStream(ctx, this::onFrame);
        stream.sendHello();
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        stream.onMessage(type, body);
    }

    @Override
    public void onClose() {
        open = false;
        stream.release();
        forget.run();
        cancelInFlight();
        UsbRedirSharedDevice offered;
        synchronized (slot) {
            offered = slot.offered;
            slot.host = null;
            slot.offered = null;
        }
        for (UsbRedirSharedDevice s : new UsbRedirSharedDevice[] {current, awaitingAck, offered}) {
            if (s != null) {
                s.end(null);
                s.removed.complete(null);
            }
        }
        current = null;
        awaitingAck = null;
    }

    private void send(long id, Packet p) {
        stream.send(id, p);
    }

    /** Announces the offered device when the channel is ready for one. */
    void offer() {
        UsbRedirSharedDevice s;
        synchronized (slot) {
            s = slot.offered;
        }
        if (!open || !helloReceived || current != null || awaitingAck != null || s == null || s.closed.isDone()) {
            return;
        }
        UsbDevice d = s.device;
        DeviceAnnouncement a = DeviceAnnouncement.of(d.speed(), d.deviceDescriptor(), d.configurationDescriptor());
        if (!serverFilter.isEmpty() && !serverFilter.allows(UsbIdentity.of(d.deviceDescriptor(),
                d.configurationDescriptor()), 0)) {
            LOG.log(System.Logger.Level.WARNING, "not sharing {0} on {1}: the server''s USB filter {2} refuses"
                    + " it", d.describe(), ctx.describe(), serverFilter);
            refused(s);
            return;
        }
        current = s;
        announced = a;
        configuration = 0;
        altSettings.clear();
        send(0, a.interfaces());
        send(0, a.endpoints());
        send(0, a.connect());
        LOG.log(System.Logger.Level.INFO, "sharing {0} on {1}", d.describe(), ctx.describe());
        s.connected.complete(null);
    }

    private void refused(UsbRedirSharedDevice s) {
        synchronized (slot) {
            if (slot.offered == s) {
                slot.offered = null;
            }
        }
        s.end(new IllegalStateException(s.device.describe() + " was refused by the server's USB filter"));
        s.removed.complete(null);
    }

    /** Takes the device away: cancels its transfers, then device_disconnect. */
    void remove(UsbRedirSharedDevice s) {
        synchronized (slot) {
            if (slot.offered == s) {
                slot.offered = null;
            }
        }
        if (current != s) { // never announced, or already gone
            s.end(null);
            s.removed.complete(null);
            return;
        }
        LOG.log(System.Logger.Level.INFO, "removing {0} from {1}", s.device.describe(), ctx.describe());
        disconnectCurrent();
        s.end(null);
        if (stream.negotiation().both(UsbRedirMessages.CAP_DEVICE_DISCONNECT_ACK)) {
            awaitingAck = s;
        } else {
            s.removed.complete(null);
            offer();
        }
    }

    private void disconnectCurrent() {
        cancelInFlight();
        interruptReceiving.clear();
        current = null;
        announced = null;
        send(0, new UsbRedirMessages.Empty(UsbRedirMessages.DEVICE_DISCONNECT));
    }

    /** Cancels the device's pending transfers; the server drops their replies once the device is gone. */
    private void cancelInFlight() {
        List<InFlight> all = List.copyOf(inFlight.values());
        inFlight.clear();
        for (InFlight f : all) {
            f.transfer.cancel(false);
        }
    }

    /** Runs the device's transfer and replies with {@code id} when it completes, on this channel's thread. */
    private void run(long id, CompletableFuture<UsbTransfer> transfer, Function<UsbTransfer, Packet> reply) {
        run(id, id, transfer, reply);
    }

    /** As {@link #run(long, CompletableFuture, Function)}, tracked under {@code key}. */
    private void run(long key, long replyId, CompletableFuture<UsbTransfer> transfer,
            Function<UsbTransfer, Packet> reply) {
        long id = key;
        UsbRedirSharedDevice owner = current;
        InFlight f = new InFlight(owner, replyId, transfer, reply);
        inFlight.put(id, f);
        transfer.whenComplete((t, e) -> {
            if (ctx.executor() instanceof EventExecutor loop && loop.inEventLoop()) {
                completed(id, f, t, e); // at once, so transfers that complete at once keep their order
            } else {
                ctx.executor().execute(() -> completed(id, f, t, e));
            }
        });
    }

    private void completed(long id, InFlight f, UsbTransfer t, Throwable e) {
        if (!open || inFlight.get(id) != f) {
            return; // cancelled, or the device is gone
        }
        inFlight.remove(id);
        if (e != null) {
            LOG.log(System.Logger.Level.DEBUG, "usbredir transfer {0} failed: {1}", id, e);
            t = new UsbTransfer(UsbTransfer.IOERROR, null);
        }
        f.owner.transfers.incrementAndGet();
        send(f.replyId, f.reply.apply(t));
    }

    private void onFrame(Frame f) {
        long id = f.id();
        Packet p = f.packet();
        switch (p.type()) {
            case UsbRedirMessages.HELLO -> {
                LOG.log(System.Logger.Level.DEBUG, "usbredir peer {0} on {1}",
                        ((UsbRedirMessages.Hello) p).version(), ctx.describe());
                helloReceived = true;
                offer();
                return;
            }
            case UsbRedirMessages.FILTER_FILTER -> {
                String rules = ((UsbRedirMessages.FilterFilter) p).rules();
                try {
                    serverFilter = UsbRedirFilter.parse(rules);
                    LOG.log(System.Logger.Level.DEBUG, "usbredir filter of {0}: {1}", ctx.describe(), rules);
                } catch (IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring the usbredir filter of {0}: {1}",
                            ctx.describe(), e.getMessage());
                }
                return;
            }
            case UsbRedirMessages.FILTER_REJECT -> {
                UsbRedirSharedDevice s = current;
                if (s != null) {
                    LOG.log(System.Logger.Level.WARNING, "the server rejected {0} by its USB filter",
                            s.device.describe());
                    cancelInFlight();
                    interruptReceiving.clear();
                    current = null;
                    announced = null;
                    refused(s);
                }
                return;
            }
            case UsbRedirMessages.DEVICE_DISCONNECT_ACK -> {
                UsbRedirSharedDevice s = awaitingAck;
                awaitingAck = null;
                if (s != null) {
                    s.removed.complete(null);
                }
                offer();
                return;
            }
            default -> {
            }
        }
        if (current == null) {
            // no device, or packets for one removed before the server saw its device_disconnect: dropped
            LOG.log(System.Logger.Level.DEBUG, "usbredir packet {0} without a device on {1}", p.type(),
                    ctx.describe());
            return;
        }
        UsbDevice d = current.device;
        switch (p.type()) {
            case UsbRedirMessages.RESET -> {
                d.reset();
                configuration = 0;
                altSettings.clear();
            }
            case UsbRedirMessages.SET_CONFIGURATION -> {
                UsbTransfer t = setConfiguration(d, ((Bytes) p).field(0));
                send(id, Bytes.of(UsbRedirMessages.CONFIGURATION_STATUS, t.status(), configuration));
            }
            case UsbRedirMessages.GET_CONFIGURATION -> send(id, Bytes.of(UsbRedirMessages.CONFIGURATION_STATUS,
                    UsbRedirMessages.STATUS_SUCCESS, configuration));
            case UsbRedirMessages.SET_ALT_SETTING -> {
                Bytes b = (Bytes) p;
                UsbTransfer t = setInterface(d, b.field(0), b.field(1));
                send(id, Bytes.of(UsbRedirMessages.ALT_SETTING_STATUS, t.status(), b.field(0),
                        altSettings.getOrDefault(b.field(0), 0)));
            }
            case UsbRedirMessages.GET_ALT_SETTING -> {
                // as usbredirhost: an interface the configuration lacks is invalid, alt setting 0xff
                int iface = ((Bytes) p).field(0);
                boolean known = configuration != 0 && hasInterface(iface);
                send(id, Bytes.of(UsbRedirMessages.ALT_SETTING_STATUS, known ? UsbRedirMessages.STATUS_SUCCESS
                        : UsbRedirMessages.STATUS_INVAL, iface, known ? altSettings.getOrDefault(iface, 0) : 0xff));
            }
            case UsbRedirMessages.START_ISO_STREAM, UsbRedirMessages.STOP_ISO_STREAM -> {
                int ep = ((Bytes) p).field(0);
                if (p.type() == UsbRedirMessages.START_ISO_STREAM) {
                    LOG.log(System.Logger.Level.WARNING, "refusing an isochronous stream on endpoint {0} of {1}:"
                            + " isochronous transfers are not supported", String.format("0x%02x", ep),
                            d.describe());
                }
                send(id, Bytes.of(UsbRedirMessages.ISO_STREAM_STATUS, UsbRedirMessages.STATUS_INVAL, ep));
            }
            case UsbRedirMessages.START_INTERRUPT_RECEIVING -> startInterruptReceiving(id, ((Bytes) p).field(0));
            case UsbRedirMessages.STOP_INTERRUPT_RECEIVING -> {
                int ep = ((Bytes) p).field(0);
                interruptReceiving.remove(ep);
                send(id, Bytes.of(UsbRedirMessages.INTERRUPT_RECEIVING_STATUS, UsbRedirMessages.STATUS_SUCCESS,
                        ep));
            }
            case UsbRedirMessages.ALLOC_BULK_STREAMS, UsbRedirMessages.FREE_BULK_STREAMS -> send(id,
                    new UsbRedirMessages.BulkStreams(UsbRedirMessages.BULK_STREAMS_STATUS,
                            ((UsbRedirMessages.BulkStreams) p).endpoints(), 0, UsbRedirMessages.STATUS_INVAL));
            case UsbRedirMessages.START_BULK_RECEIVING, UsbRedirMessages.STOP_BULK_RECEIVING -> {
                UsbRedirMessages.BulkReceiving b = (UsbRedirMessages.BulkReceiving) p;
                send(id, new UsbRedirMessages.BulkReceiving(UsbRedirMessages.BULK_RECEIVING_STATUS,
                        b.streamId(), 0, b.endpoint(), UsbRedirMessages.STATUS_INVAL));
            }
            case UsbRedirMessages.CONTROL_PACKET -> control(id, (UsbRedirMessages.ControlPacket) p);
            case UsbRedirMessages.BULK_PACKET -> {
                UsbRedirMessages.BulkPacket b = (UsbRedirMessages.BulkPacket) p;
                boolean in = (b.endpoint() & 0x80) != 0;
                run(id, d.bulk(b.endpoint(), in ? null : b.data(), in ? b.length() : 0),
                        t -> new UsbRedirMessages.BulkPacket(b.endpoint(), t.status(),
                                in ? t.data().length : b.length(), b.streamId(),
                                in ? t.data() : UsbRedirMessages.EMPTY));
            }
            case UsbRedirMessages.INTERRUPT_PACKET -> {
                UsbRedirMessages.StreamPacket s = (UsbRedirMessages.StreamPacket) p;
                if ((s.endpoint() & 0x80) != 0) { // IN data comes through interrupt receiving
                    send(id, new UsbRedirMessages.StreamPacket(s.type(), s.endpoint(),
                            UsbRedirMessages.STATUS_INVAL, 0, UsbRedirMessages.EMPTY));
                } else {
                    run(id, d.interrupt(s.endpoint(), s.data(), 0), t -> new UsbRedirMessages.StreamPacket(
                            UsbRedirMessages.INTERRUPT_PACKET, s.endpoint(), t.status(), s.length(),
                            UsbRedirMessages.EMPTY));
                }
            }
            case UsbRedirMessages.ISO_PACKET -> {
                UsbRedirMessages.StreamPacket s = (UsbRedirMessages.StreamPacket) p;
                send(id, new UsbRedirMessages.StreamPacket(s.type(), s.endpoint(), UsbRedirMessages.STATUS_INVAL,
                        0, UsbRedirMessages.EMPTY));
            }
            case UsbRedirMessages.CANCEL_DATA_PACKET -> {
                InFlight x = inFlight.remove(id);
                if (x != null) { // still running: cancel it and say so under its id
                    x.transfer.cancel(false);
                    send(x.replyId, x.reply.apply(new UsbTransfer(UsbTransfer.CANCELLED, null)));
                }
            }
            default -> LOG.log(System.Logger.Level.WARNING, "usbredir packet {0} is not for the device side",
                    p.type());
        }
    }

    /** Polls an interrupt IN endpoint and sends each result as an interrupt_packet until told to stop. */
    private void startInterruptReceiving(long id, int ep) {
        boolean ok = (ep & 0x80) != 0 && announced.endpointType(ep) == UsbRedirMessages.EP_TYPE_INTERRUPT;
        send(id, Bytes.of(UsbRedirMessages.INTERRUPT_RECEIVING_STATUS,
                ok ? UsbRedirMessages.STATUS_SUCCESS : UsbRedirMessages.STATUS_INVAL, ep));
        if (ok && interruptReceiving.add(ep)) {
            pollInterrupt(current, ep);
        }
    }

    private void pollInterrupt(UsbRedirSharedDevice owner, int ep) {
        if (current != owner || !interruptReceiving.contains(ep)) {
            return;
        }
        // tracked under a key of its own (no request has a negative id); the packets carry id 0
        run(-1 - ep, 0, owner.device.interrupt(ep, null, Math.max(1, announced.maxPacketSize(ep))), t -> {
            if (t.succeeded()) {
                ctx.executor().execute(() -> pollInterrupt(owner, ep));
            } else {
                interruptReceiving.remove(ep);
            }
            return new UsbRedirMessages.StreamPacket(UsbRedirMessages.INTERRUPT_PACKET, ep, t.status(),
                    t.data().length, t.data());
        });
    }

    private void control(long id, UsbRedirMessages.ControlPacket c) {
        UsbDevice d = current.device;
        CompletableFuture<UsbTransfer> t;
        if (c.requestType() == 0x80 && c.request() == 6) {
            t = CompletableFuture.completedFuture(descriptor(d, c.value() >> 8, c.value() & 0xff));
        } else if (c.requestType() == 0x80 && c.request() == 8) {
            t = CompletableFuture.completedFuture(UsbTransfer.ok(new byte[] {(byte) configuration}));
        } else if (c.requestType() == 0x00 && c.request() == 9) {
            t = CompletableFuture.completedFuture(setConfiguration(d, c.value() & 0xff));
        } else if (c.requestType() == 0x01 && c.request() == 11) {
            t = CompletableFuture.completedFuture(setInterface(d, c.index() & 0xff, c.value() & 0xff));
        } else {
            t = d.control(c.requestType(), c.request(), c.value(), c.index(), c.length(), c.data());
        }
        run(id, t, r -> {
            byte[] data = !c.in() ? UsbRedirMessages.EMPTY : r.data().length > c.length()
                    ? Arrays.copyOf(r.data(), c.length()) : r.data();
            return new UsbRedirMessages.ControlPacket(c.endpoint(), c.request(), c.requestType(), r.status(),
                    c.value(), c.index(), c.in() ? data.length : c.length(), data);
        });
    }

    /**
     * SET_CONFIGURATION, from a packet or a control request: 0 or the device's one configuration value is
     * passed to the device; any other value stalls. Every interface is back at alternate setting 0.
     */
    private UsbTransfer setConfiguration(UsbDevice d, int value) {
        byte[] cfg = d.configurationDescriptor();
        int own = cfg.length > 5 ? cfg[5] & 0xff : 1;
        if (value != 0 && value != own) {
            LOG.log(System.Logger.Level.INFO, "configuration {0} refused for {1}: it has configuration {2} only",
                    value, d.describe(), own);
            return UsbTransfer.stall();
        }
        UsbTransfer t = d.setConfiguration(value);
        if (t.succeeded()) {
            configuration = value;
            altSettings.clear();
            if (value != 0) {
                current.configured.complete(null);
            }
        }
        return t;
    }

    /** SET_INTERFACE, from a packet or a control request; remembers the setting when the device took it. */
    private UsbTransfer setInterface(UsbDevice d, int iface, int alt) {
        if (!hasInterface(iface)) {
            return new UsbTransfer(UsbTransfer.INVAL, null);
        }
        UsbTransfer t = d.setInterface(iface, alt);
        if (t.succeeded()) {
            altSettings.put(iface, alt);
        }
        return t;
    }

    private boolean hasInterface(int iface) {
        UsbRedirMessages.InterfaceInfo info = announced.interfaces();
        for (int i = 0; i < info.count(); i++) {
            if (info.iface()[i] == iface) {
                return true;
            }
        }
        return false;
    }

    private static UsbTransfer descriptor(UsbDevice d, int type, int index) {
        return switch (type) {
            case 1 -> UsbTransfer.ok(d.deviceDescriptor());
            case 2 -> index == 0 ? UsbTransfer.ok(d.configurationDescriptor()) : UsbTransfer.stall();
            case 3 -> {
                if (index == 0) {
                    yield UsbTransfer.ok(new byte[] {4, 3, 0x09, 0x04});
                }
                String s = d.string(index);
                if (s == null) {
                    yield UsbTransfer.stall();
                }
                byte[] u = s.getBytes(StandardCharsets.UTF_16LE);
                byte[] r = new byte[Math.min(u.length + 2, 254)];
                r[0] = (byte) r.length;
                r[1] = 3;
                System.arraycopy(u, 0, r, 2, r.length - 2);
                yield UsbTransfer.ok(r);
            }
            case 6 -> { // device qualifier, for high-speed devices
                byte[] dd = d.deviceDescriptor();
                yield d.speed() == UsbDevice.SPEED_HIGH ? UsbTransfer.ok(new byte[] {10, 6, dd[2], dd[3], dd[4],
                    dd[5], dd[6], dd[7], dd[17], 0}) : UsbTransfer.stall();
            }
            default -> UsbTransfer.stall();
        };
    }
}
