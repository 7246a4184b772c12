package org.spice.smartcard.api;

import java.util.List;

/** Server role: the readers clients have added now. */
public interface RemoteSmartcards {
    List<RemoteSmartcard> readers();
}
