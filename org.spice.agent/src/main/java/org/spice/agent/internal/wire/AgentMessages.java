package org.spice.agent.internal.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.Wire;

/**
 * The VD_AGENT message bodies (spice-protocol vd_agent.h), pure codecs: each record encodes itself to the body
 * bytes that follow a VDAgentMessage header and has a static {@code decode(byte[])}, which checks every length
 * against the bytes present and against a limit, and throws {@link SpiceProtocolException} for anything
 * malformed. The header and the chunking are the main channel's ({@link org.spice.protocol.wire.AgentHeader}).
 *
 * <p>Clipboard messages start with a selection byte and three reserved bytes when both ends announced
 * {@link #CAP_CLIPBOARD_SELECTION}; the codecs take that as a flag, as they take the grab serial that follows
 * it when both ends announced {@link #CAP_CLIPBOARD_GRAB_SERIAL}.
 */
public final class AgentMessages {
    private AgentMessages() {
    }

    // message types
    public static final int MOUSE_STATE = 1;
    public static final int MONITORS_CONFIG = 2;
    public static final int REPLY = 3;
    public static final int CLIPBOARD = 4;
    public static final int DISPLAY_CONFIG = 5;
    public static final int ANNOUNCE_CAPABILITIES = 6;
    public static final int CLIPBOARD_GRAB = 7;
    public static final int CLIPBOARD_REQUEST = 8;
    public static final int CLIPBOARD_RELEASE = 9;
    public static final int FILE_XFER_START = 10;
    public static final int FILE_XFER_STATUS = 11;
    public static final int FILE_XFER_DATA = 12;
    public static final int CLIENT_DISCONNECTED = 13;
    public static final int MAX_CLIPBOARD = 14;
    public static final int AUDIO_VOLUME_SYNC = 15;
    public static final int GRAPHICS_DEVICE_INFO = 16;

    private static final String[] NAMES = {"?", "mouse_state", "monitors_config", "reply", "clipboard",
        "display_config", "announce_capabilities", "clipboard_grab", "clipboard_request", "clipboard_release",
        "file_xfer_start", "file_xfer_status", "file_xfer_data", "client_disconnected", "max_clipboard",
        "audio_volume_sync", "graphics_device_info"};

    /** For logs: the message type's name, or its number. */
    public static String name(long type) {
        return type > 0 && type < NAMES.length ? NAMES[(int) type] : "type " + type;
    }

    // capabilities
    public static final int CAP_MOUSE_STATE = 0;
    public static final int CAP_MONITORS_CONFIG = 1;
    public static final int CAP_REPLY = 2;
    public static final int CAP_CLIPBOARD = 3;
    public static final int CAP_DISPLAY_CONFIG = 4;
    public static final int CAP_CLIPBOARD_BY_DEMAND = 5;
    public static final int CAP_CLIPBOARD_SELECTION = 6;
    public static final int CAP_SPARSE_MONITORS_CONFIG = 7;
    public static final int CAP_GUEST_LINEEND_LF = 8;
    public static final int CAP_GUEST_LINEEND_CRLF = 9;
    public static final int CAP_MAX_CLIPBOARD = 10;
    public static final int CAP_AUDIO_VOLUME_SYNC = 11;
    public static final int CAP_MONITORS_CONFIG_POSITION = 12;
    public static final int CAP_FILE_XFER_DISABLED = 13;
    public static final int CAP_FILE_XFER_DETAILED_ERRORS = 14;
    public static final int CAP_GRAPHICS_DEVICE_INFO = 15;
    public static final int CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB = 16;
    public static final int CAP_CLIPBOARD_GRAB_SERIAL = 17;

    // clipboard types and selections
    public static final int CLIPBOARD_NONE = 0;
    public static final int CLIPBOARD_UTF8_TEXT = 1;
    public static final int CLIPBOARD_IMAGE_PNG = 2;
    public static final int CLIPBOARD_IMAGE_BMP = 3;
    public static final int CLIPBOARD_IMAGE_TIFF = 4;
    public static final int CLIPBOARD_IMAGE_JPG = 5;
    public static final int CLIPBOARD_FILE_LIST = 6;
    public static final int SELECTION_CLIPBOARD = 0;
    public static final int SELECTION_PRIMARY = 1;
    public static final int SELECTION_SECONDARY = 2;

    // reply errors
    public static final int SUCCESS = 1;
    public static final int ERROR = 2;

    // monitors config flags
    public static final int MONITORS_FLAG_USE_POS = 1;
    public static final int MONITORS_FLAG_PHYSICAL_SIZE = 2;

