package org.spice.agent.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** What a clipboard holds: data of one {@link ClipboardType}. Immutable; {@link #data()} returns a copy. */
public final class ClipboardContent {
    private final ClipboardType type;
    private final byte[] data;

    public ClipboardContent(ClipboardType type, byte[] data) {
        this.type = Objects.requireNonNull(type, "type");
        this.data = data.clone();
    }

    public static ClipboardContent text(String text) {
        return new ClipboardContent(ClipboardType.UTF8_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public static ClipboardContent png(byte[] png) {
        return new ClipboardContent(ClipboardType.IMAGE_PNG, png);
    }

    public ClipboardType type() {
        return type;
    }

    public byte[] data() {
        return data.clone();
    }

    public int size() {
        return data.length;
    }

    /** The text, for {@link ClipboardType#UTF8_TEXT}; null for other types. */
    public String text() {
        return type == ClipboardType.UTF8_TEXT ? new String(data, StandardCharsets.UTF_8) : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipboardContent c && c.type == type && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(data);
    }

    /** Type and size only: clipboard content stays out of logs. */
    @Override
    public String toString() {
        return type.mimeType() + ", " + data.length + " bytes";
    }
}
