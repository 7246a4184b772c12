package org.spice.usbredir.api;

/**
 * A USB device a client can share over the usbredir channel: its descriptors and its answers to transfers. The
 * channel answers GET_DESCRIPTOR from {@link #deviceDescriptor()}, {@link #configurationDescriptor()} and
 * {@link #string(int)}, handles configuration and alternate settings itself, and passes every other control
 * request and every bulk transfer on. Calls come from one thread at a time.
 */
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

    /** A control request other than GET_DESCRIPTOR, SET/GET_CONFIGURATION and SET/GET_INTERFACE. */
    UsbTransfer control(int requestType, int request, int value, int index, int length, byte[] dataOut);

    /** A bulk transfer: OUT ({@code endpoint} below 0x80) writes {@code dataOut}, IN reads up to {@code lengthIn}. */
    UsbTransfer bulk(int endpoint, byte[] dataOut, int lengthIn);

    /** A USB port reset. */
    default void reset() {
    }

    /** For logs. */
    String describe();
}
