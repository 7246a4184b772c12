package org.spice.usbredir.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Server role: the devices clients currently redirect to our server. */
@ProviderType
public interface RedirectedUsbDevices {
    List<RedirectedUsbDevice> devices();
}
