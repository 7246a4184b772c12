package org.spice.usbredir.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Server role: a USB device a client redirected to our server over a usbredir channel. Registered as a service
 * while connected. Several transfers may be outstanding. Futures complete on the channel's thread; block on them
 * from other threads only. When the device goes (the client removed it or the channel closed), transfers still
 * pending complete with {@link UsbTransfer#CANCELLED}, and later ones fail.
 */
@ProviderType
public interface RedirectedUsbDevice {
    /** The connection id of the client session the device came from, and the usbredir channel id. */
    long connectionId();

    int channelId();

    /** Class, ids and interface classes, as filters see them. */
    UsbIdentity identity();

    int speed();

    int deviceClass();

    int deviceSubclass();

    int deviceProtocol();

    int vendorId();

    int productId();

    int deviceVersionBcd();

    /** The interfaces of the current configuration, as the client announced them. */
    List<Interface> interfaces();

    /** The endpoints the client announced (control, bulk, interrupt, isochronous), without endpoint 0. */
    List<Endpoint> endpoints();

    boolean isConnected();

    CompletableFuture<Integer> setConfiguration(int configuration);

    /** SET_ALT_SETTING: completes with the alternate setting interface {@code iface} is at afterwards. */
    CompletableFuture<Integer> setAltSetting(int iface, int alt);

    /** GET_ALT_SETTING: the alternate setting interface {@code iface} is at. */
    CompletableFuture<Integer> altSetting(int iface);

    /** A control transfer: IN when bit 7 of {@code requestType} is set (then {@code dataOut} is ignored). */
    CompletableFuture<UsbTransfer> control(int requestType, int request, int value, int index, int length,
            byte[] dataOut);

    /** A bulk transfer: OUT for {@code endpoint} below 0x80 sends {@code dataOut}, IN reads up to {@code lengthIn}. */
    CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] dataOut, int lengthIn);

    /**
     * An interrupt transfer. OUT ({@code endpoint} below 0x80) sends {@code dataOut}. IN completes with the next
     * packet the device sent: the server starts receiving from the endpoint at the first IN request, keeps up to
     * {@value #INTERRUPT_QUEUE} packets nobody asked for yet (dropping the oldest), and answers a request beyond that
     * many waiting with {@link UsbTransfer#INVAL}.
     */
    CompletableFuture<UsbTransfer> interrupt(int endpoint, byte[] dataOut, int lengthIn);

    /** How many interrupt IN packets, and requests, the server keeps per endpoint. */
    int INTERRUPT_QUEUE = 64;

    /** GET_DESCRIPTOR of {@code type} (1 device, 2 configuration, 3 string) and {@code index}. */
    default CompletableFuture<UsbTransfer> descriptor(int type, int index, int length) {
        return control(0x80, 6, type << 8 | index, type == 3 ? 0x0409 : 0, length, null);
    }

    record Interface(int number, int interfaceClass, int subclass, int protocol) {
    }

    record Endpoint(int address, int type, int interval, int interfaceNumber, int maxPacketSize) {
    }
}
