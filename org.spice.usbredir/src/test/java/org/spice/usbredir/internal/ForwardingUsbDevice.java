package org.spice.usbredir.internal;

import java.util.concurrent.CompletableFuture;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbTransfer;

/** A test device that answers as {@code shape} does: subclasses change only the calls their test is about. */
abstract class ForwardingUsbDevice implements UsbDevice {
    final UsbDevice shape;

    ForwardingUsbDevice(UsbDevice shape) {
        this.shape = shape;
    }

    @Override
    public int speed() {
        return shape.speed();
    }

    @Override
    public byte[] deviceDescriptor() {
        return shape.deviceDescriptor();
    }

    @Override
    public byte[] configurationDescriptor() {
        return shape.configurationDescriptor();
    }

    @Override
    public String string(int index) {
        return shape.string(index);
    }

    @Override
    public CompletableFuture<UsbTransfer> control(int requestType, int request, int value, int index, int length,
            byte[] dataOut) {
        return shape.control(requestType, request, value, index, length, dataOut);
    }

    @Override
    public CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] dataOut, int lengthIn) {
        return shape.bulk(endpoint, dataOut, lengthIn);
    }
}
