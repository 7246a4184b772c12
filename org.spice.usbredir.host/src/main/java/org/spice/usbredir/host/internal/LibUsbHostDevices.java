package org.spice.usbredir.host.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.spice.usbredir.api.HostUsbDevices;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbIdentity;
import org.usb4java.ConfigDescriptor;
import org.usb4java.Context;
import org.usb4java.Device;
import org.usb4java.DeviceDescriptor;
import org.usb4java.DeviceHandle;
import org.usb4java.DeviceList;
import org.usb4java.Interface;
import org.usb4java.InterfaceDescriptor;
import org.usb4java.LibUsb;

/**
 * The machine's USB devices through libusb (usb4java). A libusb context and one thread that runs libusb's event
 * handling, so transfers complete asynchronously. Where libusb cannot start (no native library for the platform, no
 * usbfs) one log line says why and the list stays empty.
 */
@Component(service = HostUsbDevices.class)
public final class LibUsbHostDevices implements HostUsbDevices {
    private static final System.Logger LOG = System.getLogger("org.spice.usbredir.host");
    private final Context context;
    private final Thread events;
    private volatile boolean running;
    private final String unavailable;

    @Activate
    public LibUsbHostDevices() {
        Context c = null;
        String why = null;
        try {
            c = new Context();
            int r = LibUsb.init(c);
            if (r != LibUsb.SUCCESS) {
                why = "libusb_init failed: " + LibUsb.strError(r);
                c = null;
            }
        } catch (RuntimeException | LinkageError e) { // usb4java's LoaderException, UnsatisfiedLinkError
            why = "libusb cannot be loaded on " + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                    + ": " + e;
            c = null;
        }
        context = c;
        unavailable = why;
        if (c == null) {
            LOG.log(System.Logger.Level.WARNING, "host USB devices are not available ({0}); emulated devices still"
                    + " are", why);
            events = null;
            return;
        }
        running = true;
        events = new Thread(this::handleEvents, "libusb events");
        events.setDaemon(true);
        events.start();
        LOG.log(System.Logger.Level.INFO, "host USB devices through libusb: {0} found", devices().size());
    }

    /** Why libusb is not there, or null when it is. */
    String unavailable() {
        return unavailable;
    }

    private void handleEvents() {
        while (running) {
            int r = LibUsb.handleEventsTimeout(context, 200_000);
            if (r != LibUsb.SUCCESS && r != LibUsb.ERROR_INTERRUPTED) {
                LOG.log(System.Logger.Level.WARNING, "libusb event handling: {0}", LibUsb.strError(r));
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    public void close() {
        if (context == null) {
            return;
        }
        running = false;
        try {
            events.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LibUsb.exit(context);
    }

    @Override
    public List<HostUsbDevice> devices() {
        List<HostUsbDevice> out = new ArrayList<>();
        if (context == null) {
            return out;
        }
        DeviceList list = new DeviceList();
        int n = LibUsb.getDeviceList(context, list);
        if (n < 0) {
            LOG.log(System.Logger.Level.WARNING, "listing USB devices: {0}", LibUsb.strError(n));
            return out;
        }
        try {
            for (Device d : list) {
                HostUsbDevice h = describe(d);
                if (h != null && h.identity().deviceClass() != 0x09) { // hubs are not shared
                    out.add(h);
                }
            }
        } finally {
            LibUsb.freeDeviceList(list, true);
        }
        return out;
    }

    private HostUsbDevice describe(Device d) {
        DeviceDescriptor dd = new DeviceDescriptor();
        if (LibUsb.getDeviceDescriptor(d, dd) != LibUsb.SUCCESS) {
            return null;
        }
        UsbIdentity id = new UsbIdentity(dd.bDeviceClass() & 0xff, dd.bDeviceSubClass() & 0xff,
                dd.bDeviceProtocol() & 0xff, dd.idVendor() & 0xffff, dd.idProduct() & 0xffff, dd.bcdDevice() & 0xffff,
                interfaces(d));
        return new HostUsbDevice(LibUsb.getBusNumber(d), LibUsb.getDeviceAddress(d),
                LibUsbMapping.speed(LibUsb.getDeviceSpeed(d)), id, name(d, dd, id));
    }

    private static List<UsbIdentity.InterfaceClass> interfaces(Device d) {
        List<UsbIdentity.InterfaceClass> out = new ArrayList<>();
        ConfigDescriptor c = new ConfigDescriptor();
        if (LibUsb.getActiveConfigDescriptor(d, c) != LibUsb.SUCCESS) {
            return out;
        }
        try {
            for (Interface i : c.iface()) {
                for (InterfaceDescriptor a : i.altsetting()) {
                    if (a.bAlternateSetting() == 0) {
                        out.add(new UsbIdentity.InterfaceClass(a.bInterfaceClass() & 0xff,
                                a.bInterfaceSubClass() & 0xff, a.bInterfaceProtocol() & 0xff));
                    }
                }
            }
        } finally {
            LibUsb.freeConfigDescriptor(c);
        }
        return out;
    }

    /** Manufacturer and product strings when the device can be opened, its class otherwise. */
    private static String name(Device d, DeviceDescriptor dd, UsbIdentity id) {
        DeviceHandle h = new DeviceHandle();
        if (LibUsb.open(d, h) == LibUsb.SUCCESS) {
            try {
                String m = dd.iManufacturer() == 0 ? null : LibUsb.getStringDescriptor(h, dd.iManufacturer());
                String p = dd.iProduct() == 0 ? null : LibUsb.getStringDescriptor(h, dd.iProduct());
                String s = ((m == null ? "" : m.trim() + " ") + (p == null ? "" : p.trim())).trim();
                if (!s.isEmpty()) {
                    return s;
                }
            } catch (RuntimeException e) {
                // unreadable strings (usb4java's LibUsbException): named by class below
            } finally {
                LibUsb.close(h);
            }
        }
        int cls = id.deviceClass() != 0 || id.interfaces().isEmpty() ? id.deviceClass()
                : id.interfaces().get(0).interfaceClass();
        return "USB " + LibUsbMapping.className(cls) + " device";
    }

    @Override
    public UsbDevice open(HostUsbDevice device) throws IOException {
        if (context == null) {
            throw new IOException("host USB devices are not available: " + unavailable);
        }
        DeviceList list = new DeviceList();
        int n = LibUsb.getDeviceList(context, list);
        if (n < 0) {
            throw new IOException("listing USB devices: " + LibUsb.strError(n));
        }
        try {
            for (Device d : list) {
                if (LibUsb.getBusNumber(d) == device.bus() && LibUsb.getDeviceAddress(d) == device.address()) {
                    return LibUsbDevice.open(d, device);
                }
            }
        } finally {
            LibUsb.freeDeviceList(list, true);
        }
        throw new IOException("USB device " + device.location() + " (" + device.identity().ids() + ") is gone");
    }
}
