package org.spice.cursor.internal;

import io.netty.buffer.ByteBuf;
import org.spice.cursor.api.CursorShape;
import org.spice.protocol.wire.SpiceMessage;

/** The cursor channel's messages (spice.proto {@code CursorChannel}). */
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

    /** Server init: position, trail, visibility and an ALPHA shape, or no shape at all (null). */
    public record Init(int x, int y, boolean visible, long unique, CursorShape shape) implements SpiceMessage {
        public int type() {
            return INIT;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(x).writeShortLE(y).writeShortLE(0).writeShortLE(0).writeByte(visible ? 1 : 0);
            CursorCodec.encodeAlpha(out, unique, shape);
        }
    }

    /** A new cursor image with its position and visibility (ALPHA). */
    public record Set(int x, int y, boolean visible, long unique, CursorShape shape) implements SpiceMessage {
        public int type() {
            return SET;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(x).writeShortLE(y).writeByte(visible ? 1 : 0);
            CursorCodec.encodeAlpha(out, unique, shape);
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

    public record Move(int x, int y) implements SpiceMessage {
        public int type() {
            return MOVE;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(x).writeShortLE(y);
        }
    }
}
