package org.spice.display.internal.server;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.spice.desktop.Rect;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.wire.SpiceMessage;

/**
 * Video streaming of a region that keeps changing, as spice-server's {@code streaming-video} does: a
 * rectangle redrawn with the same bounds frame after frame becomes a video stream; it ends, with a lossless
 * redraw, when the region has been still for a second.
 *
 * <p>Changes elsewhere on the screen between a region's frames do not interrupt its count (a few candidates are
 * followed at once): a viewer that joined while someone typed beside a playing video otherwise never saw the video
 * streamed and got every frame as a lossless image, twenty times the bytes. A change that overlaps a candidate with
 * other bounds ends that candidate, and so does a second without its next frame.
 */
final class VideoStreams {
    /** spice-server's names: off never streams, all streams any repeated region, filter only large ones. */
    enum Mode { OFF, ALL, FILTER }

    static final int FLAG_TOP_DOWN = 1;
    static final long IDLE_NANOS = 1_000_000_000L;

    /** Regions followed at once: the video and what changes beside it (a text box, a clock, the cursor's trail). */
    static final int CANDIDATES = 4;

    private final Mode mode;
    private final Rect[] candidates = new Rect[CANDIDATES];
    private final int[] repeats = new int[CANDIDATES];
    private final long[] lastSeen = new long[CANDIDATES];
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
        int slot = -1;
        int free = -1;
        int oldest = -1;
        for (int i = 0; i < CANDIDATES; i++) {
            Rect c = candidates[i];
            if (c != null && (now - lastSeen[i] > IDLE_NANOS || !c.equals(dirty) && !c.intersect(dirty).isEmpty())) {
                candidates[i] = c = null; // still for a second, or redrawn with other bounds: not a video's frames
            }
            if (c == null) {
                free = free < 0 ? i : free;
            } else if (c.equals(dirty)) {
                slot = i;
            } else if (oldest < 0 || lastSeen[i] < lastSeen[oldest]) {
                oldest = i;
            }
        }
        if (slot < 0) {
            slot = free >= 0 ? free : oldest;
            candidates[slot] = dirty;
            repeats[slot] = 0;
        }
        lastSeen[slot] = now;
        repeats[slot]++;
        boolean bigEnough = mode == Mode.ALL || dirty.width() * dirty.height() >= 96 * 96;
        if (repeats[slot] >= (mode == Mode.ALL ? 3 : 10) && bigEnough) {
            streaming = dirty;
            id = nextId++;
            lastFrame = now;
            forgetCandidates();
            return true;
        }
        return false;
    }

    private void forgetCandidates() {
        Arrays.fill(candidates, null);
    }

    void framed(long now) {
        lastFrame = now;
    }

    /** True (and the stream is over) when the stream has had no frame for a second. */
    boolean idle(long now) {
        if (streaming != null && now - lastFrame > IDLE_NANOS) {
            streaming = null;
            forgetCandidates();
            return true;
        }
        return false;
    }

    void stop() {
        streaming = null;
        forgetCandidates();
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
