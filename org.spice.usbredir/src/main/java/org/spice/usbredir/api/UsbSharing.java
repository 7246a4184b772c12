package org.spice.usbredir.api;

import java.util.concurrent.CompletableFuture;
import org.spice.protocol.client.ClientSession;

/** Client role: shares USB devices with the server, one per usbredir channel. */
public interface UsbSharing {
    /**
     * Offers {@code device} on usbredir channel {@code channelId} of {@code session}; call it before linking that
     * channel. The device is announced once both sides exchanged hellos.
     */
    SharedDevice share(ClientSession session, int channelId, UsbDevice device);

    /** One shared device. */
    interface SharedDevice {
        UsbDevice device();

        /** Completes when device_connect was sent; fails when the channel closed first. */
        CompletableFuture<Void> connected();

        /** Completes when the server set a configuration: a guest driver is using the device. */
        CompletableFuture<Void> configured();

        /** Completes when the channel is gone. */
        CompletableFuture<Void> closed();

        /** Transfers answered so far. */
        long transfers();
    }
}
