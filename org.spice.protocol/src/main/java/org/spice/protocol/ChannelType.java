package org.spice.protocol;

/** SPICE channel type numbers (spice.proto {@code channel_type}) and their names as remote-viewer prints them. */
public final class ChannelType {
    public static final int MAIN = 1;
    public static final int DISPLAY = 2;
    public static final int INPUTS = 3;
    public static final int CURSOR = 4;
    public static final int PLAYBACK = 5;
    public static final int RECORD = 6;
    public static final int TUNNEL = 7;
    public static final int SMARTCARD = 8;
    public static final int USBREDIR = 9;
    public static final int PORT = 10;
    public static final int WEBDAV = 11;

    private static final String[] NAMES = {
        null, "main", "display", "inputs", "cursor", "playback", "record", "tunnel", "smartcard", "usbredir", "port",
        "webdav"
    };

    private ChannelType() {
    }

    /** The channel's name, or {@code "unknown(N)"} for a number spice.proto does not define. */
    public static String name(int type) {
        return type > 0 && type < NAMES.length ? NAMES[type] : "unknown(" + type + ")";
    }

    /** The type number for a name such as {@code "display"}, or -1. */
    public static int parse(String name) {
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    public static boolean isKnown(int type) {
        return type > 0 && type < NAMES.length;
    }
}
