package org.spice.inputs.api;

import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Client role: the inputs channel of a client session, to type and point with. */
@ProviderType
public interface ClientInputs {
    /** The inputs channel of {@code session}, or null when it is not linked (or has closed). */
    ClientInput inputs(ClientSession session);
}
