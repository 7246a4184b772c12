package org.spice.recording;

import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

/** One record of a recording, at {@link #millis()} after its start. */
public sealed interface RecordingEvent {
    long millis();

    /** A new primary surface of this size, black until regions fill it. */
    record Surface(long millis, int width, int height) implements RecordingEvent {
    }

    /** New pixels (0x00RRGGBB, row-major) for {@code area}. */
    record Region(long millis, Rect area, int[] rgb) implements RecordingEvent {
    }

    /** The pointer now, or null for none. */
    record PointerState(long millis, Pointer pointer) implements RecordingEvent {
    }

    /** The recording ended cleanly. */
    record End(long millis) implements RecordingEvent {
    }
}
