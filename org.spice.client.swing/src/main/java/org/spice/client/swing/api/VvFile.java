package org.spice.client.swing.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spice.protocol.SpiceUri;

/**
 * A remote-viewer connection file ({@code .vv}): the {@code [virt-viewer]} section of a GLib key file. Keys read:
 * {@code type} (must be spice), {@code host}, {@code port}, {@code tls-port}, {@code password}, {@code title},
 * {@code fullscreen}, {@code ca} (the CA certificate as PEM, line breaks written as {@code \n}),
 * {@code host-subject}, {@code delete-this-file}, {@code username} (SASL) and {@code proxy}; other keys and sections
 * are ignored.
 *
 * @param port plaintext port, or -1
 * @param tlsPort TLS port, or -1
 * @param password the password, or null; {@link #toString()} never shows it
 * @param title window title, or null
 * @param ca PEM text of the CA certificate, or null
 * @param hostSubject expected subject of the server certificate, or null
 * @param deleteThisFile whether the file asks to be deleted once read
 * @param username the SASL user name, or null
 * @param proxy the HTTP proxy to connect through ({@code http://HOST:PORT}, as Proxmox writes it), or null
 * @param ignoredKeys the keys of [virt-viewer] this client does not use (remote-viewer options such as
 *     usb-filter), sorted, for a warning
 */
public record VvFile(String host, int port, int tlsPort, String password, String title, boolean fullScreen,
        String ca, String hostSubject, boolean deleteThisFile, String username, String proxy,
        List<String> ignoredKeys) {
    private static final java.util.Set<String> USED = java.util.Set.of("type", "host", "port", "tls-port",
            "password", "title", "fullscreen", "ca", "host-subject", "delete-this-file", "username", "proxy");

    public VvFile {
        ignoredKeys = List.copyOf(ignoredKeys);
    }

    /** A connection file's settings, with no user name, no proxy and no ignored keys. */
    public VvFile(String host, int port, int tlsPort, String password, String title, boolean fullScreen, String ca,
            String hostSubject, boolean deleteThisFile) {
        this(host, port, tlsPort, password, title, fullScreen, ca, hostSubject, deleteThisFile, null, null,
                List.of());
    }

    /** Larger is not a connection file; reading stops there. */
    public static final int MAX_BYTES = 1 << 20;

    private static final String SECTION = "virt-viewer";

    /** Whether {@code arg} names a .vv file rather than a URI. */
    public static boolean looksLikeFile(String arg) {
        return arg.toLowerCase(Locale.ROOT).endsWith(".vv") && !arg.contains("://");
    }

    public static VvFile read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException(file + " is larger than " + MAX_BYTES + " bytes: not a .vv file");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses the text of a .vv file.
     *
     * @throws IllegalArgumentException when there is no [virt-viewer] section, the type is not spice, the host or
     *     both ports are missing, or a value is malformed
     */
    public static VvFile parse(String text) {
        Map<String, String> keys = new HashMap<>();
        boolean sectionSeen = false;
        String section = null;
        int lineNo = 0;
        for (String raw : text.split("\r?\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new IllegalArgumentException("line " + lineNo + ": malformed section header");
                }
                section = line.substring(1, line.length() - 1).strip();
                sectionSeen |= SECTION.equals(section);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("line " + lineNo + ": expected key=value");
            }
            if (SECTION.equals(section)) {
                keys.put(line.substring(0, eq).strip(), unescape(line.substring(eq + 1).strip(), lineNo));
            }
        }
        if (!sectionSeen) {
            throw new IllegalArgumentException("no [virt-viewer] section: not a remote-viewer connection file");
        }
        String type = keys.get("type");
        if (type == null || !type.equalsIgnoreCase("spice")) {
            throw new IllegalArgumentException("type=" + type + ": only spice connections are supported");
        }
        String host = keys.get("host");
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host= in [virt-viewer]");
        }
        int port = port(keys, "port");
        int tlsPort = port(keys, "tls-port");
        if (port < 0 && tlsPort < 0) {
            throw new IllegalArgumentException("neither port= nor tls-port= in [virt-viewer]");
        }
        return new VvFile(host, port, tlsPort, keys.get("password"), keys.get("title"), bool(keys, "fullscreen"),
                keys.get("ca"), keys.get("host-subject"), bool(keys, "delete-this-file"), keys.get("username"),
                keys.get("proxy"), keys.keySet().stream().filter(k -> !USED.contains(k)).sorted().toList());
    }

    /** The address to connect to, without the password. */
    public SpiceUri uri() {
        return new SpiceUri(host, port, tlsPort, null);
    }

    private static int port(Map<String, String> keys, String key) {
        String v = keys.get(key);
        if (v == null || v.isEmpty() || v.equals("-1")) {
            return -1;
        }
        try {
            int p = Integer.parseInt(v);
            if (p <= 0 || p > 65535) {
                throw new IllegalArgumentException(key + "=" + v + ": out of range");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": not a number");
        }
    }

    private static boolean bool(Map<String, String> keys, String key) {
        String v = keys.get(key);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new IllegalArgumentException(key + "=" + v + ": expected 1, 0, true or false");
        };
    }

    /** GLib key file escapes: \n \t \r \s \\. */
    private static String unescape(String v, int lineNo) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i == v.length()) {
                throw new IllegalArgumentException("line " + lineNo + ": a value ends in a lone backslash");
            }
            switch (v.charAt(i)) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 's' -> b.append(' ');
                case '\\' -> b.append('\\');
                default -> throw new IllegalArgumentException("line " + lineNo + ": unknown escape \\"
                        + v.charAt(i));
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "VvFile[" + uri() + ", password=" + (password == null ? "none" : "***") + ", title=" + title
                + ", fullScreen=" + fullScreen + ", ca=" + (ca == null ? "none" : "PEM") + ", hostSubject="
                + hostSubject + ", deleteThisFile=" + deleteThisFile + ", username=" + username + ", proxy="
                + (proxy == null ? "none" : "set") + "]";
    }
}
