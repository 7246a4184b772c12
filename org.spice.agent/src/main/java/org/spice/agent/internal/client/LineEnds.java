package org.spice.agent.internal.client;

import java.io.ByteArrayOutputStream;

/** Line ends of UTF-8 clipboard text between LF (this client) and CR LF (a guest announcing GUEST_LINEEND_CRLF). */
final class LineEnds {
    private LineEnds() {
    }

    /** Every LF not already after a CR becomes CR LF. */
    static byte[] toCrLf(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + text.length / 16 + 1);
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(text[i]);
        }
        return out.toByteArray();
    }

    /** Every CR LF becomes LF; a CR alone stays. */
    static byte[] toLf(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\r' && i + 1 < text.length && text[i + 1] == '\n') {
                continue;
            }
            out.write(text[i]);
        }
        return out.toByteArray();
    }
}
