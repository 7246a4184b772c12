package org.spice.smartcard.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Server role: the readers clients have added now. */
@ProviderType
public interface RemoteSmartcards {
    List<RemoteSmartcard> readers();
}
