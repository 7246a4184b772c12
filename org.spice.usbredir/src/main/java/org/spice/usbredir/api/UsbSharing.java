package org.spice.usbredir.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/**
 * Client role: shares USB devices with the server, one at a time per usbredir channel. The entry point for
 * front ends (command line, GUI): list what can be shared ({@link MassStorage}, {@link HostUsbDevices}), pick a free
 * usbredir channel, {@link #share} a device on it, {@link SharedDevice#remove()} it to free the channel.
 */
@ProviderType
public interface UsbSharing {
    /**
     * Offers {@code device} on usbredir channel {@code channelId} of {@code session}. Before that channel is linked,
     * the device is announced once both sides exchanged hellos; on a linked channel it is announced at once, or
     * once the server acknowledged the removal of the previous device.
     *
     * @throws IllegalStateException when the channel still shares another device
     */
    SharedDevice share(ClientSession session, int channelId, UsbDevice device);

    /** The devices shared on {@code session} now (offered or connected), by usbredir channel id. */
    Map<Integer, SharedDevice> shared(ClientSession session);

    /** One shared device. */
    @ProviderType
    interface SharedDevice {
        UsbDevice device();

        /** Completes when device_connect was sent; fails when the channel closed first or the server refused it. */
        CompletableFuture<Void> connected();

        /** Completes when the server set a configuration: a guest driver is using the device. */
        CompletableFuture<Void> configured();

        /**
         * Completes when the device is no longer shared: normally once removed or when the channel closed,
         * exceptionally when the server's USB filter refused it.
         */
        CompletableFuture<Void> closed();

        /**
         * Disconnects the device from the server (device_disconnect); transfers still pending are cancelled. The
         * channel stays linked for the next device. Completes when the server acknowledged the removal (or at
         * once when it cannot), or when the channel closed.
         */
        CompletableFuture<Void> remove();

        /** Transfers answered so far. */
        long transfers();
    }
}
