package org.spice.usbredir.internal;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.RedirectedUsbDevices;
import org.spice.usbredir.api.UsbIdentity;
import org.spice.usbredir.api.UsbRedirFilter;
import org.spice.usbredir.api.UsbTransfer;
import org.spice.usbredir.internal.UsbRedirMessages.Bytes;
import org.spice.usbredir.internal.UsbRedirMessages.Frame;
import org.spice.usbredir.internal.UsbRedirMessages.Packet;

/**
 * The server side of the usbredir channel: the usbredir "guest" that drives a device a client redirects. Each
 * connected device is listed by {@link #devices()} and, under OSGi, registered as a {@link RedirectedUsbDevice}
 * service until it disconnects. A configured filter is sent to clients and applied to each device_connect, as
 * QEMU's usb-redir does: a refused device gets a filter_reject and a log line. Several requests may be outstanding;
 * when the device goes, those still pending complete with {@link UsbTransfer#CANCELLED}, and the channel takes the
 * next device.
 */
@Component(configurationPid = "org.spice.usbredir.server",
        property = ServerChannelFactory.CHANNEL_TYPE + ":Integer=" + ChannelType.USBREDIR)
@Designate(ocd = UsbRedirServerConfig.class)
public final class UsbRedirServerFactory implements ServerChannelFactory, RedirectedUsbDevices {
    private static final System.Logger LOG = System.getLogger(UsbRedirServerFactory.class.getName());
    /** What a pending request completes with when its device goes. */
    private static final Object GONE = new Object();
    private final List<RedirectedUsbDevice> devices = new CopyOnWriteArrayList<>();
    private final BundleContext bundleContext;
    private final UsbRedirFilter filter;

    @Activate
    public UsbRedirServerFactory(BundleContext bundleContext, UsbRedirServerConfig config) {
        this.bundleContext = bundleContext;
        this.filter = UsbRedirFilter.parse(config.filter());
    }

    /** Outside OSGi: no services, devices accepted by {@code filter} (empty: all). */
    public UsbRedirServerFactory(UsbRedirFilter filter) {
        this.bundleContext = null;
        this.filter = filter;
    }

    @Override
    public int channelType() {
        return ChannelType.USBREDIR;
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE; // no LZ4
    }

    @Override
    public List<RedirectedUsbDevice> devices() {
        return List.copyOf(devices);
    }

    @Override
    public ChannelHandler open(ServerChannelContext ctx) {
        return new Guest(ctx);
    }

    private record Pending(Device owner, CompletableFuture<Object> reply) {
    }

    /** One usbredir channel in the guest role: one device at a time. */
    private final class Guest implements ChannelHandler {
        private final ServerChannelContext ctx;
        private final UsbRedirStream stream;
        private final AtomicLong ids = new AtomicLong();
        private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
        private UsbRedirMessages.InterfaceInfo ifaces;
        private UsbRedirMessages.EpInfo eps;
        private Device device;

