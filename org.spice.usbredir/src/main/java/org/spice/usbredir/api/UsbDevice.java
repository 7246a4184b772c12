package org.spice.usbredir.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A USB device a client can share over the usbredir channel: its descriptors and its answers to transfers. The
 * channel answers GET_DESCRIPTOR from {@link #deviceDescriptor()}, {@link #configurationDescriptor()} and
 * {@link #string(int)}, checks a configuration value and passes it to {@link #setConfiguration(int)}, keeps the
 * alternate setting of each interface, and passes every other control request and every bulk
 * and interrupt transfer on. Methods are called from one thread at a time (the channel's); a transfer may complete
 * later on any thread, and several may be outstanding at once. The channel cancels the future of a transfer the
 * server cancelled or that was pending when the device was removed: a device that can abort the transfer does so
 * when it sees its future cancelled.
 */
@ConsumerType
public interface UsbDevice {
    int SPEED_LOW = 0;
    int SPEED_FULL = 1;
    int SPEED_HIGH = 2;
    int SPEED_SUPER = 3;

    /** One of the SPEED_ constants. */
    int speed();

    /** The 18-byte device descriptor. */
    byte[] deviceDescriptor();

    /** The configuration descriptor with its interface and endpoint descriptors (configuration 1). */
    byte[] configurationDescriptor();

    /** String descriptor {@code index} (1 and up), or null when there is none. */
    String string(int index);

    /** A control request other than GET_DESCRIPTOR, SET/GET_CONFIGURATION and SET_INTERFACE. */
    CompletableFuture<UsbTransfer> control(int requestType, int request, int value, int index, int length,
            byte[] dataOut);

    /** A bulk transfer: OUT ({@code endpoint} below 0x80) writes {@code dataOut}, IN reads up to {@code lengthIn}. */
    CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] dataOut, int lengthIn);

    /** An interrupt transfer, as {@link #bulk}; devices without interrupt endpoints answer {@link UsbTransfer#INVAL}. */
    default CompletableFuture<UsbTransfer> interrupt(int endpoint, byte[] dataOut, int lengthIn) {
        return CompletableFuture.completedFuture(new UsbTransfer(UsbTransfer.INVAL, null));
    }

    /**
     * SET_CONFIGURATION: {@code configuration} is 0 (unconfigured) or the bConfigurationValue of {@link
     * #configurationDescriptor()}, checked by the channel. Every interface is then at alternate setting 0.
     */
    default UsbTransfer setConfiguration(int configuration) {
        return UsbTransfer.ok();
    }

    /** SET_INTERFACE: selects alternate setting {@code alt} of interface {@code number}; only 0 by default. */
    default UsbTransfer setInterface(int number, int alt) {
        return alt == 0 ? UsbTransfer.ok() : UsbTransfer.stall();
    }

    /** A USB port reset. */
    default void reset() {
    }

    /** For logs. */
    String describe();
}