    // file transfer status
    public static final int XFER_CAN_SEND_DATA = 0;
    public static final int XFER_CANCELLED = 1;
    public static final int XFER_ERROR = 2;
    public static final int XFER_SUCCESS = 3;
    public static final int XFER_NOT_ENOUGH_SPACE = 4;
    public static final int XFER_SESSION_LOCKED = 5;
    public static final int XFER_VDAGENT_NOT_CONNECTED = 6;
    public static final int XFER_DISABLED = 7;
    /** VD_AGENT_FILE_XFER_STATUS_ERROR_GLIB_IO: the detail is a GIOErrorEnum code. */
    public static final int XFER_ERROR_GLIB_IO = 0;
    /** G_IO_ERROR_INVALID_FILENAME, the one detail spice-gtk explains. */
    public static final int G_IO_ERROR_INVALID_FILENAME = 10;

    /** spice-server's MAX_NUM_MONITORS for a client's monitors config. */
    public static final int MAX_MONITORS = 256;
    /** More capability words than any agent sends (VD_AGENT_END_CAP needs one). */
    public static final int MAX_CAP_WORDS = 64;
    /** A clipboard grab with more types than there are types is a lie. */
    public static final int MAX_GRAB_TYPES = 64;
    /** The file-transfer start's key file is a few short lines. */
    public static final int MAX_XFER_START = 64 * 1024;

