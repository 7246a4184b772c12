package org.spice.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A SPICE address as remote-viewer parses it: {@code spice://HOST[:PORT][?port=P&tls-port=T&password=X]} or
 * {@code spice+tls://HOST:TLSPORT}. A port of -1 means "not given".
 *
 * @param host host name or address, IPv6 without brackets
 * @param port plaintext port, or -1
 * @param tlsPort TLS port, or -1
 * @param password a password given in the query; callers warn, since URIs end up in shell history and logs
 */
public record SpiceUri(String host, int port, int tlsPort, String password) {

    public SpiceUri {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("SPICE URI has no host");
        }
        if (port < 0 && tlsPort < 0) {
            throw new IllegalArgumentException("SPICE URI has neither a port nor a tls-port");
        }
        checkPort(port);
        checkPort(tlsPort);
    }

    private static void checkPort(int p) {
        if (p == 0 || p > 65535) {
            throw new IllegalArgumentException("port out of range: " + p);
        }
    }

    public static SpiceUri parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a SPICE URI: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        boolean tls;
        if ("spice".equalsIgnoreCase(scheme)) {
            tls = false;
        } else if ("spice+tls".equalsIgnoreCase(scheme)) {
            tls = true;
        } else {
            throw new IllegalArgumentException("not a SPICE URI (scheme must be spice:// or spice+tls://): " + text);
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("SPICE URI has no host: " + text);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Map<String, String> query = query(uri.getRawQuery());
        int port = -1;
        int tlsPort = parsePort(query.get("tls-port"));
        if (uri.getPort() > 0) {
            if (tls) {
                tlsPort = uri.getPort();
            } else {
                port = uri.getPort();
            }
        }
        if (query.containsKey("port")) {
            port = parsePort(query.get("port"));
        }
        return new SpiceUri(host, port, tlsPort, query.get("password"));
    }

    private static int parsePort(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number: " + s);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }

    /** The same address without the password, for logs and output. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        if (port < 0) {
            return "spice+tls://" + h + ":" + tlsPort;
        }
        return "spice://" + h + ":" + port + (tlsPort > 0 ? "?tls-port=" + tlsPort : "");
    }
}
