package org.spice.usbredir.host.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.spice.usbredir.api.HostUsbDevices.HostUsbDevice;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbTransfer;
import org.usb4java.BufferUtils;
import org.usb4java.ConfigDescriptor;
import org.usb4java.Device;
import org.usb4java.DeviceDescriptor;
import org.usb4java.DeviceHandle;
import org.usb4java.LibUsb;
import org.usb4java.Transfer;

/**
 * A host device opened for sharing: its interfaces claimed (kernel drivers detached, and given back on close),
 * control, bulk and interrupt transfers submitted to libusb and completed by its event thread. A transfer whose
 * future is cancelled is cancelled in libusb too.
 */
final class LibUsbDevice implements UsbDevice, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.spice.usbredir.host");
    /** The largest transfer we submit, as usbredir's own limit on a packet. */
    private static final int MAX_TRANSFER = 16 << 20;
    private final Device device;
    private final DeviceHandle handle;
    private final HostUsbDevice info;
    private final byte[] deviceDescriptor;
    private final byte[] configurationDescriptor;
    private final List<Integer> claimed;

    private LibUsbDevice(Device device, DeviceHandle handle, HostUsbDevice info, byte[] dd, byte[] cfg,
            List<Integer> claimed) {
        this.device = device;
        this.handle = handle;
        this.info = info;
        this.deviceDescriptor = dd;
        this.configurationDescriptor = cfg;
        this.claimed = claimed;
    }

    static LibUsbDevice open(Device d, HostUsbDevice info) throws IOException {
        DeviceHandle h = new DeviceHandle();
        int r = LibUsb.open(d, h);
        if (r != LibUsb.SUCCESS) {
            throw new IOException("cannot open USB device " + info.location() + " (" + info.identity().ids() + "): "
                    + LibUsb.strError(r) + (r == LibUsb.ERROR_ACCESS ? " (no permission on /dev/bus/usb)" : ""));
        }
        LibUsb.refDevice(d);
        List<Integer> claimed = new ArrayList<>();
        try {
            DeviceDescriptor dd = new DeviceDescriptor();
            check(LibUsb.getDeviceDescriptor(d, dd), "reading the device descriptor");
            byte[] device = LibUsbMapping.deviceDescriptor(dd.bcdUSB() & 0xffff, dd.bDeviceClass() & 0xff,
                    dd.bDeviceSubClass() & 0xff, dd.bDeviceProtocol() & 0xff, dd.bMaxPacketSize0() & 0xff,
                    dd.idVendor() & 0xffff, dd.idProduct() & 0xffff, dd.bcdDevice() & 0xffff,
                    dd.iManufacturer() & 0xff, dd.iProduct() & 0xff, dd.iSerialNumber() & 0xff,
                    dd.bNumConfigurations() & 0xff);
            ByteBuffer buf = BufferUtils.allocateByteBuffer(4096);
            int n = LibUsb.getDescriptor(h, LibUsb.DT_CONFIG, (byte) 0, buf);
            check(n, "reading the configuration descriptor");
            byte[] cfg = new byte[n];
            buf.get(cfg);
            LibUsb.setAutoDetachKernelDriver(h, true); // not supported everywhere: claiming then fails if busy
            ConfigDescriptor c = new ConfigDescriptor();
            check(LibUsb.getActiveConfigDescriptor(d, c), "reading the active configuration");
            int interfaces = c.bNumInterfaces() & 0xff;
            LibUsb.freeConfigDescriptor(c);
            for (int i = 0; i < interfaces; i++) {
                check(LibUsb.claimInterface(h, i), "claiming interface " + i);
                claimed.add(i);
            }
            return new LibUsbDevice(d, h, info, device, cfg, claimed);
        } catch (IOException e) {
            for (int i : claimed) {
                LibUsb.releaseInterface(h, i);
            }
            LibUsb.close(h);
            LibUsb.unrefDevice(d);
            throw new IOException("USB device " + info.location() + " (" + info.identity().ids() + "): "
                    + e.getMessage(), e);
        }
    }

    private static void check(int r, String what) throws IOException {
        if (r < 0) {
            throw new IOException(what + ": " + LibUsb.strError(r));
        }
    }

    @Override
    public int speed() {
        return info.speed();
    }

    @Override
    public byte[] deviceDescriptor() {
        return deviceDescriptor.clone();
    }

    @Override
    public byte[] configurationDescriptor() {
        return configurationDescriptor.clone();
    }

    @Override
    public String string(int index) {
        try {
            return LibUsb.getStringDescriptor(handle, (byte) index);
        } catch (RuntimeException e) { // usb4java's LibUsbException: no such string
            return null;
        }
    }

    @Override
    public CompletableFuture<UsbTransfer> control(int requestType, int request, int value, int index, int length,
            byte[] dataOut) {
        if (requestType == 0x02 && request == 1 && value == 0) { // CLEAR_FEATURE(ENDPOINT_HALT), through libusb
            int r = LibUsb.clearHalt(handle, (byte) index);
            return CompletableFuture.completedFuture(r == 0 ? UsbTransfer.ok()
                    : new UsbTransfer(LibUsbMapping.error(r), null));
        }
        boolean in = (requestType & 0x80) != 0;
        int dataLength = in ? length : dataOut == null ? 0 : dataOut.length;
        ByteBuffer buf = BufferUtils.allocateByteBuffer(LibUsb.CONTROL_SETUP_SIZE + dataLength);
        LibUsb.fillControlSetup(buf, (byte) requestType, (byte) request, (short) value, (short) index,
                (short) dataLength);
        if (!in && dataLength > 0) {
            buf.position(LibUsb.CONTROL_SETUP_SIZE);
            buf.put(dataOut);
            buf.rewind();
        }
        Transfer t = LibUsb.allocTransfer();
        return submit(t, in, tr -> LibUsb.fillControlTransfer(tr, handle, buf, null, null, 0),
                LibUsb.CONTROL_SETUP_SIZE);
    }

    @Override
    public CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] dataOut, int lengthIn) {
        return data(LibUsb.TRANSFER_TYPE_BULK, endpoint, dataOut, lengthIn);
    }

    @Override
    public CompletableFuture<UsbTransfer> interrupt(int endpoint, byte[] dataOut, int lengthIn) {
        return data(LibUsb.TRANSFER_TYPE_INTERRUPT, endpoint, dataOut, lengthIn);
    }

    private CompletableFuture<UsbTransfer> data(byte type, int endpoint, byte[] dataOut, int lengthIn) {
        boolean in = (endpoint & 0x80) != 0;
        int length = in ? lengthIn : dataOut == null ? 0 : dataOut.length;
        if (length < 0 || length > MAX_TRANSFER) {
            return CompletableFuture.completedFuture(new UsbTransfer(UsbTransfer.INVAL, null));
        }
        ByteBuffer buf = BufferUtils.allocateByteBuffer(length);
        if (!in && length > 0) {
            buf.put(dataOut);
            buf.rewind();
        }
        Transfer t = LibUsb.allocTransfer();
        return submit(t, in, tr -> {
            if (type == LibUsb.TRANSFER_TYPE_BULK) {
                LibUsb.fillBulkTransfer(tr, handle, (byte) endpoint, buf, null, null, 0);
            } else {
                LibUsb.fillInterruptTransfer(tr, handle, (byte) endpoint, buf, null, null, 0);
            }
        }, 0);
    }

    /**
     * Fills and submits {@code t}; its callback (on libusb's event thread) completes the future and frees it. A
     * cancelled future cancels the transfer, whose callback then only frees it.
     */
    private CompletableFuture<UsbTransfer> submit(Transfer t, boolean in, java.util.function.Consumer<Transfer> fill,
            int dataOffset) {
        CompletableFuture<UsbTransfer> f = new CompletableFuture<>();
        AtomicBoolean finished = new AtomicBoolean(); // guarded by itself: set before the transfer is freed
        fill.accept(t);
        t.setCallback(tr -> {
            UsbTransfer result;
            synchronized (finished) {
                finished.set(true);
                int status = LibUsbMapping.status(tr.status());
                byte[] data = new byte[0];
                if (in && status == UsbTransfer.SUCCESS) {
                    data = new byte[tr.actualLength()];
                    ByteBuffer b = tr.buffer();
                    b.position(dataOffset);
                    b.get(data);
                }
                LibUsb.freeTransfer(tr);
                result = new UsbTransfer(status, data);
            }
            f.complete(result);
        });
        int r = LibUsb.submitTransfer(t);
        if (r != LibUsb.SUCCESS) {
            LibUsb.freeTransfer(t);
            if (r == LibUsb.ERROR_NO_DEVICE) {
                LOG.log(System.Logger.Level.INFO, "{0} is gone", describe());
            }
            return CompletableFuture.completedFuture(new UsbTransfer(LibUsbMapping.error(r), null));
        }
        f.whenComplete((x, e) -> {
            if (e instanceof CancellationException) {
                synchronized (finished) {
                    if (!finished.get()) {
                        LibUsb.cancelTransfer(t); // the callback follows with TRANSFER_CANCELLED and frees it
                    }
                }
            }
        });
        return f;
    }

    /**
     * SET_CONFIGURATION as usbredirhost does it: nothing to do when the device is in that configuration already
     * (libusb would reset it); else its interfaces are released, the configuration set (0: unconfigured) and the
     * interfaces of the new one claimed.
     */
    @Override
    public UsbTransfer setConfiguration(int configuration) {
        IntBuffer active = BufferUtils.allocateIntBuffer();
        int r = LibUsb.getConfiguration(handle, active);
        if (r == LibUsb.SUCCESS && active.get(0) == configuration) {
            return UsbTransfer.ok();
        }
        for (int i : claimed) {
            LibUsb.releaseInterface(handle, i);
        }
        claimed.clear();
        r = LibUsb.setConfiguration(handle, configuration == 0 ? -1 : configuration);
        if (r != LibUsb.SUCCESS) {
            LOG.log(System.Logger.Level.INFO, "setting configuration {0} of {1}: {2}", configuration, describe(),
                    LibUsb.strError(r));
            return new UsbTransfer(LibUsbMapping.error(r), null);
        }
        if (configuration != 0) {
            ConfigDescriptor c = new ConfigDescriptor();
            r = LibUsb.getActiveConfigDescriptor(device, c);
            if (r != LibUsb.SUCCESS) {
                return new UsbTransfer(LibUsbMapping.error(r), null);
            }
            int interfaces = c.bNumInterfaces() & 0xff;
            LibUsb.freeConfigDescriptor(c);
            for (int i = 0; i < interfaces; i++) {
                r = LibUsb.claimInterface(handle, i);
                if (r != LibUsb.SUCCESS) {
                    LOG.log(System.Logger.Level.INFO, "claiming interface {0} of {1}: {2}", i, describe(),
                            LibUsb.strError(r));
                    return new UsbTransfer(LibUsbMapping.error(r), null);
                }
                claimed.add(i);
            }
        }
        return UsbTransfer.ok();
    }

    @Override
    public UsbTransfer setInterface(int number, int alt) {
        int r = LibUsb.setInterfaceAltSetting(handle, number, alt);
        return r == LibUsb.SUCCESS ? UsbTransfer.ok() : new UsbTransfer(LibUsbMapping.error(r), null);
    }

    @Override
    public void reset() {
        int r = LibUsb.resetDevice(handle);
        if (r != LibUsb.SUCCESS) {
            LOG.log(System.Logger.Level.INFO, "resetting {0}: {1}", describe(), LibUsb.strError(r));
        }
    }

    @Override
    public String describe() {
        return "USB device " + info.location() + " " + info.identity().ids() + " " + info.description();
    }

    /** Releases the interfaces (libusb then re-attaches the kernel drivers it detached) and closes the device. */
    @Override
    public void close() {
        for (int i : claimed) {
            LibUsb.releaseInterface(handle, i);
        }
        LibUsb.close(handle);
        LibUsb.unrefDevice(device);
    }
}
