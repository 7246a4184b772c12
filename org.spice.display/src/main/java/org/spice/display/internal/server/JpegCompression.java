package org.spice.display.internal.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * When photo-like images go as JPEG (lossy) instead of QUIC, modelled on spice-server's
 * {@code jpeg-wan-compression}: {@code never} (the default: every image stays lossless), {@code always}, or
 * {@code auto}: for clients on a wide-area network. spice-server's auto measures the client's bandwidth at
 * connection (JPEG below 10 Mbps); this server has no such test and takes the client's address instead: a client
 * on this host or on a private network (loopback, IPv4 private and link-local, IPv6 unique-local and link-local
 * addresses) counts as local, any other as wide-area.
 *
 * <p>JPEG replaces QUIC only: with image-compression {@code quic} every image QUIC would take, with
 * {@code auto_lz}/{@code auto_glz} the photo-like ones; {@code lz}, {@code glz} and {@code off} never send JPEG.
 */
enum JpegCompression {
    NEVER, AUTO, ALWAYS;

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static JpegCompression parse(String name) {
        for (JpegCompression j : values()) {
            if (j.configName().equals(name)) {
                return j;
            }
        }
        throw new IllegalArgumentException("jpeg compression must be never, auto or always, not '" + name + "'");
    }

    /** Whether a client at {@code remoteAddress} (as InetSocketAddress prints it) gets JPEG. */
    boolean allows(String remoteAddress) {
        return switch (this) {
            case NEVER -> false;
            case ALWAYS -> true;
            case AUTO -> wideArea(remoteAddress);
        };
    }

    /** True for an address outside this host and the private networks; false when it cannot be told. */
    static boolean wideArea(String remoteAddress) {
        if (remoteAddress == null) {
            return false;
        }
        String s = remoteAddress;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            s = end < 0 ? "" : s.substring(1, end);
        } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') > 0) {
            s = s.substring(0, s.indexOf(':')); // IPv4 and its port
        } else if (s.lastIndexOf(':') > 0 && s.lastIndexOf(':') != s.indexOf(':')) {
            s = s.substring(0, s.lastIndexOf(':')); // IPv6 without brackets: its port after the last colon
        }
        if (!(s.matches("[0-9.]+") || s.indexOf(':') >= 0)) {
            return false; // only literals: never a name lookup
        }
        try {
            InetAddress a = InetAddress.getByName(s); // a literal: no lookup
            byte[] b = a.getAddress();
            boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
            return !(a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()
                    || a.isAnyLocalAddress() || uniqueLocal);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