        Guest(ServerChannelContext ctx) {
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
                    if (!filter.isEmpty() && stream.negotiation().both(UsbRedirMessages.CAP_FILTER)) {
                        stream.send(0, new UsbRedirMessages.FilterFilter(filter.toString()));
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
            if (!filter.isEmpty()) {
                UsbRedirFilter.Verdict v = filter.check(identity, 0);
                if (v != UsbRedirFilter.Verdict.ALLOW) {
                    LOG.log(System.Logger.Level.WARNING, "refusing USB {0} (class {1}) from {2}: {3} by the usbredir"
                            + " filter {4}", identity.ids(), String.format("%02x", identity.deviceClass()),
                            ctx.describe(), v == UsbRedirFilter.Verdict.DENY ? "blocked" : "not allowed", filter);
                    if (stream.negotiation().both(UsbRedirMessages.CAP_FILTER)) {
                        stream.send(0, new UsbRedirMessages.Empty(UsbRedirMessages.FILTER_REJECT));
                    }
                    return;
                }
            }
            Device d = new Device(this, info, identity, ifaces, eps);
            device = d;
            devices.add(d);
            LOG.log(System.Logger.Level.INFO, "{0} connected", d);
            if (bundleContext != null) {
                Hashtable<String, Object> props = new Hashtable<>();
                props.put("usb.vendor", info.vendorId());
                props.put("usb.product", info.productId());
                props.put("spice.connection.id", ctx.connectionId());
                d.registration = bundleContext.registerService(RedirectedUsbDevice.class, d, props);
            }
        }

        /** Sends {@code p} for {@code d} from any thread; the reply completes the future. */
        CompletableFuture<Object> request(Device d, Packet p) {
            if (!d.connected) {
                return CompletableFuture.failedFuture(new IllegalStateException(d + " is not connected"));
            }
            long id = ids.incrementAndGet();
            CompletableFuture<Object> f = new CompletableFuture<>();
            pending.put(id, new Pending(d, f));
            if (!d.connected) { // went while we queued: gone() may have missed this one
                pending.remove(id);
                f.complete(GONE);
                return f;
            }
            ctx.executor().execute(() -> stream.send(id, p));
            return f;
        }

        /** Completes the requests still pending for {@code d} with {@link #GONE}. */
        void dropPending(Device d) {
            for (Map.Entry<Long, Pending> e : List.copyOf(pending.entrySet())) {
                if (e.getValue().owner == d && pending.remove(e.getKey(), e.getValue())) {
                    e.getValue().reply.complete(GONE);
                }
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

    /** One device a client connected; a new one for each device_connect. */
    private final class Device implements RedirectedUsbDevice {
        private final Guest guest;
        private final UsbRedirMessages.DeviceConnect info;
        private final UsbIdentity identity;
        private final List<Interface> interfaces;
        private final List<Endpoint> endpoints;
        private volatile boolean connected = true;
        private ServiceRegistration<RedirectedUsbDevice> registration;

        Device(Guest guest, UsbRedirMessages.DeviceConnect info, UsbIdentity identity,
                UsbRedirMessages.InterfaceInfo i, UsbRedirMessages.EpInfo e) {
            this.guest = guest;
            this.info = info;
            this.identity = identity;
            List<Interface> ifs = new ArrayList<>();
            for (int k = 0; i != null && k < i.count(); k++) {
                ifs.add(new Interface(i.iface()[k], i.cls()[k], i.subclass()[k], i.protocol()[k]));
            }
            this.interfaces = List.copyOf(ifs);
            List<Endpoint> eps = new ArrayList<>();
            for (int x = 0; e != null && x < 32; x++) {
                if (e.epType()[x] != UsbRedirMessages.EP_TYPE_INVALID && (x & 15) != 0) {
                    int addr = (x & 16) << 3 | x & 15;
                    eps.add(new Endpoint(addr, e.epType()[x], e.interval()[x], e.iface()[x], e.maxPacketSize()[x]));
                }
            }
            this.endpoints = List.copyOf(eps);
        }

        /** On the channel's thread: unregisters, and completes what is still pending. */
        void gone() {
            connected = false;
            devices.remove(this);
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle stopped
                }
                registration = null;
            }
            guest.dropPending(this);
        }

        @Override
        public CompletableFuture<Integer> setConfiguration(int configuration) {
            return guest.request(this, Bytes.of(UsbRedirMessages.SET_CONFIGURATION, configuration)).thenApply(o -> {
                if (o == GONE) {
                    throw new IllegalStateException(this + " went before set_configuration completed");
                }
                Bytes b = (Bytes) o;
                if (b.field(0) != UsbRedirMessages.STATUS_SUCCESS) {
                    throw new IllegalStateException("set_configuration failed with status " + b.field(0));
                }
                return b.field(1);
            });
        }

        @Override
        public CompletableFuture<Integer> setAltSetting(int iface, int alt) {
            return altSettingStatus("set_alt_setting", Bytes.of(UsbRedirMessages.SET_ALT_SETTING, iface, alt));
        }

        @Override
        public CompletableFuture<Integer> altSetting(int iface) {
            return altSettingStatus("get_alt_setting", Bytes.of(UsbRedirMessages.GET_ALT_SETTING, iface));
        }

        /** Sends a packet the client answers with alt_setting_status [status, interface, alt]. */
        private CompletableFuture<Integer> altSettingStatus(String what, Bytes packet) {
            return guest.request(this, packet).thenApply(o -> {
                if (o == GONE) {
                    throw new IllegalStateException(this + " went before " + what + " completed");
                }
                Bytes b = (Bytes) o;
                if (b.field(0) != UsbRedirMessages.STATUS_SUCCESS) {
                    throw new IllegalStateException(what + " of interface " + b.field(1) + " failed with status "
                            + b.field(0));
                }
                return b.field(2);
            });
        }

        @Override
        public CompletableFuture<UsbTransfer> control(int requestType, int request, int value, int index,
                int length, byte[] dataOut) {
            boolean in = (requestType & 0x80) != 0;
            byte[] d = in || dataOut == null ? UsbRedirMessages.EMPTY : dataOut;
            return guest.request(this, new UsbRedirMessages.ControlPacket(in ? 0x80 : 0, request, requestType, 0,
                    value, index, in ? length : d.length, d)).thenApply(o -> o == GONE ? cancelled()
                            : new UsbTransfer(((UsbRedirMessages.ControlPacket) o).status(),
                                    ((UsbRedirMessages.ControlPacket) o).data()));
        }

        @Override
        public CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] dataOut, int lengthIn) {
            boolean in = (endpoint & 0x80) != 0;
            byte[] d = in || dataOut == null ? UsbRedirMessages.EMPTY : dataOut;
            return guest.request(this, new UsbRedirMessages.BulkPacket(endpoint, 0, in ? lengthIn : d.length, 0, d))
                    .thenApply(o -> o == GONE ? cancelled() : new UsbTransfer(((UsbRedirMessages.BulkPacket) o)
                            .status(), ((UsbRedirMessages.BulkPacket) o).data()));
        }

        private static UsbTransfer cancelled() {
            return new UsbTransfer(UsbTransfer.CANCELLED, null);
        }

        @Override
        public long connectionId() {
            return guest.ctx.connectionId();
        }

        @Override
        public int channelId() {
            return guest.ctx.channelId();
        }

        @Override
        public UsbIdentity identity() {
            return identity;
        }

        @Override
        public int speed() {
            return info.speed();
        }

        @Override
        public int deviceClass() {
            return info.deviceClass();
        }

        @Override
        public int deviceSubclass() {
            return info.deviceSubclass();
        }

        @Override
        public int deviceProtocol() {
            return info.deviceProtocol();
        }

        @Override
        public int vendorId() {
            return info.vendorId();
        }

        @Override
        public int productId() {
            return info.productId();
        }

        @Override
        public int deviceVersionBcd() {
            return info.deviceVersionBcd();
        }

        @Override
        public List<Interface> interfaces() {
            return interfaces;
        }

        @Override
        public List<Endpoint> endpoints() {
            return endpoints;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public String toString() {
            return String.format("USB %04x:%04x on %s", info.vendorId(), info.productId(), guest.ctx.describe());
        }
    }
}
