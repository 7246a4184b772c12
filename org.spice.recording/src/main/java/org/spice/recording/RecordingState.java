package org.spice.recording;

import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

/**
 * The picture and pointer a recording shows at some point: each record applied in turn. Frames are immutable as the
 * desktop SPI wants them, so each change makes a new one (a copy of the surface).
 */
public final class RecordingState {
    private Frame frame;
    private Pointer pointer;
    private long serial;

    /**
     * Applies one record.
     *
     * @return the area of the picture that changed (the whole surface for a new one), or null when the picture did
     *     not change (pointer and end records)
     */
    public Rect apply(RecordingEvent event) {
        if (event instanceof RecordingEvent.Surface s) {
            frame = new Frame(s.width(), s.height(), new int[s.width() * s.height()], ++serial);
            return new Rect(0, 0, s.width(), s.height());
        }
        if (event instanceof RecordingEvent.Region r) {
            int[] rgb = frame.rgb().clone();
            Rect a = r.area();
            for (int y = 0; y < a.height(); y++) {
                System.arraycopy(r.rgb(), y * a.width(), rgb, (a.y() + y) * frame.width() + a.x(), a.width());
            }
            frame = new Frame(frame.width(), frame.height(), rgb, ++serial);
            return a;
        }
        if (event instanceof RecordingEvent.PointerState p) {
            pointer = p.pointer();
        }
        return null;
    }

    /** The picture now, or null before the first surface. */
    public Frame frame() {
        return frame;
    }

    /** The pointer now, or null for none. */
    public Pointer pointer() {
        return pointer;
    }
}
