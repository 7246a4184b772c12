package org.spice.agent.api;

/**
 * The clipboards the agent protocol shares (VD_AGENT_CLIPBOARD_SELECTION_*), as spice-gtk shares them: the
 * clipboard of copy and paste, and X11's PRIMARY selection (select, middle-click paste). An agent without
 * VD_AGENT_CAP_CLIPBOARD_SELECTION shares the clipboard only.
 */
public enum ClipboardSelection {
    CLIPBOARD(0),
    PRIMARY(1);

    private final int code;

    ClipboardSelection(int code) {
        this.code = code;
    }

    /** The VD_AGENT_CLIPBOARD_SELECTION_* number. */
    public int code() {
        return code;
    }

    /** The selection with number {@code code}, or null for SECONDARY and unknown numbers. */
    public static ClipboardSelection of(int code) {
        for (ClipboardSelection s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
