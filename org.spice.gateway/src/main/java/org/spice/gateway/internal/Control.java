package org.spice.gateway.internal;

import java.util.Locale;

/** Whose input reaches the VM: the gateway's {@code control} setting. */
enum Control {
    /** The viewer connected longest controls; when it leaves, the next longest does. */
    FIRST,
    /** Every viewer's input is sent. */
    ALL,
    /** Nobody's: every viewer watches. */
    NONE;

    static Control parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("control must be first, all or none, not '" + s + "'");
        }
    }

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