    static byte[] encode(Consumer<ByteBuf> body) {
        ByteBuf b = Unpooled.buffer();
        try {
            body.accept(b);
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    static ByteBuf in(byte[] body) {
        return Unpooled.wrappedBuffer(body);
    }

    private static int readSelection(ByteBuf in, boolean withSelection, String what) {
        if (!withSelection) {
            return SELECTION_CLIPBOARD;
        }
        int s = Wire.u8(in, what + " selection");
        Wire.need(in, 3, what + " reserved");
        in.skipBytes(3);
        return s;
    }

    private static void writeSelection(ByteBuf out, boolean withSelection, int selection) {
        if (withSelection) {
            out.writeByte(selection).writeZero(3);
        }
    }

    /** VDAgentAnnounceCapabilities: {@code request} asks the peer to announce its own. */
    public record AnnounceCapabilities(boolean request, int[] caps) {
        public static AnnounceCapabilities of(boolean request, int... capabilities) {
            int[] words = new int[1];
            for (int c : capabilities) {
                if (c / 32 >= words.length) {
                    words = Arrays.copyOf(words, c / 32 + 1);
                }
                words[c / 32] |= 1 << (c % 32);
            }
            return new AnnounceCapabilities(request, words);
        }

        public boolean has(int cap) {
            return cap >= 0 && cap / 32 < caps.length && (caps[cap / 32] & (1 << (cap % 32))) != 0;
        }

        public byte[] encode() {
            return AgentMessages.encode(b -> {
                b.writeIntLE(request ? 1 : 0);
                for (int w : caps) {
                    b.writeIntLE(w);
                }
            });
        }

        public static AnnounceCapabilities decode(byte[] body) {
            ByteBuf in = in(body);
            boolean request = Wire.u32(in, "announce_capabilities request") != 0;
            // VD_AGENT_CAPS_SIZE_FROM_MSG_SIZE: whole words only, a partial one is ignored
            int words = Math.min(in.readableBytes() / 4, MAX_CAP_WORDS);
            int[] caps = new int[words];
            for (int i = 0; i < words; i++) {
                caps[i] = in.readIntLE();
            }
            return new AnnounceCapabilities(request, caps);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AnnounceCapabilities a && a.request == request && Arrays.equals(a.caps, caps);
        }

        @Override
        public int hashCode() {
            return Boolean.hashCode(request) * 31 + Arrays.hashCode(caps);
        }

        @Override
        public String toString() {
            List<Integer> set = new ArrayList<>();
            for (int i = 0; i < caps.length * 32; i++) {
                if (has(i)) {
                    set.add(i);
                }
            }
            return "AnnounceCapabilities[request=" + request + ", caps=" + set + "]";
        }
    }

    /** VDAgentMonConfig; a width and height of 0 is a disabled monitor (sparse monitors config). */
    public record MonConfig(long height, long width, long depth, int x, int y) {
    }

    /** VDAgentMonitorMM: physical size in millimetres. */
    public record MonitorMM(int height, int width) {
    }

    /** VDAgentMonitorsConfig with the physical sizes that follow when {@link #MONITORS_FLAG_PHYSICAL_SIZE} is set. */
    public record MonitorsConfig(long flags, List<MonConfig> monitors, List<MonitorMM> physical) {
        public byte[] encode() {
            return AgentMessages.encode(b -> {
                b.writeIntLE(monitors.size()).writeIntLE((int) flags);
                for (MonConfig m : monitors) {
                    b.writeIntLE((int) m.height()).writeIntLE((int) m.width()).writeIntLE((int) m.depth())
                            .writeIntLE(m.x()).writeIntLE(m.y());
                }
                if ((flags & MONITORS_FLAG_PHYSICAL_SIZE) != 0) {
                    for (int i = 0; i < monitors.size(); i++) {
                        MonitorMM mm = i < physical.size() ? physical.get(i) : new MonitorMM(0, 0);
                        b.writeShortLE(mm.height()).writeShortLE(mm.width());
                    }
                }
            });
        }

        public static MonitorsConfig decode(byte[] body) {
            ByteBuf in = in(body);
            int n = Wire.count(in, MAX_MONITORS, "monitors_config num_of_monitors");
            long flags = Wire.u32(in, "monitors_config flags");
            Wire.need(in, 20L * n, "monitors_config monitors");
            List<MonConfig> monitors = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                monitors.add(new MonConfig(in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readUnsignedIntLE(),
                        in.readIntLE(), in.readIntLE()));
            }
            List<MonitorMM> physical = new ArrayList<>();
            if ((flags & MONITORS_FLAG_PHYSICAL_SIZE) != 0) {
                // spice-server's agent_check_message: the physical sizes are optional even with the flag set
                if (in.readableBytes() >= 4L * n) {
                    for (int i = 0; i < n; i++) {
                        physical.add(new MonitorMM(in.readUnsignedShortLE(), in.readUnsignedShortLE()));
                    }
                }
            }
            return new MonitorsConfig(flags, List.copyOf(monitors), List.copyOf(physical));
        }
    }

    /** VDAgentReply: the agent's answer to monitors_config or display_config. */
    public record Reply(long type, long error) {
        public byte[] encode() {
            return AgentMessages.encode(b -> b.writeIntLE((int) type).writeIntLE((int) error));
        }

        public static Reply decode(byte[] body) {
            ByteBuf in = in(body);
            return new Reply(Wire.u32(in, "reply type"), Wire.u32(in, "reply error"));
        }
    }

    /** VDAgentClipboard: the data of one clipboard type; {@code type} {@link #CLIPBOARD_NONE} means no data. */
    public record Clipboard(int selection, long type, byte[] data) {
        public byte[] encode(boolean withSelection) {
            return AgentMessages.encode(b -> {
                writeSelection(b, withSelection, selection);
                b.writeIntLE((int) type).writeBytes(data);
            });
        }

        public static Clipboard decode(byte[] body, boolean withSelection) {
            ByteBuf in = in(body);
            int s = readSelection(in, withSelection, "clipboard");
            long type = Wire.u32(in, "clipboard type");
            return new Clipboard(s, type, Wire.bytes(in, in.readableBytes(), "clipboard data"));
        }

        /** The header bytes before the data, to size a message from a data length. */
        public static int overhead(boolean withSelection) {
            return withSelection ? 8 : 4;
        }
    }

    /** VDAgentClipboardGrab: the sender holds a clipboard with these types. */
    public record ClipboardGrab(int selection, long serial, List<Long> types) {
        /** A grab without a serial (VD_AGENT_CAP_CLIPBOARD_GRAB_SERIAL not announced by both ends). */
        public ClipboardGrab(int selection, List<Long> types) {
            this(selection, 0, types);
        }

        public byte[] encode(boolean withSelection) {
            return encode(withSelection, false);
        }

        public byte[] encode(boolean withSelection, boolean withSerial) {
            return AgentMessages.encode(b -> {
                writeSelection(b, withSelection, selection);
                if (withSerial) {
                    b.writeIntLE((int) serial);
                }
                types.forEach(t -> b.writeIntLE((int) (long) t));
            });
        }

        public static ClipboardGrab decode(byte[] body, boolean withSelection) {
            return decode(body, withSelection, false);
        }

        public static ClipboardGrab decode(byte[] body, boolean withSelection, boolean withSerial) {
            ByteBuf in = in(body);
            int s = readSelection(in, withSelection, "clipboard_grab");
            long serial = withSerial ? Wire.u32(in, "clipboard_grab serial") : 0;
            if (in.readableBytes() % 4 != 0) {
                throw new SpiceProtocolException("clipboard_grab: " + in.readableBytes()
                        + " bytes of types are not whole uint32s");
            }
            int n = in.readableBytes() / 4;
            if (n > MAX_GRAB_TYPES) {
                throw new SpiceProtocolException("clipboard_grab: " + n + " types exceed " + MAX_GRAB_TYPES);
            }
            List<Long> types = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                types.add(in.readUnsignedIntLE());
            }
            return new ClipboardGrab(s, serial, List.copyOf(types));
        }
    }

