package org.spice.usbredir.api;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Server role, optional: decides whether a device a client connects is accepted, after the configured filter. Register
 * it as a service; the server asks each one and refuses the device as its filter does (a filter_reject, so the client
 * shows the device as not accepted, and a log line) when one gives a reason.
 */
@ConsumerType
public interface UsbDeviceAdmission {
    /**
     * Why the device {@code identity} that client session {@code connectionId} connects on usbredir channel
     * {@code channelId} is refused, or empty to accept it. Called on the channel's thread: it must not block.
     */
    Optional<String> refusal(long connectionId, int channelId, UsbIdentity identity);
}
