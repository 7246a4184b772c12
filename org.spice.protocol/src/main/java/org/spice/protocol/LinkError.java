package org.spice.protocol;

/** spice.proto {@code link_err}: the result of linking a channel, also the reason in a disconnect message. */
public enum LinkError {
    OK("ok"),
    ERROR("error"),
    INVALID_MAGIC("invalid magic"),
    INVALID_DATA("invalid data"),
    VERSION_MISMATCH("protocol version mismatch"),
    NEED_SECURED("the channel requires a TLS connection"),
    NEED_UNSECURED("the channel requires a plaintext connection"),
    PERMISSION_DENIED("permission denied (authentication failed)"),
    BAD_CONNECTION_ID("bad connection id"),
    CHANNEL_NOT_AVAILABLE("channel not available");

    private final String description;

    LinkError(String description) {
        this.description = description;
    }

    public int code() {
        return ordinal();
    }

    public String description() {
        return description;
    }

    /** The error for a wire code; codes beyond the known ones map to {@link #ERROR}. */
    public static LinkError of(long code) {
        LinkError[] all = values();
        return code >= 0 && code < all.length ? all[(int) code] : ERROR;
    }
}