    /** VDAgentClipboardRequest: send the clipboard's data of this type. */
    public record ClipboardRequest(int selection, long type) {
        public byte[] encode(boolean withSelection) {
            return AgentMessages.encode(b -> {
                writeSelection(b, withSelection, selection);
                b.writeIntLE((int) type);
            });
        }

        public static ClipboardRequest decode(byte[] body, boolean withSelection) {
            ByteBuf in = in(body);
            int s = readSelection(in, withSelection, "clipboard_request");
            long type = Wire.u32(in, "clipboard_request type");
            Wire.end(in, "clipboard_request");
            return new ClipboardRequest(s, type);
        }
    }

    /** VDAgentClipboardRelease: the sender's clipboard is empty now. */
    public record ClipboardRelease(int selection) {
        public byte[] encode(boolean withSelection) {
            return AgentMessages.encode(b -> writeSelection(b, withSelection, selection));
        }

        public static ClipboardRelease decode(byte[] body, boolean withSelection) {
            ByteBuf in = in(body);
            int s = readSelection(in, withSelection, "clipboard_release");
            Wire.end(in, "clipboard_release");
            return new ClipboardRelease(s);
        }
    }

    /** VDAgentDisplayConfig: desktop effects a client asks the guest to drop, and a colour depth. */
    public record DisplayConfig(long flags, long depth) {
        public static final int DISABLE_WALLPAPER = 1;
        public static final int DISABLE_FONT_SMOOTH = 2;
        public static final int DISABLE_ANIMATION = 4;
        public static final int SET_COLOR_DEPTH = 8;

        public byte[] encode() {
            return AgentMessages.encode(b -> b.writeIntLE((int) flags).writeIntLE((int) depth));
        }

        public static DisplayConfig decode(byte[] body) {
            ByteBuf in = in(body);
            return new DisplayConfig(Wire.u32(in, "display_config flags"), Wire.u32(in, "display_config depth"));
        }

        /** The effects these flags turn off. */
        public java.util.Set<org.spice.desktop.DisplayEffect> disabled() {
            java.util.EnumSet<org.spice.desktop.DisplayEffect> e =
                    java.util.EnumSet.noneOf(org.spice.desktop.DisplayEffect.class);
            if ((flags & DISABLE_WALLPAPER) != 0) {
                e.add(org.spice.desktop.DisplayEffect.WALLPAPER);
            }
            if ((flags & DISABLE_FONT_SMOOTH) != 0) {
                e.add(org.spice.desktop.DisplayEffect.FONT_SMOOTHING);
            }
            if ((flags & DISABLE_ANIMATION) != 0) {
                e.add(org.spice.desktop.DisplayEffect.ANIMATION);
            }
            return e;
        }

        /** The flags that turn {@code disabled} off, no colour depth (spice-gtk's color-depth is deprecated). */
        public static DisplayConfig of(java.util.Set<org.spice.desktop.DisplayEffect> disabled) {
            long f = (disabled.contains(org.spice.desktop.DisplayEffect.WALLPAPER) ? DISABLE_WALLPAPER : 0)
                    | (disabled.contains(org.spice.desktop.DisplayEffect.FONT_SMOOTHING) ? DISABLE_FONT_SMOOTH : 0)
                    | (disabled.contains(org.spice.desktop.DisplayEffect.ANIMATION) ? DISABLE_ANIMATION : 0);
            return new DisplayConfig(f, 0);
        }
    }

    /** VDAgentMouseState: what spice-server tells a guest agent of the client mouse (server to agent only). */
    public record MouseState(long x, long y, long buttons, int displayId) {
        public byte[] encode() {
            return AgentMessages.encode(b -> b.writeIntLE((int) x).writeIntLE((int) y).writeIntLE((int) buttons)
                    .writeByte(displayId));
        }

