package org.spice.usbredir.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbSharing.SharedDevice;

/** A device this client offers on one usbredir channel, and how its sharing goes. */
final class UsbRedirSharedDevice implements SharedDevice {
    final UsbDevice device;
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final CompletableFuture<Void> configured = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final CompletableFuture<Void> removed = new CompletableFuture<>();
    final AtomicLong transfers = new AtomicLong();
    volatile UsbRedirChannelSlot slot;

    UsbRedirSharedDevice(UsbDevice device) {
        this.device = device;
    }

    @Override
    public UsbDevice device() {
        return device;
    }

    @Override
    public CompletableFuture<Void> connected() {
        return connected;
    }

    @Override
    public CompletableFuture<Void> configured() {
        return configured;
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public CompletableFuture<Void> remove() {
        UsbRedirChannelSlot s = slot;
        UsbRedirClientChannel host;
        synchronized (s) {
            host = s.host;
            if (host == null) { // not linked yet: just withdraw the offer
                if (s.offered == this) {
                    s.offered = null;
                }
                end(null);
                removed.complete(null);
                return removed;
            }
        }
        host.ctx.executor().execute(() -> host.remove(this));
        return removed;
    }

    @Override
    public long transfers() {
        return transfers.get();
    }

    /** No longer shared: {@code failure} null for a removal or a closed channel. */
    void end(RuntimeException failure) {
        IllegalStateException gone = new IllegalStateException(failure != null ? failure.getMessage()
                : "the device is no longer shared");
        connected.completeExceptionally(gone);
        configured.completeExceptionally(gone);
        if (failure == null) {
            closed.complete(null);
        } else {
            closed.completeExceptionally(failure);
        }
    }
}
