package org.spice.cursor.internal.wire;

import io.netty.buffer.ByteBuf;
import org.spice.cursor.api.CursorShape;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.Wire;

/**
 * The cursor channel's messages (spice.proto {@code CursorChannel}); the server sends all of them. A cursor field is
 * {@link CursorCodec}'s. Decoders leave bytes after the last field unread: the handler skips them, as spice-gtk
 * does.
 */
public final class CursorMessages {
    public static final int INIT = 101;
    public static final int RESET = 102;
    public static final int SET = 103;
    public static final int MOVE = 104;
    public static final int HIDE = 105;
    public static final int TRAIL = 106;
    public static final int INVAL_ONE = 107;
    public static final int INVAL_ALL = 108;

    private CursorMessages() {
    }

    /** spice.proto {@code Point16}, signed. */
    private static int coordinate(ByteBuf in) {
        return in.readShortLE();
    }

    /** The cursor field of what our server sends: an ALPHA shape, or none (null). */
    private static CursorCodec.Decoded sent(long unique, CursorShape shape) {
        return new CursorCodec.Decoded(shape == null ? CursorCodec.FLAG_NONE : 0, unique, shape);
    }

    /** {Point16 position; uint16 trail_length; uint16 trail_frequency; uint8 visible; Cursor cursor}. */
    public record Init(int x, int y, int trailLength, int trailFrequency, boolean visible, CursorCodec.Decoded cursor)
            implements SpiceMessage {
        /** Our server's init: no trail, and an ALPHA shape or none. */
        public Init(int x, int y, boolean visible, long unique, CursorShape shape) {
            this(x, y, 0, 0, visible, sent(unique, shape));
        }

        public int type() {
            return INIT;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(x).writeShortLE(y).writeShortLE(trailLength).writeShortLE(trailFrequency)
                    .writeByte(visible ? 1 : 0);
            CursorCodec.encode(out, cursor);
        }

        public static Init decode(ByteBuf in) {
            Wire.need(in, 9, "cursor init");
            int x = coordinate(in);
            int y = coordinate(in);
            int length = in.readUnsignedShortLE();
            int frequency = in.readUnsignedShortLE();
            boolean visible = in.readUnsignedByte() != 0;
            return new Init(x, y, length, frequency, visible, CursorCodec.decode(in));
        }
    }

    /** {Point16 position; uint8 visible; Cursor cursor}: a new cursor image with its position and visibility. */
    public record Set(int x, int y, boolean visible, CursorCodec.Decoded cursor) implements SpiceMessage {
        /** Our server's set: an ALPHA shape, or none. */
        public Set(int x, int y, boolean visible, long unique, CursorShape shape) {
            this(x, y, visible, sent(unique, shape));
        }

        public int type() {
            return SET;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(x).writeShortLE(y).writeByte(visible ? 1 : 0);
            CursorCodec.encode(out, cursor);
        }

        public static Set decode(ByteBuf in) {
            Wire.need(in, 5, "cursor set");
            int x = coordinate(in);
            int y = coordinate(in);
            boolean visible = in.readUnsignedByte() != 0;
            return new Set(x, y, visible, CursorCodec.decode(in));
        }
    }

    /** {Point16 position}: the cursor moved, and is visible. */
    public record Move(int x, int y) implements SpiceMessage {
        public int type() {
            return MOVE;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(x).writeShortLE(y);
        }

        public static Move decode(ByteBuf in) {
            Wire.need(in, 4, "cursor move");
            return new Move(coordinate(in), coordinate(in));
        }
    }

    /** The cursor is hidden until the next SET. */
    public record Hide() implements SpiceMessage {
        public int type() {
            return HIDE;
        }

        public void encode(ByteBuf out) {
        }
    }

    /** {uint16 length; uint16 frequency}: a pointer trail, which no client draws today. */
    public record Trail(int length, int frequency) implements SpiceMessage {
        public int type() {
            return TRAIL;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(length).writeShortLE(frequency);
        }

        public static Trail decode(ByteBuf in) {
            Wire.need(in, 4, "cursor trail");
            return new Trail(in.readUnsignedShortLE(), in.readUnsignedShortLE());
        }
    }

    /** {uint64 id}: drop one cursor from the client's cache. */
    public record InvalOne(long id) implements SpiceMessage {
        public int type() {
            return INVAL_ONE;
        }

        public void encode(ByteBuf out) {
            out.writeLongLE(id);
        }

        public static InvalOne decode(ByteBuf in) {
            return new InvalOne(Wire.u64(in, "cursor inval_one"));
        }
    }
}
