package org.spice.inputs.internal;

import org.spice.desktop.KeyEvent;

/**
 * Turns a stream of scancode bytes into key events, as a PC keyboard controller reads them: 0xE0, 0xE1 and 0xE2
 * prefix the byte after them, the 0x80 bit marks a release. The prefix carries over from one message to the
 * next, as in spice-server, which pushes every byte to the guest's keyboard in order. A zero byte (set 1's
 * "overrun") is skipped.
 */
final class ScancodeParser {
    private final long connectionId;
    private int prefix;

    ScancodeParser(long connectionId) {
        this.connectionId = connectionId;
    }

    /** The key event that byte {@code b} completes, or null for a prefix or a zero byte. */
    KeyEvent feed(int b) {
        b &= 0xff;
        if (b >= 0xe0 && b <= 0xe2) {
            prefix = b - 0xdf;
            return null;
        }
        int p = prefix;
        prefix = 0;
        if (b == 0) {
            return null;
        }
        return new KeyEvent(connectionId, p << 8 | (b & 0x7f), (b & 0x80) == 0);
    }
}
