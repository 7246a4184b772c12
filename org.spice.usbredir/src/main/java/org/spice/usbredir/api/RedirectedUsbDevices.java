package org.spice.usbredir.api;

import java.util.List;

/** Server role: the devices clients currently redirect to our server. */
public interface RedirectedUsbDevices {
    List<RedirectedUsbDevice> devices();
}
