package org.spice.display.internal.server;

import io.netty.buffer.ByteBuf;
import org.spice.display.api.Rect;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.wire.SpiceMessage;

/**
 * Video streaming of a region that keeps changing, as spice-server's {@code streaming-video} does: a
 * rectangle redrawn with the same bounds frame after frame becomes a video stream; it ends, with a lossless
 * redraw, when the region has been still for a second.
 */
final class VideoStreams {
    /** spice-server's names: off never streams, all streams any repeated region, filter only large ones. */
    enum Mode { OFF, ALL, FILTER }

    static final int FLAG_TOP_DOWN = 1;
    static final long IDLE_NANOS = 1_000_000_000L;

    private final Mode mode;
    private Rect candidate = new Rect(0, 0, 0, 0);
    private int repeats;
    private Rect streaming;
    private long lastFrame;
    private int nextId;
    private int id = -1;

    VideoStreams(Mode mode) {
        this.mode = mode;
    }

    static Mode mode(String name) {
        return switch (name) {
            case "off" -> Mode.OFF;
            case "all" -> Mode.ALL;
            case "filter" -> Mode.FILTER;
            default -> throw new IllegalArgumentException("streaming-video must be off, all or filter, not " + name);
        };
    }

    /** The stream's rectangle while one runs, else null. */
    Rect active() {
        return streaming;
    }

    int id() {
        return id;
    }

    /** Notes a change; true when it starts a stream over {@code dirty}. */
    boolean observe(Rect dirty, long now) {
        if (mode == Mode.OFF || streaming != null) {
            return false;
        }
        repeats = dirty.equals(candidate) ? repeats + 1 : 1;
        candidate = dirty;
        boolean bigEnough = mode == Mode.ALL || dirty.width() * dirty.height() >= 96 * 96;
        if (repeats >= (mode == Mode.ALL ? 3 : 10) && bigEnough) {
            streaming = dirty;
            id = nextId++;
            lastFrame = now;
            return true;
        }
        return false;
    }

    void framed(long now) {
        lastFrame = now;
    }

    /** True (and the stream is over) when the stream has had no frame for a second. */
    boolean idle(long now) {
        if (streaming != null && now - lastFrame > IDLE_NANOS) {
            streaming = null;
            repeats = 0;
            return true;
        }
        return false;
    }

    void stop() {
        streaming = null;
        repeats = 0;
    }

    record Create(int id, Rect dest, int codec) implements SpiceMessage {
        public int type() {
            return DisplayMessages.STREAM_CREATE;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE(0).writeIntLE(id).writeByte(FLAG_TOP_DOWN).writeByte(codec).writeLongLE(0);
            out.writeIntLE(dest.width()).writeIntLE(dest.height()).writeIntLE(dest.width()).writeIntLE(dest.height());
            DisplayMessages.writeRect(out, dest);
            out.writeByte(0); // no clip
        }
    }

    record Data(int id, long multiMediaTime, byte[] frame) implements SpiceMessage {
        public int type() {
            return DisplayMessages.STREAM_DATA;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE(id).writeIntLE((int) multiMediaTime).writeIntLE(frame.length).writeBytes(frame);
        }
    }

    record Destroy(int id) implements SpiceMessage {
        public int type() {
            return DisplayMessages.STREAM_DESTROY;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE(id);
        }
    }
}
