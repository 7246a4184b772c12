package org.spice.usbredir.internal;

import org.spice.usbredir.internal.wire.UsbRedirMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.usbredir.api.MassStorage;
import org.spice.usbredir.api.UsbDevice;

/** Descriptors to usbredir interface_info, ep_info and device_connect. */
class DeviceAnnouncementTest {
    /** A full-speed composite: HID keyboard (interrupt IN 0x81) and a vendor interface with bulk, iso and alt 1. */
    static final byte[] DEVICE = {18, 1, 0x10, 0x01, 0, 0, 0, 8, 0x6d, 0x04, 0x1c, (byte) 0xc3, 0x00, 0x49, 1, 2, 0,
        1};
    static final byte[] CONFIG = {9, 2, 73, 0, 2, 1, 0, (byte) 0xa0, 50,
        9, 4, 0, 0, 1, 0x03, 0x01, 0x01, 0, // interface 0: boot keyboard
        9, 0x21, 0x11, 0x01, 0, 1, 0x22, 65, 0, // HID descriptor: skipped
        7, 5, (byte) 0x81, 3, 8, 0, 10, // interrupt IN, 8 bytes, every 10 ms
        9, 4, 1, 0, 2, (byte) 0xff, 0x42, 0x01, 0, // interface 1 alt 0: vendor
        7, 5, 0x02, 2, 64, 0, 0, // bulk OUT
        7, 5, (byte) 0x83, 1, (byte) 0xc0, 0x03, 1, // iso IN, 960 bytes
        9, 4, 1, 1, 1, (byte) 0xff, 0x42, 0x02, 0, // interface 1 alt 1: not the active setting
        7, 5, 0x04, 2, 64, 0, 0};

    @Test
    void interfacesEndpointsAndTheDevice() {
        DeviceAnnouncement a = DeviceAnnouncement.of(UsbDevice.SPEED_FULL, DEVICE, CONFIG);
        UsbRedirMessages.InterfaceInfo i = a.interfaces();
        assertEquals(2, i.count());
        assertArrayEquals(new int[] {0, 1}, Arrays.copyOf(i.iface(), 2));
        assertArrayEquals(new int[] {0x03, 0xff}, Arrays.copyOf(i.cls(), 2));
        assertArrayEquals(new int[] {0x01, 0x42}, Arrays.copyOf(i.subclass(), 2));
        assertArrayEquals(new int[] {0x01, 0x01}, Arrays.copyOf(i.protocol(), 2));

        assertEquals(UsbRedirMessages.EP_TYPE_CONTROL, a.endpointType(0x00));
        assertEquals(UsbRedirMessages.EP_TYPE_CONTROL, a.endpointType(0x80));
        assertEquals(8, a.maxPacketSize(0x80), "bMaxPacketSize0");
        assertEquals(UsbRedirMessages.EP_TYPE_INTERRUPT, a.endpointType(0x81));
        assertEquals(10, a.endpoints().interval()[UsbRedirMessages.EpInfo.index(0x81)]);
        assertEquals(0, a.endpoints().iface()[UsbRedirMessages.EpInfo.index(0x81)]);
        assertEquals(UsbRedirMessages.EP_TYPE_BULK, a.endpointType(0x02));
        assertEquals(64, a.maxPacketSize(0x02));
        assertEquals(1, a.endpoints().iface()[UsbRedirMessages.EpInfo.index(0x02)]);
        assertEquals(UsbRedirMessages.EP_TYPE_ISO, a.endpointType(0x83));
        assertEquals(960, a.maxPacketSize(0x83));
        assertEquals(UsbRedirMessages.EP_TYPE_INVALID, a.endpointType(0x04), "alternate setting 1 is not active");
        assertEquals(UsbRedirMessages.EP_TYPE_INVALID, a.endpointType(0x01));

        assertEquals(new UsbRedirMessages.DeviceConnect(UsbDevice.SPEED_FULL, 0, 0, 0, 0x046d, 0xc31c, 0x4900),
                a.connect());
    }

    @Test
    void theEmulatedCdRom(@TempDir Path dir) throws Exception {
        UsbDevice cd = MassStorage.cdrom(Files.write(dir.resolve("x.iso"), new byte[2048]));
        DeviceAnnouncement a = DeviceAnnouncement.of(cd.speed(), cd.deviceDescriptor(), cd.configurationDescriptor());
        assertEquals(1, a.interfaces().count());
        assertEquals(0x08, a.interfaces().cls()[0]);
        assertEquals(0x50, a.interfaces().protocol()[0], "bulk-only transport");
        assertEquals(UsbRedirMessages.EP_TYPE_BULK, a.endpointType(0x81));
        assertEquals(UsbRedirMessages.EP_TYPE_BULK, a.endpointType(0x02));
        assertEquals(512, a.maxPacketSize(0x81));
        assertEquals(new UsbRedirMessages.DeviceConnect(UsbDevice.SPEED_HIGH, 0, 0, 0, 0x1209, 0x0002, 0x0100),
                a.connect());
        ((AutoCloseable) cd).close();
    }
}
