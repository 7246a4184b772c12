package org.spice.desktop;

/**
 * A key pressed or released on a client's keyboard, as a PC AT set-1 scancode.
 *
 * @param connectionId the client's connection id (its main channel's session id)
 * @param code the scancode without its release bit: 0x01..0x7f for one-byte codes, and for codes that follow a
 *     prefix byte {@code 0x100 | code} after 0xE0 (the arrow keys, right Ctrl and Alt, ...), {@code 0x200 | code}
 *     after 0xE1 and {@code 0x300 | code} after 0xE2; this is spice-gtk's numbering of keys
 * @param pressed true for a press (make code), false for a release (break code, the 0x80 bit on the wire)
 */
public record KeyEvent(long connectionId, int code, boolean pressed) {
    /** The prefix flag of {@link #code()} for keys sent after an 0xE0 byte. */
    public static final int EXTENDED = 0x100;

    public KeyEvent {
        if (code < 0 || (code & ~0x37f) != 0) {
            throw new IllegalArgumentException("scancode 0x" + Integer.toHexString(code));
        }
    }

    /** Whether the key came after an 0xE0 prefix. */
    public boolean extended() {
        return (code & 0x300) == EXTENDED;
    }

    /** The scancode byte without prefix and release bit. */
    public int scancode() {
        return code & 0x7f;
    }

    /** The prefix byte (0xE0, 0xE1 or 0xE2), or 0 for a one-byte code. */
    public int prefix() {
        int p = code >> 8;
        return p == 0 ? 0 : 0xdf + p;
    }

    /** The bytes as a PC keyboard sends them, e.g. "0x1e" or "0xe0 0xc8". */
    public String bytes() {
        String b = "0x" + hex(scancode() | (pressed ? 0 : 0x80));
        return prefix() == 0 ? b : "0x" + hex(prefix()) + " " + b;
    }

    private static String hex(int v) {
        String s = Integer.toHexString(v);
        return s.length() < 2 ? "0" + s : s;
    }

    @Override
    public String toString() {
        return "KeyEvent[" + (pressed ? "down " : "up ") + bytes() + " (" + UsKeyboard.name(code) + ")"
                + ", connection 0x" + Long.toHexString(connectionId) + "]";
    }
}
