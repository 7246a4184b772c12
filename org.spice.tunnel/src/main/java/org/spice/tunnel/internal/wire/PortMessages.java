package org.spice.tunnel.internal.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.Wire;

/**
 * The port channel's own messages (spice.proto {@code PortChannel : SpicevmcChannel}); its byte stream is the
 * spicevmc data of {@link org.spice.protocol.wire.SpiceVmcMessages}.
 */
public final class PortMessages {
    /** Server: {u32 name_size, u32 name offset, u8 opened}, then the NUL-terminated name. */
    public static final int INIT = 201;
    /** Server: 202 {u8 event}; client: 201 {u8 event}. */
    public static final int SERVER_EVENT = 202;
    public static final int CLIENT_EVENT = 201;

    public static final int EVENT_OPENED = 0;
    public static final int EVENT_CLOSED = 1;
    public static final int EVENT_BREAK = 2;

    /** A port name longer than this is refused. */
    public static final int MAX_NAME = 4096;

    private PortMessages() {
    }

    public record Init(String name, boolean opened) implements SpiceMessage {
        public int type() {
            return INIT;
        }

        public void encode(ByteBuf out) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            out.writeIntLE(n.length + 1).writeIntLE(9).writeByte(opened ? 1 : 0).writeBytes(n).writeByte(0);
        }

        public static Init decode(ByteBuf in) {
            int start = in.readerIndex();
            int size = Wire.count(in, MAX_NAME, "port init name_size");
            long offset = Wire.u32(in, "port init name offset");
            boolean opened = Wire.u8(in, "port init opened") != 0;
            if (size == 0) {
                throw new SpiceProtocolException("port init: empty name");
            }
            long end = offset + size;
            if (offset < 9 || end > in.writerIndex() - start) {
                throw new SpiceProtocolException("port init: name at " + offset + " size " + size
                        + " lies outside the " + (in.writerIndex() - start) + "-byte message");
            }
            in.readerIndex(start + (int) offset);
            String name = Wire.zstring(in, size, "port init name");
            in.readerIndex(in.writerIndex());
            return new Init(name, opened);
        }
    }

    /** A port event; its type differs by direction. */
    public record Event(int type, int event) implements SpiceMessage {
        public void encode(ByteBuf out) {
            out.writeByte(event);
        }

        public static Event decode(int type, ByteBuf in) {
            int e = Wire.u8(in, "port event");
            Wire.end(in, "port event");
            return new Event(type, e);
        }
    }

    public static String eventName(int e) {
        return switch (e) {
            case EVENT_OPENED -> "opened";
            case EVENT_CLOSED -> "closed";
            case EVENT_BREAK -> "break";
            default -> "event " + e;
        };
    }
}
