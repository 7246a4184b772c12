package org.spice.recording;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

/**
 * Reads a recording (docs/recording.md) record by record. Every length is checked against the format's limits, the
 * bytes left in the file and the current surface before anything is allocated; a record that breaks them, and a file
 * that ends inside a record, is a {@link RecordingFormatException} naming the byte offset. Not thread-safe.
 */
public final class RecordingReader implements AutoCloseable {
    /** zlib cannot expand data more than about 1032 times; a claimed size beyond that is a lie. */
    private static final long MAX_INFLATE_RATIO = 1032;

    private final DataInputStream in;
    private final long length;
    private final Header header;
    private final Inflater inflater = new Inflater();
    private long offset;
    private long lastMillis;
    private int surfaceWidth;
    private int surfaceHeight;
    private Pointer.Shape shape;
    private boolean ended;

    /**
     * @param length the file's size in bytes, or -1 when not known (payload lengths are then checked against the
     *     format's limit only)
     */
    public RecordingReader(InputStream in, long length) throws IOException {
        this.in = new DataInputStream(in);
        this.length = length;
        byte[] magic = bytes(RecordingFormat.MAGIC.length, "the file's magic");
        if (!Arrays.equals(magic, RecordingFormat.MAGIC)) {
            throw new RecordingFormatException(0, "not a SPICE recording (no SPICEREC magic)");
        }
        int version = u16("the version");
        if (version != RecordingFormat.VERSION) {
            throw new RecordingFormatException(8, "recording format version " + version + ", this reader knows "
                    + RecordingFormat.VERSION);
        }
        u16("the flags");
        long start = s64("the start time");
        int n = u16("the description's length");
        if (n > RecordingFormat.MAX_DESCRIPTION) {
            throw new RecordingFormatException(offset - 2, "description of " + n + " bytes, at most "
                    + RecordingFormat.MAX_DESCRIPTION);
        }
        long at = offset;
        byte[] d = bytes(n, "the description");
        String description;
        try {
            description = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(d)).toString();
        } catch (CharacterCodingException e) {
            throw new RecordingFormatException(at, "description is not UTF-8");
        }
        header = new Header(start, description);
    }

    public Header header() {
        return header;
    }

    /** Whether the last record read was the end record (the recording was closed cleanly). */
    public boolean ended() {
        return ended;
    }

    /** Bytes read so far. */
    public long offset() {
        return offset;
    }

    /** The next record, or null at the end of the file (after the end record, or where the writer stopped). */
    public RecordingEvent next() throws IOException {
        if (ended) {
            return null;
        }
        long at = offset;
        int type = in.read();
        if (type < 0) {
            return null;
        }
        offset++;
        long millis = u32("the record's time");
        long size = u32("the record's length");
        if (millis < lastMillis) {
            throw new RecordingFormatException(at, "record time " + millis + " ms is before the previous " + lastMillis
                    + " ms");
        }
        if (size > RecordingFormat.MAX_PAYLOAD) {
            throw new RecordingFormatException(at, "record of " + size + " bytes, at most "
                    + RecordingFormat.MAX_PAYLOAD);
        }
        if (length >= 0 && size > length - offset) {
            throw new RecordingFormatException(at, "truncated: the record needs " + size + " bytes, the file has "
                    + (length - offset) + " left");
        }
        lastMillis = millis;
        ByteBuffer p = ByteBuffer.wrap(bytes((int) size, "the record's payload"));
        try {
            return switch (type) {
                case RecordingFormat.SURFACE -> surface(millis, p, at);
                case RecordingFormat.REGION -> region(millis, p, at);
                case RecordingFormat.POINTER -> pointer(millis, p, at);
                case RecordingFormat.END -> {
                    ended = true;
                    yield new RecordingEvent.End(millis);
                }
                default -> throw new RecordingFormatException(at, "unknown record type " + type);
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw new RecordingFormatException(at, "record of type " + type + " is too short (" + size + " bytes)");
        }
    }

    private RecordingEvent surface(long millis, ByteBuffer p, long at) throws RecordingFormatException {
        long w = p.getInt() & 0xFFFFFFFFL;
        long h = p.getInt() & 0xFFFFFFFFL;
        if (!Frame.fits(w, h)) {
            throw new RecordingFormatException(at, "surface " + w + "x" + h + " is beyond " + Frame.MAX_SIDE
                    + " pixels a side or " + Frame.MAX_PIXELS + " pixels");
        }
        surfaceWidth = (int) w;
        surfaceHeight = (int) h;
        return new RecordingEvent.Surface(millis, surfaceWidth, surfaceHeight);
    }

    private RecordingEvent region(long millis, ByteBuffer p, long at) throws RecordingFormatException {
        long x = p.getInt() & 0xFFFFFFFFL;
        long y = p.getInt() & 0xFFFFFFFFL;
        long w = p.getInt() & 0xFFFFFFFFL;
        long h = p.getInt() & 0xFFFFFFFFL;
        if (surfaceWidth == 0) {
            throw new RecordingFormatException(at, "region before any surface");
        }
        if (w == 0 || h == 0 || x + w > surfaceWidth || y + h > surfaceHeight) {
            throw new RecordingFormatException(at, "region " + w + "x" + h + " at " + x + "," + y + " is outside the "
                    + surfaceWidth + "x" + surfaceHeight + " surface");
        }
        long bytes = w * h * 3;
        checkInflatable(bytes, p.remaining(), at);
        byte[] raw = inflate(p, (int) bytes, at);
        int[] rgb = new int[(int) (w * h)];
        for (int i = 0, j = 0; i < rgb.length; i++, j += 3) {
            rgb[i] = (raw[j] & 0xFF) << 16 | (raw[j + 1] & 0xFF) << 8 | raw[j + 2] & 0xFF;
        }
        return new RecordingEvent.Region(millis, new Rect((int) x, (int) y, (int) w, (int) h), rgb);
    }

    private RecordingEvent pointer(long millis, ByteBuffer p, long at) throws RecordingFormatException {
        int flags = p.get() & 0xFF;
        int x = p.getInt();
        int y = p.getInt();
        if ((flags & ~7) != 0) {
            throw new RecordingFormatException(at, "unknown pointer flags " + flags);
        }
        if ((flags & RecordingFormat.POINTER_PRESENT) == 0) {
            return new RecordingEvent.PointerState(millis, null);
        }
        if ((flags & RecordingFormat.POINTER_SHAPE) != 0) {
            int w = p.getShort() & 0xFFFF;
            int h = p.getShort() & 0xFFFF;
            int hx = p.getShort() & 0xFFFF;
            int hy = p.getShort() & 0xFFFF;
            if (w == 0 || h == 0 || w > RecordingFormat.MAX_POINTER_SIDE || h > RecordingFormat.MAX_POINTER_SIDE
                    || hx >= w || hy >= h) {
                throw new RecordingFormatException(at, "pointer image " + w + "x" + h + " hot " + hx + "," + hy
                        + " is not a valid cursor");
            }
            long bytes = (long) w * h * 4;
            checkInflatable(bytes, p.remaining(), at);
            byte[] raw = inflate(p, (int) bytes, at);
            int[] argb = new int[w * h];
            for (int i = 0, j = 0; i < argb.length; i++, j += 4) {
                argb[i] = (raw[j] & 0xFF) << 24 | (raw[j + 1] & 0xFF) << 16 | (raw[j + 2] & 0xFF) << 8
                        | raw[j + 3] & 0xFF;
            }
            shape = new Pointer.Shape(w, h, hx, hy, argb);
        } else if (shape == null) {
            throw new RecordingFormatException(at, "pointer without an image before any image");
        }
        return new RecordingEvent.PointerState(millis,
                new Pointer(x, y, (flags & RecordingFormat.POINTER_VISIBLE) != 0, shape));
    }

    private static void checkInflatable(long bytes, int compressed, long at) throws RecordingFormatException {
        if (bytes > (long) compressed * MAX_INFLATE_RATIO + 64) {
            throw new RecordingFormatException(at, compressed + " compressed bytes cannot hold the " + bytes
                    + " bytes the record claims");
        }
    }

    private byte[] inflate(ByteBuffer p, int size, long at) throws RecordingFormatException {
        byte[] out = new byte[size];
        inflater.reset();
        inflater.setInput(p.array(), p.arrayOffset() + p.position(), p.remaining());
        try {
            int n = 0;
            while (n < size && !inflater.finished()) {
                int got = inflater.inflate(out, n, size - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != size || !inflater.finished()) {
                throw new RecordingFormatException(at, "compressed data holds " + (inflater.finished() ? n : "other than")
                        + " bytes, the record claims " + size);
            }
        } catch (DataFormatException e) {
            throw new RecordingFormatException(at, "corrupt compressed data: " + e.getMessage());
        }
        return out;
    }

    private byte[] bytes(int n, String what) throws IOException {
        byte[] b = new byte[n];
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new RecordingFormatException(offset, "truncated: the file ends inside " + what);
        }
        offset += n;
        return b;
    }

    private int u16(String what) throws IOException {
        byte[] b = bytes(2, what);
        return (b[0] & 0xFF) << 8 | b[1] & 0xFF;
    }

    private long u32(String what) throws IOException {
        byte[] b = bytes(4, what);
        return ByteBuffer.wrap(b).getInt() & 0xFFFFFFFFL;
    }

    private long s64(String what) throws IOException {
        return ByteBuffer.wrap(bytes(8, what)).getLong();
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
