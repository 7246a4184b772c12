package org.spice.usbredir.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.usbredir.api.HostUsbDevices.HostUsbDevice;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbIdentity;

/**
 * The component starts and stops cleanly whether or not libusb runs here. On a machine without USB (CI: no
 * /dev/bus/usb) it lists no devices, and opening one fails with an IOException instead of crashing.
 */
class LibUsbHostDevicesTest {
    private static final HostUsbDevice ABSENT = new HostUsbDevice(250, 127, UsbDevice.SPEED_HIGH,
            new UsbIdentity(0, 0, 0, 0x1209, 0xfffe, 0, List.of()), "no such device");

    @Test
    void startsListsAndStops() {
        LibUsbHostDevices host = new LibUsbHostDevices();
        try {
            List<HostUsbDevice> devices = host.devices();
            if (!Files.isDirectory(Path.of("/dev/bus/usb"))) {
                assertEquals(List.of(), devices, "no usbfs, no devices");
            }
            assertTrue(devices.stream().noneMatch(d -> d.identity().deviceClass() == 0x09), "hubs are left out");
            IOException e = assertThrows(IOException.class, () -> host.open(ABSENT));
            assertTrue(e.getMessage().contains("gone") || e.getMessage().contains("not available"), e.getMessage());
        } finally {
            host.close();
        }
    }

    @Test
    void devicesAreNamedByIdsOrLocation() {
        assertTrue(ABSENT.matches("1209:FFFE"));
        assertTrue(ABSENT.matches("250-127"));
        assertTrue(!ABSENT.matches("1209:0001") && !ABSENT.matches("1-127"));
        assertThrows(IllegalArgumentException.class, () -> ABSENT.matches("usb1"));
        assertEquals("250-127 1209:fffe class 00 no such device", ABSENT.toString());
    }
}