        public static MouseState decode(byte[] body) {
            ByteBuf in = in(body);
            return new MouseState(Wire.u32(in, "mouse_state x"), Wire.u32(in, "mouse_state y"),
                    Wire.u32(in, "mouse_state buttons"), Wire.u8(in, "mouse_state display_id"));
        }
    }

    /** VDAgentMaxClipboard: the largest clipboard the sender takes; -1 for no limit. */
    public record MaxClipboard(int max) {
        public byte[] encode() {
            return AgentMessages.encode(b -> b.writeIntLE(max));
        }

        public static MaxClipboard decode(byte[] body) {
            return new MaxClipboard(Wire.i32(in(body), "max_clipboard"));
        }
    }

    /**
     * VDAgentFileXferStartMessage: a transfer's id and a GLib key file, NUL-terminated, with the group
     * {@code [vdagent-file-xfer]} and its {@code name} and {@code size} keys.
     */
    public record FileXferStart(long id, String name, long size) {
        public byte[] encode() {
            String keyFile = "[vdagent-file-xfer]\nname=" + KeyFile.escape(name) + "\nsize=" + size + "\n";
            return AgentMessages.encode(b -> b.writeIntLE((int) id).writeBytes(keyFile.getBytes(StandardCharsets.UTF_8))
                    .writeByte(0));
        }

        public static FileXferStart decode(byte[] body) {
            if (body.length > MAX_XFER_START) {
                throw new SpiceProtocolException("file_xfer_start: " + body.length + " bytes exceed "
                        + MAX_XFER_START);
            }
            ByteBuf in = in(body);
            long id = Wire.u32(in, "file_xfer_start id");
            String text = Wire.zstring(in, in.readableBytes(), "file_xfer_start key file");
            KeyFile k = KeyFile.parse(text, "vdagent-file-xfer");
            String name = k.get("name");
            String size = k.get("size");
            if (name == null || size == null) {
                throw new SpiceProtocolException("file_xfer_start " + id + ": the key file lacks name or size");
            }
            try {
                long n = Long.parseUnsignedLong(size.strip());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return new FileXferStart(id, name, n);
            } catch (NumberFormatException e) {
                throw new SpiceProtocolException("file_xfer_start " + id + ": size '" + size + "' is not a number");
            }
        }
    }

    /** VDAgentFileXferStatusMessage, with the optional detail bytes of the detailed-errors capability. */
    public record FileXferStatus(long id, long result, byte[] detail) {
        public static FileXferStatus of(long id, long result) {
            return new FileXferStatus(id, result, new byte[0]);
        }

        /** An error with its GLib I/O error code, as spice-vdagent details it. */
        public static FileXferStatus ioError(long id, int gioError) {
            return new FileXferStatus(id, XFER_ERROR, AgentMessages.encode(b -> b.writeByte(XFER_ERROR_GLIB_IO).writeIntLE(gioError)));
        }

        /** Not enough space, with the free bytes. */
        public static FileXferStatus notEnoughSpace(long id, long free) {
            return new FileXferStatus(id, XFER_NOT_ENOUGH_SPACE, AgentMessages.encode(b -> b.writeLongLE(free)));
        }

        public byte[] encode() {
            return AgentMessages.encode(b -> b.writeIntLE((int) id).writeIntLE((int) result).writeBytes(detail));
        }

        public static FileXferStatus decode(byte[] body) {
            ByteBuf in = in(body);
            long id = Wire.u32(in, "file_xfer_status id");
            long result = Wire.u32(in, "file_xfer_status result");
            return new FileXferStatus(id, result, Wire.bytes(in, Math.min(in.readableBytes(), 64),
                    "file_xfer_status detail"));
        }
    }

    /** VDAgentFileXferDataMessage: {@code data} of a transfer; the size field is the data's length. */
    public record FileXferData(long id, byte[] data) {
        /** id and size before the data. */
        public static final int OVERHEAD = 12;

        public byte[] encode() {
            return AgentMessages.encode(b -> b.writeIntLE((int) id).writeLongLE(data.length).writeBytes(data));
        }

        public static FileXferData decode(byte[] body) {
            ByteBuf in = in(body);
            long id = Wire.u32(in, "file_xfer_data id");
            long size = Wire.u64(in, "file_xfer_data size");
            if (size != in.readableBytes()) {
                throw new SpiceProtocolException("file_xfer_data " + id + ": size " + Long.toUnsignedString(size)
                        + " but " + in.readableBytes() + " bytes of data");
            }
            return new FileXferData(id, Wire.bytes(in, (int) size, "file_xfer_data data"));
        }
    }
}
