package org.spice.recording;

import java.io.IOException;

/** A recording that is not one, is of another version, or is truncated or corrupt at {@link #offset()}. */
public final class RecordingFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public RecordingFormatException(long offset, String message) {
        super("at byte " + offset + ": " + message);
        this.offset = offset;
    }

    /** Where in the file the problem is. */
    public long offset() {
        return offset;
    }
}
