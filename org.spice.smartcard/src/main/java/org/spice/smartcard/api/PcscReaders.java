package org.spice.smartcard.api;

import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Client role, optional: the PC/SC readers of this machine (javax.smartcardio). The service is there only when the
 * JDK's java.smartcardio module is; the rest of the bundle runs without it.
 */
@ProviderType
public interface PcscReaders {
    /** Reader names, as PC/SC lists them. */
    List<String> readers() throws IOException;

    /** Connects to the card in reader {@code name} (exclusive use while shared). */
    VirtualCard connect(String name) throws IOException;
}
