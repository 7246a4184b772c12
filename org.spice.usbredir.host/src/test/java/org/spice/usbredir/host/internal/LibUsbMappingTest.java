package org.spice.usbredir.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbIdentity;
import org.spice.usbredir.api.UsbTransfer;
import org.spice.usbredir.internal.DeviceAnnouncement;
import org.spice.usbredir.internal.wire.UsbRedirMessages;

/** libusb's numbers and descriptors to what the usbredir channel announces and answers. */
class LibUsbMappingTest {
    @Test
    void transferStatusesAsUsbredirhostMapsThem() {
        assertEquals(UsbTransfer.SUCCESS, LibUsbMapping.status(0)); // LIBUSB_TRANSFER_COMPLETED
        assertEquals(UsbTransfer.IOERROR, LibUsbMapping.status(1)); // ERROR
        assertEquals(UsbTransfer.TIMEOUT, LibUsbMapping.status(2)); // TIMED_OUT
        assertEquals(UsbTransfer.CANCELLED, LibUsbMapping.status(3)); // CANCELLED
        assertEquals(UsbTransfer.STALL, LibUsbMapping.status(4)); // STALL
        assertEquals(UsbTransfer.IOERROR, LibUsbMapping.status(5)); // NO_DEVICE
        assertEquals(UsbTransfer.BABBLE, LibUsbMapping.status(6)); // OVERFLOW
        assertEquals(UsbTransfer.STALL, LibUsbMapping.error(-9)); // LIBUSB_ERROR_PIPE
        assertEquals(UsbTransfer.INVAL, LibUsbMapping.error(-2)); // INVALID_PARAM
        assertEquals(UsbTransfer.IOERROR, LibUsbMapping.error(-4)); // NO_DEVICE
    }

    @Test
    void speeds() {
        assertEquals(UsbDevice.SPEED_LOW, LibUsbMapping.speed(1));
        assertEquals(UsbDevice.SPEED_FULL, LibUsbMapping.speed(2));
        assertEquals(UsbDevice.SPEED_HIGH, LibUsbMapping.speed(3));
        assertEquals(UsbDevice.SPEED_SUPER, LibUsbMapping.speed(4));
        assertEquals(UsbDevice.SPEED_SUPER, LibUsbMapping.speed(5));
        assertEquals(LibUsbMapping.SPEED_UNKNOWN, LibUsbMapping.speed(0));
    }

    /** A USB flash drive as libusb describes it, through the mapping the channel announces it with. */
    @Test
    void aHostDescriptorBecomesInterfaceAndEndpointInfo() {
        byte[] dd = LibUsbMapping.deviceDescriptor(0x0210, 0, 0, 0, 64, 0x0781, 0x5567, 0x0126, 1, 2, 3, 1);
        assertEquals(18, dd.length);
        byte[] cfg = {9, 2, 32, 0, 1, 1, 0, (byte) 0x80, 100,
            9, 4, 0, 0, 2, 0x08, 0x06, 0x50, 0,
            7, 5, (byte) 0x81, 2, 0, 2, 0,
            7, 5, 0x02, 2, 0, 2, 0};
        DeviceAnnouncement a = DeviceAnnouncement.of(LibUsbMapping.speed(3), dd, cfg);
        assertEquals(new UsbRedirMessages.DeviceConnect(UsbDevice.SPEED_HIGH, 0, 0, 0, 0x0781, 0x5567, 0x0126),
                a.connect());
        assertEquals(1, a.interfaces().count());
        assertEquals(0x08, a.interfaces().cls()[0]);
        assertEquals(UsbRedirMessages.EP_TYPE_BULK, a.endpointType(0x81));
        assertEquals(UsbRedirMessages.EP_TYPE_BULK, a.endpointType(0x02));
        assertEquals(512, a.maxPacketSize(0x02));
        assertEquals(64, a.maxPacketSize(0x00));
        assertEquals(new UsbIdentity(0, 0, 0, 0x0781, 0x5567, 0x0126,
                List.of(new UsbIdentity.InterfaceClass(8, 6, 0x50))), UsbIdentity.of(dd, cfg));
    }

    @Test
    void classNames() {
        assertEquals("mass storage", LibUsbMapping.className(8));
        assertEquals("class 42", LibUsbMapping.className(0x42));
    }
}
