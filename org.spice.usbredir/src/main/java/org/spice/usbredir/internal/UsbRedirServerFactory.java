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
import org.osgi.service.component.annotations.Deactivate;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.RedirectedUsbDevices;
import org.spice.usbredir.api.UsbTransfer;
import org.spice.usbredir.internal.UsbRedirMessages.Bytes;
import org.spice.usbredir.internal.UsbRedirMessages.Frame;
import org.spice.usbredir.internal.UsbRedirMessages.Packet;

/**
 * The server side of the usbredir channel: the usbredir "guest" that drives a device a client redirects. Each
 * connected device is listed by {@link #devices()} and, under OSGi, registered as a {@link RedirectedUsbDevice}
 * service until it disconnects.
 */
@Component(property = ServerChannelFactory.CHANNEL_TYPE + ":Integer=" + ChannelType.USBREDIR)
public final class UsbRedirServerFactory implements ServerChannelFactory, RedirectedUsbDevices {
    private final List<RedirectedUsbDevice> devices = new CopyOnWriteArrayList<>();
    private volatile BundleContext bundleContext;

    @Activate
    void activate(BundleContext bc) {
        bundleContext = bc;
    }

    @Deactivate
    void deactivate() {
        bundleContext = null;
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

    /** One usbredir channel in the guest role, with the device it carries once connected. */
    private final class Guest implements ChannelHandler, RedirectedUsbDevice {
        private final ServerChannelContext ctx;
        private final UsbRedirStream stream;
        private final AtomicLong ids = new AtomicLong();
        private final Map<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
        private volatile UsbRedirMessages.DeviceConnect info;
        private volatile UsbRedirMessages.InterfaceInfo ifaces;
        private volatile UsbRedirMessages.EpInfo eps;
        private volatile boolean connected;
        private ServiceRegistration<RedirectedUsbDevice> registration;

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
            gone("the usbredir channel closed");
        }

        private void gone(String why) {
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
            for (Long id : List.copyOf(pending.keySet())) {
                CompletableFuture<Object> f = pending.remove(id);
                if (f != null) {
                    f.completeExceptionally(new IllegalStateException(why));
                }
            }
        }

        private void onFrame(Frame f) {
            Packet p = f.packet();
            switch (p.type()) {
                case UsbRedirMessages.HELLO -> {
                }
                case UsbRedirMessages.INTERFACE_INFO -> ifaces = (UsbRedirMessages.InterfaceInfo) p;
                case UsbRedirMessages.EP_INFO -> eps = (UsbRedirMessages.EpInfo) p;
                case UsbRedirMessages.DEVICE_CONNECT -> {
                    info = (UsbRedirMessages.DeviceConnect) p;
                    connected = true;
                    devices.add(this);
                    BundleContext bc = bundleContext;
                    if (bc != null) {
                        Hashtable<String, Object> props = new Hashtable<>();
                        props.put("usb.vendor", info.vendorId());
                        props.put("usb.product", info.productId());
                        props.put("spice.connection.id", ctx.connectionId());
                        registration = bc.registerService(RedirectedUsbDevice.class, this, props);
                    }
                }
                case UsbRedirMessages.DEVICE_DISCONNECT -> {
                    gone("the client disconnected the device");
                    if (stream.negotiation().both(UsbRedirMessages.CAP_DEVICE_DISCONNECT_ACK)) {
                        stream.send(0, new UsbRedirMessages.Empty(UsbRedirMessages.DEVICE_DISCONNECT_ACK));
                    }
                }
                case UsbRedirMessages.CONFIGURATION_STATUS, UsbRedirMessages.CONTROL_PACKET,
                        UsbRedirMessages.BULK_PACKET, UsbRedirMessages.ALT_SETTING_STATUS -> {
                    CompletableFuture<Object> r = pending.remove(f.id());
                    if (r != null) {
                        r.complete(p);
                    }
                }
                default -> {
                    // statuses of streams we never start, filters: nothing to do
                }
            }
        }

        private CompletableFuture<Object> request(Packet p) {
            if (!connected) {
                return CompletableFuture.failedFuture(new IllegalStateException("the device is not connected"));
            }
            long id = ids.incrementAndGet();
            CompletableFuture<Object> f = new CompletableFuture<>();
            pending.put(id, f);
            ctx.executor().execute(() -> stream.send(id, p));
            return f;
        }

        @Override
        public CompletableFuture<Integer> setConfiguration(int configuration) {
            return request(Bytes.of(UsbRedirMessages.SET_CONFIGURATION, configuration)).thenApply(o -> {
                Bytes b = (Bytes) o;
                if (b.field(0) != UsbRedirMessages.STATUS_SUCCESS) {
                    throw new IllegalStateException("set_configuration failed with status " + b.field(0));
                }
                return b.field(1);
            });
        }

        @Override
        public CompletableFuture<UsbTransfer> control(int requestType, int request, int value, int index,
                int length, byte[] dataOut) {
            boolean in = (requestType & 0x80) != 0;
            byte[] d = in || dataOut == null ? UsbRedirMessages.EMPTY : dataOut;
            return request(new UsbRedirMessages.ControlPacket(in ? 0x80 : 0, request, requestType, 0, value, index,
                    in ? length : d.length, d)).thenApply(o -> {
                        UsbRedirMessages.ControlPacket c = (UsbRedirMessages.ControlPacket) o;
                        return new UsbTransfer(c.status(), c.data());
                    });
        }

        @Override
        public CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] dataOut, int lengthIn) {
            boolean in = (endpoint & 0x80) != 0;
            byte[] d = in || dataOut == null ? UsbRedirMessages.EMPTY : dataOut;
            return request(new UsbRedirMessages.BulkPacket(endpoint, 0, in ? lengthIn : d.length, 0, d))
                    .thenApply(o -> {
                        UsbRedirMessages.BulkPacket b = (UsbRedirMessages.BulkPacket) o;
                        return new UsbTransfer(b.status(), b.data());
                    });
        }

        @Override
        public long connectionId() {
            return ctx.connectionId();
        }

        @Override
        public int channelId() {
            return ctx.channelId();
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
            UsbRedirMessages.InterfaceInfo i = ifaces;
            List<Interface> out = new ArrayList<>();
            for (int k = 0; i != null && k < i.count(); k++) {
                out.add(new Interface(i.iface()[k], i.cls()[k], i.subclass()[k], i.protocol()[k]));
            }
            return out;
        }

        @Override
        public List<Endpoint> endpoints() {
            UsbRedirMessages.EpInfo e = eps;
            List<Endpoint> out = new ArrayList<>();
            for (int x = 0; e != null && x < 32; x++) {
                if (e.epType()[x] != UsbRedirMessages.EP_TYPE_INVALID && (x & 15) != 0) {
                    int addr = (x & 16) << 3 | x & 15;
                    out.add(new Endpoint(addr, e.epType()[x], e.interval()[x], e.iface()[x], e.maxPacketSize()[x]));
                }
            }
            return out;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public String toString() {
            UsbRedirMessages.DeviceConnect i = info;
            return i == null ? "usbredir device (not connected)" : String.format("USB %04x:%04x on %s",
                    i.vendorId(), i.productId(), ctx.describe());
        }
    }
}
