package org.spice.usbredir.api;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Client role: the USB devices plugged into this machine, shareable through {@link UsbSharing}. Registered by the
 * optional org.spice.usbredir.host bundle (libusb through usb4java); where libusb cannot run it lists nothing.
 */
@ProviderType
public interface HostUsbDevices {
    /** The devices plugged in now (hubs left out). */
    List<HostUsbDevice> devices();

    /**
     * Opens {@code device} for sharing: claims its interfaces, detaching kernel drivers; closing the returned device
     * (it is {@link AutoCloseable}) releases them and gives the device back to its drivers.
     *
     * @throws IOException when the device is gone or cannot be opened (permissions)
     */
    UsbDevice open(HostUsbDevice device) throws IOException;

    /** One plugged-in device: where it is (bus and address), its speed (UsbDevice.SPEED_), what it is. */
    record HostUsbDevice(int bus, int address, int speed, UsbIdentity identity, String description) {
        /** "BUS-ADDRESS", as {@code --usb-device} takes it. */
        public String location() {
            return bus + "-" + address;
        }

        /**
         * Whether {@code spec} names this device: "VID:PID" in hex (as lsusb prints it) or "BUS-ADDRESS" in decimal.
         *
         * @throws IllegalArgumentException when {@code spec} is neither
         */
        public boolean matches(String spec) {
            String s = spec.trim().toLowerCase(Locale.ROOT);
            try {
                if (s.matches("[0-9a-f]{1,4}:[0-9a-f]{1,4}")) {
                    String[] p = s.split(":");
                    return Integer.parseInt(p[0], 16) == identity.vendorId()
                            && Integer.parseInt(p[1], 16) == identity.productId();
                }
                if (s.matches("[0-9]{1,3}-[0-9]{1,3}")) {
                    String[] p = s.split("-");
                    return Integer.parseInt(p[0]) == bus && Integer.parseInt(p[1]) == address;
                }
            } catch (NumberFormatException e) {
                // falls through to the refusal below
            }
            throw new IllegalArgumentException("\"" + spec + "\" is neither VID:PID (hex) nor BUS-ADDRESS");
        }

        /** One line for listings: location, ids, class, description. */
        @Override
        public String toString() {
            return String.format("%s %s class %02x%s %s", location(), identity.ids(), identity.deviceClass(),
                    identity.interfaces().isEmpty() ? "" : " interfaces " + identity.interfaces().stream()
                            .map(i -> String.format("%02x", i.interfaceClass())).toList(), description);
        }
    }
}
