package org.spice.agent.internal.wire;

import java.util.HashMap;
import java.util.Map;
import org.spice.protocol.SpiceProtocolException;

/**
 * The part of GLib's key-file format that file_xfer_start uses: {@code [group]} lines, {@code key=value} lines,
 * comments, and the value escapes {@code \s \n \t \r \\} that g_key_file_set_string writes.
 */
final class KeyFile {
    private final Map<String, String> values;

    private KeyFile(Map<String, String> values) {
        this.values = values;
    }

    String get(String key) {
        return values.get(key);
    }

    /** The keys of {@code group}; keys of other groups and localized keys ({@code name[fr]}) are ignored. */
    static KeyFile parse(String text, String group) {
        Map<String, String> out = new HashMap<>();
        String current = null;
        for (String raw : text.split("\n")) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            String t = line.stripLeading();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.startsWith("[")) {
                int end = t.indexOf(']');
                if (end < 0) {
                    throw new SpiceProtocolException("key file: malformed group line '" + t + "'");
                }
                current = t.substring(1, end);
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new SpiceProtocolException("key file: malformed line '" + t + "'");
            }
            String key = t.substring(0, eq).strip();
            if (group.equals(current) && key.indexOf('[') < 0) {
                out.put(key, unescape(t.substring(eq + 1).stripLeading()));
            }
        }
        return new KeyFile(out);
    }

    static String unescape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\\' || i + 1 == v.length()) {
                b.append(c);
                continue;
            }
            char e = v.charAt(++i);
            switch (e) {
                case 's' -> b.append(' ');
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case '\\' -> b.append('\\');
                default -> throw new SpiceProtocolException("key file: invalid escape \\" + e);
            }
        }
        return b.toString();
    }

    /** As g_key_file_set_string writes a value: a leading space as \s, control characters and \ escaped. */
    static String escape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case ' ' -> b.append(i == 0 ? "\\s" : " ");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\\' -> b.append("\\\\");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
