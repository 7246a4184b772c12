package org.spice.agent.api;

/** The clipboard data types of the agent protocol (VD_AGENT_CLIPBOARD_*), with their MIME types. */
public enum ClipboardType {
    UTF8_TEXT(1, "text/plain;charset=utf-8"),
    /** What every agent that shares images understands. */
    IMAGE_PNG(2, "image/png"),
    IMAGE_BMP(3, "image/bmp"),
    IMAGE_TIFF(4, "image/tiff"),
    IMAGE_JPG(5, "image/jpeg");

    private final int code;
    private final String mimeType;

    ClipboardType(int code, String mimeType) {
        this.code = code;
        this.mimeType = mimeType;
    }

    /** The VD_AGENT_CLIPBOARD_* number. */
    public int code() {
        return code;
    }

    public String mimeType() {
        return mimeType;
    }

    /** The type with VD_AGENT_CLIPBOARD_* number {@code code}, or null for NONE, FILE_LIST and unknown numbers. */
    public static ClipboardType of(long code) {
        for (ClipboardType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
