package org.spice.usbredir.internal;

import org.spice.usbredir.internal.wire.UsbRedirMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.ServiceRegistration;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.UsbIdentity;
import org.spice.usbredir.api.UsbTransfer;
import org.spice.usbredir.internal.wire.UsbRedirMessages.Bytes;

/** One device a client connected; a new one for each device_connect. */
final class UsbRedirServerDevice implements RedirectedUsbDevice {
    private final UsbRedirServerFactory owner;
    private final UsbRedirServerChannel guest;
    private final UsbRedirMessages.DeviceConnect info;
    private final UsbIdentity identity;
    private final List<Interface> interfaces;
    private final List<Endpoint> endpoints;
    volatile boolean connected = true;
    ServiceRegistration<RedirectedUsbDevice> registration;

    UsbRedirServerDevice(UsbRedirServerFactory owner, UsbRedirServerChannel guest,
            UsbRedirMessages.DeviceConnect info, UsbIdentity identity, UsbRedirMessages.InterfaceInfo i,
            UsbRedirMessages.EpInfo e) {
        this.owner = owner;
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
        owner.devices.remove(this);
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
            if (o == UsbRedirServerFactory.GONE) {
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
            if (o == UsbRedirServerFactory.GONE) {
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
                value, index, in ? length : d.length, d)).thenApply(o -> o == UsbRedirServerFactory.GONE ? cancelled()
                        : new UsbTransfer(((UsbRedirMessages.ControlPacket) o).status(),
                                ((UsbRedirMessages.ControlPacket) o).data()));
    }

    @Override
    public CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] dataOut, int lengthIn) {
        boolean in = (endpoint & 0x80) != 0;
        byte[] d = in || dataOut == null ? UsbRedirMessages.EMPTY : dataOut;
        return guest.request(this, new UsbRedirMessages.BulkPacket(endpoint, 0, in ? lengthIn : d.length, 0, d))
                .thenApply(o -> o == UsbRedirServerFactory.GONE ? cancelled()
                        : new UsbTransfer(((UsbRedirMessages.BulkPacket) o).status(),
                                ((UsbRedirMessages.BulkPacket) o).data()));
    }

    @Override
    public CompletableFuture<UsbTransfer> interrupt(int endpoint, byte[] dataOut, int lengthIn) {
        if ((endpoint & 0x80) != 0) {
            return guest.interruptIn(this, endpoint);
        }
        byte[] d = dataOut == null ? UsbRedirMessages.EMPTY : dataOut;
        return guest.request(this, new UsbRedirMessages.StreamPacket(UsbRedirMessages.INTERRUPT_PACKET, endpoint, 0,
                d.length, d)).thenApply(o -> o == UsbRedirServerFactory.GONE ? cancelled()
                        : new UsbTransfer(((UsbRedirMessages.StreamPacket) o).status(), null));
    }

    static UsbTransfer cancelled() {
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
