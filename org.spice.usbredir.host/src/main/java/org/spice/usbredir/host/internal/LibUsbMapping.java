package org.spice.usbredir.host.internal;

import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbTransfer;
import org.usb4java.LibUsb;

/** libusb's numbers to usbredir's, as usbredirhost maps them. Pure: the constants are inlined, no native code. */
final class LibUsbMapping {
    /** usbredir's speed for a device libusb cannot tell (usb_redir_speed_unknown). */
    static final int SPEED_UNKNOWN = 255;

    private LibUsbMapping() {
    }

    /** A libusb_transfer_status as a {@link UsbTransfer} status. */
    static int status(int transferStatus) {
        return switch (transferStatus) {
            case LibUsb.TRANSFER_COMPLETED -> UsbTransfer.SUCCESS;
            case LibUsb.TRANSFER_CANCELLED -> UsbTransfer.CANCELLED;
            case LibUsb.TRANSFER_STALL -> UsbTransfer.STALL;
            case LibUsb.TRANSFER_TIMED_OUT -> UsbTransfer.TIMEOUT;
            case LibUsb.TRANSFER_OVERFLOW -> UsbTransfer.BABBLE;
            default -> UsbTransfer.IOERROR; // TRANSFER_ERROR, TRANSFER_NO_DEVICE
        };
    }

    /** A libusb error code (a failed submit) as a {@link UsbTransfer} status. */
    static int error(int libusbError) {
        return switch (libusbError) {
            case LibUsb.ERROR_INVALID_PARAM -> UsbTransfer.INVAL;
            case LibUsb.ERROR_PIPE -> UsbTransfer.STALL;
            case LibUsb.ERROR_TIMEOUT -> UsbTransfer.TIMEOUT;
            case LibUsb.ERROR_OVERFLOW -> UsbTransfer.BABBLE;
            default -> UsbTransfer.IOERROR;
        };
    }

    /** A libusb_speed as a {@link UsbDevice} SPEED_ constant (super speed plus counts as super speed). */
    static int speed(int libusbSpeed) {
        return switch (libusbSpeed) {
            case LibUsb.SPEED_LOW -> UsbDevice.SPEED_LOW;
            case LibUsb.SPEED_FULL -> UsbDevice.SPEED_FULL;
            case LibUsb.SPEED_HIGH -> UsbDevice.SPEED_HIGH;
            case LibUsb.SPEED_SUPER, LibUsb.SPEED_SUPER_PLUS -> UsbDevice.SPEED_SUPER;
            default -> SPEED_UNKNOWN;
        };
    }

    /** The 18 bytes of a device descriptor from its fields, as they travel on the bus (little-endian words). */
    static byte[] deviceDescriptor(int bcdUsb, int deviceClass, int subclass, int protocol, int maxPacketSize0,
            int vendorId, int productId, int bcdDevice, int iManufacturer, int iProduct, int iSerial,
            int configurations) {
        return new byte[] {18, 1, (byte) bcdUsb, (byte) (bcdUsb >> 8), (byte) deviceClass, (byte) subclass,
            (byte) protocol, (byte) maxPacketSize0, (byte) vendorId, (byte) (vendorId >> 8), (byte) productId,
            (byte) (productId >> 8), (byte) bcdDevice, (byte) (bcdDevice >> 8), (byte) iManufacturer,
            (byte) iProduct, (byte) iSerial, (byte) configurations};
    }

    /** What a listing says of a device without readable strings: its class, by the USB-IF class codes. */
    static String className(int cls) {
        return switch (cls) {
            case 0x01 -> "audio";
            case 0x02 -> "communications";
            case 0x03 -> "HID";
            case 0x06 -> "imaging";
            case 0x07 -> "printer";
            case 0x08 -> "mass storage";
            case 0x09 -> "hub";
            case 0x0a -> "CDC data";
            case 0x0b -> "smart card";
            case 0x0e -> "video";
            case 0xe0 -> "wireless";
            case 0xef -> "miscellaneous";
            case 0xff -> "vendor specific";
            default -> String.format("class %02x", cls);
        };
    }
}
