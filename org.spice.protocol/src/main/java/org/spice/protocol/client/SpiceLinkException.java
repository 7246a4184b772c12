package org.spice.protocol.client;

import org.spice.protocol.LinkError;

/** The server refused to link a channel; {@link #error()} says why. */
public class SpiceLinkException extends Exception {
    private static final long serialVersionUID = 1L;
    private final LinkError error;

    public SpiceLinkException(LinkError error, String message) {
        super(message);
        this.error = error;
    }

    public LinkError error() {
        return error;
    }

    public boolean isAuthenticationFailure() {
        return error == LinkError.PERMISSION_DENIED;
    }
}
