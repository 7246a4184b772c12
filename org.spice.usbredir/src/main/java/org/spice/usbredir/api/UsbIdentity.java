package org.spice.usbredir.api;

import java.util.ArrayList;
import java.util.List;

/**
 * What a USB device says it is, as redirect filters and pickers see it: the device class triple, vendor, product,
 * release (bcdDevice) and the class triple of each interface of its active configuration (alternate setting 0).
 */
public record UsbIdentity(int deviceClass, int deviceSubclass, int deviceProtocol, int vendorId, int productId,
        int deviceVersionBcd, List<InterfaceClass> interfaces) {

    public UsbIdentity {
        interfaces = List.copyOf(interfaces);
    }

    /** One interface's class, subclass and protocol. */
    public record InterfaceClass(int interfaceClass, int subclass, int protocol) {
    }

    /**
     * The identity a device descriptor (18 bytes) and a configuration descriptor (with its interface descriptors)
     * give; descriptors shorter than they claim are read as far as they go.
     */
    public static UsbIdentity of(byte[] device, byte[] configuration) {
        if (device.length < 18) {
            throw new IllegalArgumentException("a device descriptor has 18 bytes, not " + device.length);
        }
        List<InterfaceClass> ifs = new ArrayList<>();
        for (int i = 0; i + 1 < configuration.length && (configuration[i] & 0xff) >= 2;
                i += configuration[i] & 0xff) {
            if (configuration[i + 1] == 4 && i + 8 < configuration.length && configuration[i + 3] == 0) {
                ifs.add(new InterfaceClass(configuration[i + 5] & 0xff, configuration[i + 6] & 0xff,
                        configuration[i + 7] & 0xff));
            }
        }
        return new UsbIdentity(device[4] & 0xff, device[5] & 0xff, device[6] & 0xff, u16(device, 8),
                u16(device, 10), u16(device, 12), ifs);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    /** "vvvv:pppp" in hex, as lsusb prints it. */
    public String ids() {
        return String.format("%04x:%04x", vendorId, productId);
    }
}
