package org.spice.recording;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

/**
 * Writes one recording (docs/recording.md) to a stream: the header at once, then a record per call. Not thread-safe:
 * one writer thread owns it. Times are milliseconds since the recording began and must not go backwards.
 */
public final class RecordingWriter implements AutoCloseable {
    private final DataOutputStream out;
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final byte[] chunk = new byte[64 * 1024];
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private final DataOutputStream fields = new DataOutputStream(payload);
    private long written;
    private long lastMillis;
    private Pointer.Shape lastShape;

    public RecordingWriter(OutputStream out, Header header) throws IOException {
        this.out = new DataOutputStream(out);
        byte[] description = header.description().getBytes(StandardCharsets.UTF_8);
        if (description.length > RecordingFormat.MAX_DESCRIPTION) {
            throw new IllegalArgumentException("description longer than " + RecordingFormat.MAX_DESCRIPTION
                    + " bytes");
        }
        this.out.write(RecordingFormat.MAGIC);
        this.out.writeShort(RecordingFormat.VERSION);
        this.out.writeShort(0);
        this.out.writeLong(header.startMillis());
        this.out.writeShort(description.length);
        this.out.write(description);
        written = RecordingFormat.MAGIC.length + 2 + 2 + 8 + 2 + description.length;
    }

    /** A new primary surface (it starts black; follow it with a region of the whole surface). */
    public void surface(long millis, int width, int height) throws IOException {
        if (!Frame.fits(width, height)) {
            throw new IllegalArgumentException("surface " + width + "x" + height + " is beyond the format's limits");
        }
        payload.reset();
        fields.writeInt(width);
        fields.writeInt(height);
        record(RecordingFormat.SURFACE, millis);
    }

    /** The pixels of {@code area} in {@code frame}. */
    public void region(long millis, Frame frame, Rect area) throws IOException {
        Rect a = area.intersect(new Rect(0, 0, frame.width(), frame.height()));
        if (a.isEmpty()) {
            return;
        }
        payload.reset();
        fields.writeInt(a.x());
        fields.writeInt(a.y());
        fields.writeInt(a.width());
        fields.writeInt(a.height());
        byte[] row = new byte[a.width() * 3];
        int[] rgb = frame.rgb();
        deflater.reset();
        for (int y = a.y(); y < a.bottom(); y++) {
            int p = y * frame.width() + a.x();
            for (int i = 0; i < row.length; i += 3, p++) {
                int c = rgb[p];
                row[i] = (byte) (c >> 16);
                row[i + 1] = (byte) (c >> 8);
                row[i + 2] = (byte) c;
            }
            deflate(row);
        }
        finishDeflate();
        record(RecordingFormat.REGION, millis);
    }

    /** The pointer now, or null for none; its image is written only when it is another instance than last time. */
    public void pointer(long millis, Pointer pointer) throws IOException {
        payload.reset();
        if (pointer == null) {
            fields.writeByte(0);
            fields.writeInt(0);
            fields.writeInt(0);
        } else {
            Pointer.Shape s = pointer.shape();
            boolean newShape = s != lastShape;
            fields.writeByte(RecordingFormat.POINTER_PRESENT | (pointer.visible() ? RecordingFormat.POINTER_VISIBLE : 0)
                    | (newShape ? RecordingFormat.POINTER_SHAPE : 0));
            fields.writeInt(pointer.x());
            fields.writeInt(pointer.y());
            if (newShape) {
                fields.writeShort(s.width());
                fields.writeShort(s.height());
                fields.writeShort(s.hotX());
                fields.writeShort(s.hotY());
                byte[] bytes = new byte[s.argb().length * 4];
                for (int i = 0, j = 0; i < s.argb().length; i++, j += 4) {
                    int c = s.argb()[i];
                    bytes[j] = (byte) (c >> 24);
                    bytes[j + 1] = (byte) (c >> 16);
                    bytes[j + 2] = (byte) (c >> 8);
                    bytes[j + 3] = (byte) c;
                }
                deflater.reset();
                deflate(bytes);
                finishDeflate();
                lastShape = s;
            }
        }
        record(RecordingFormat.POINTER, millis);
    }

    /** Marks the recording as complete; write nothing after it. */
    public void end(long millis) throws IOException {
        payload.reset();
        record(RecordingFormat.END, millis);
        out.flush();
    }

    /** Bytes written so far, header included. */
    public long size() {
        return written;
    }

    public void flush() throws IOException {
        out.flush();
    }

    private void deflate(byte[] input) {
        deflater.setInput(input);
        while (!deflater.needsInput()) {
            int n = deflater.deflate(chunk);
            payload.write(chunk, 0, n);
        }
    }

    private void finishDeflate() {
        deflater.finish();
        while (!deflater.finished()) {
            int n = deflater.deflate(chunk);
            payload.write(chunk, 0, n);
        }
    }

    private void record(int type, long millis) throws IOException {
        if (millis < lastMillis || millis > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("time " + millis + " ms is before the last record's " + lastMillis
                    + " ms or beyond the format's 49 days");
        }
        if (payload.size() > RecordingFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("record of " + payload.size() + " bytes is over the format's limit");
        }
        lastMillis = millis;
        out.writeByte(type);
        out.writeInt((int) millis);
        out.writeInt(payload.size());
        payload.writeTo(out);
        written += 9 + payload.size();
    }

    /** Closes the stream (without an end record: call {@link #end} first for a complete recording). */
    @Override
    public void close() throws IOException {
        deflater.end();
        out.close();
    }
}
