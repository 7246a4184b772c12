package org.spice.inputs.internal.wire;

import io.netty.buffer.ByteBuf;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.Wire;

/**
 * The inputs channel's messages (spice.proto {@code InputsChannel}). Every message has a fixed size except
 * key_scancode, and decoding refuses truncated messages and trailing bytes.
 */
public final class InputsMessages {
    // server -> client
    public static final int INIT = 101;
    public static final int KEY_MODIFIERS = 102;
    public static final int MOUSE_MOTION_ACK = 111;

    // client -> server
    public static final int C_KEY_DOWN = 101;
    public static final int C_KEY_UP = 102;
    public static final int C_KEY_MODIFIERS = 103;
    public static final int C_KEY_SCANCODE = 104;
    public static final int C_MOUSE_MOTION = 111;
    public static final int C_MOUSE_POSITION = 112;
    public static final int C_MOUSE_PRESS = 113;
    public static final int C_MOUSE_RELEASE = 114;

    /** Channel capability: the server takes key_scancode messages. */
    public static final int CAP_KEY_SCANCODE = 0;
    /** The server acknowledges every this many motion and position messages (SPICE_INPUT_MOTION_ACK_BUNCH). */
    public static final int MOTION_ACK_BUNCH = 4;
    /** spice-server's receive buffer for this channel; no inputs message is longer. */
    public static final int MAX_SCANCODE_BYTES = 2048;

    public static final SpiceMessage MOTION_ACK = new SpiceMessage.Empty(MOUSE_MOTION_ACK);

    private InputsMessages() {
    }

    /** Server init: the lock keys' state ({@code keyboard_modifier_flags}). */
    public record Init(int modifiers) implements SpiceMessage {
        public int type() {
            return INIT;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(modifiers);
        }

        public static Init decode(ByteBuf in) {
            Init m = new Init(Wire.u16(in, "inputs init"));
            Wire.end(in, "inputs init");
            return m;
        }
    }

    /** The lock keys' state, server to client (type 102) or client to server (type 103). */
    public record KeyModifiers(int type, int modifiers) implements SpiceMessage {
        public static KeyModifiers server(int modifiers) {
            return new KeyModifiers(KEY_MODIFIERS, modifiers);
        }

        public static KeyModifiers client(int modifiers) {
            return new KeyModifiers(C_KEY_MODIFIERS, modifiers);
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(modifiers);
        }

        public static KeyModifiers decode(int type, ByteBuf in) {
            KeyModifiers m = new KeyModifiers(type, Wire.u16(in, "key_modifiers"));
            Wire.end(in, "key_modifiers");
            return m;
        }
    }

    /**
     * key_down (type 101) or key_up (type 102): up to four scancode bytes, least significant first, ended by
     * the first zero byte, e.g. 0x1e for A down, 0x9e for A up, 0x48e0 for Up down and 0xc8e0 for Up up.
     */
    public record Key(int type, long code) implements SpiceMessage {
        public void encode(ByteBuf out) {
            out.writeIntLE((int) code);
        }

        public static Key decode(int type, ByteBuf in) {
            Key m = new Key(type, Wire.u32(in, type == C_KEY_DOWN ? "key_down" : "key_up"));
            Wire.end(in, "key");
            return m;
        }

        /** The scancode bytes, in order, up to the first zero. */
        public byte[] bytes() {
            int n = 0;
            while (n < 4 && ((code >>> (8 * n)) & 0xff) != 0) {
                n++;
            }
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) (code >>> (8 * i));
            }
            return b;
        }
    }

    /** key_scancode: raw scancode bytes, prefixes included, for presses and releases sent at once. */
    public record KeyScancode(byte[] data) implements SpiceMessage {
        public int type() {
            return C_KEY_SCANCODE;
        }

        public void encode(ByteBuf out) {
            out.writeBytes(data);
        }

        public static KeyScancode decode(ByteBuf in) {
            int n = in.readableBytes();
            if (n > MAX_SCANCODE_BYTES) {
                throw new SpiceProtocolException("key_scancode: " + n + " bytes exceed the limit of "
                        + MAX_SCANCODE_BYTES);
            }
            return new KeyScancode(Wire.bytes(in, n, "key_scancode"));
        }
    }

    /** mouse_motion: a relative move with the held buttons. */
    public record MouseMotion(int dx, int dy, int buttons) implements SpiceMessage {
        public int type() {
            return C_MOUSE_MOTION;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE(dx).writeIntLE(dy).writeShortLE(buttons);
        }

        public static MouseMotion decode(ByteBuf in) {
            MouseMotion m = new MouseMotion(Wire.i32(in, "mouse_motion"), Wire.i32(in, "mouse_motion"),
                    Wire.u16(in, "mouse_motion"));
            Wire.end(in, "mouse_motion");
            return m;
        }
    }

    /** mouse_position: an absolute position on a display channel, with the held buttons. */
    public record MousePosition(long x, long y, int buttons, int displayId) implements SpiceMessage {
        public int type() {
            return C_MOUSE_POSITION;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) x).writeIntLE((int) y).writeShortLE(buttons).writeByte(displayId);
        }

        public static MousePosition decode(ByteBuf in) {
            MousePosition m = new MousePosition(Wire.u32(in, "mouse_position"), Wire.u32(in, "mouse_position"),
                    Wire.u16(in, "mouse_position"), Wire.u8(in, "mouse_position"));
            Wire.end(in, "mouse_position");
            return m;
        }
    }

    /** mouse_press (type 113) or mouse_release (type 114): the button and the held buttons after it. */
    public record MouseButton(int type, int button, int buttons) implements SpiceMessage {
        public void encode(ByteBuf out) {
            out.writeByte(button).writeShortLE(buttons);
        }

        public static MouseButton decode(int type, ByteBuf in) {
            String what = type == C_MOUSE_PRESS ? "mouse_press" : "mouse_release";
            MouseButton m = new MouseButton(type, Wire.u8(in, what), Wire.u16(in, what));
            Wire.end(in, what);
            return m;
        }
    }

    /**
     * The key_down/key_up code of key {@code code} (numbered as {@link org.spice.desktop.KeyEvent#code()}), as
     * spice-gtk makes it: one-byte codes as the byte, with 0x80 for a release; prefixed codes as the prefix byte
     * followed by the code byte, e.g. Up (0x148) as 0x48e0 and its release as 0xc8e0.
     */
    public static long keyCode(int code, boolean release) {
        int c = (code & 0x37f) | (release ? 0x80 : 0);
        if (c < 0x100) {
            return c;
        }
        int prefix = 0xdf + (c >> 8);
        return prefix | (c & 0xff) << 8;
    }
}
