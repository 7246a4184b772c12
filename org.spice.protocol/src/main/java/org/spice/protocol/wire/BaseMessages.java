package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.spice.protocol.LinkError;

/** Messages every channel shares (spice.proto {@code BaseChannel}), type numbers below 100. */
public final class BaseMessages {
    // server -> client
    public static final int MIGRATE = 1;
    public static final int MIGRATE_DATA = 2;
    public static final int SET_ACK = 3;
    public static final int PING = 4;
    public static final int WAIT_FOR_CHANNELS = 5;
    public static final int DISCONNECTING = 6;
    public static final int NOTIFY = 7;
    public static final int LIST = 8;
    /** Channel-specific messages start above this type. */
    public static final int BASE_LAST = 100;

    // client -> server
    public static final int C_ACK_SYNC = 1;
    public static final int C_ACK = 2;
    public static final int C_PONG = 3;
    public static final int C_MIGRATE_FLUSH_MARK = 4;
    public static final int C_MIGRATE_DATA = 5;
    public static final int C_DISCONNECTING = 6;

    /** Ping payloads are padding for bandwidth tests; beyond this we refuse to make one. */
    public static final int MAX_PING_DATA = 1 << 20;
    public static final int MAX_NOTIFY_TEXT = 4096;

    private BaseMessages() {
    }

    public record Migrate(long flags) implements SpiceMessage {
        public int type() {
            return MIGRATE;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) flags);
        }

        public static Migrate decode(ByteBuf in) {
            return new Migrate(Wire.u32(in, "migrate"));
        }
    }

    public record SetAck(long generation, long window) implements SpiceMessage {
        public int type() {
            return SET_ACK;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) generation).writeIntLE((int) window);
        }

        public static SetAck decode(ByteBuf in) {
            return new SetAck(Wire.u32(in, "set_ack"), Wire.u32(in, "set_ack"));
        }
    }

    /** Ping with {@code dataSize} bytes of padding after the fixed part. */
    public record Ping(long id, long timestamp, int dataSize) implements SpiceMessage {
        public int type() {
            return PING;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) id).writeLongLE(timestamp).writeZero(dataSize);
        }

        public static Ping decode(ByteBuf in) {
            long id = Wire.u32(in, "ping");
            long ts = Wire.u64(in, "ping");
            int data = in.readableBytes();
            in.skipBytes(data);
            return new Ping(id, ts, data);
        }
    }

    public record ChannelWait(int channelType, int channelId, long messageSerial) {
    }

    public record WaitForChannels(List<ChannelWait> waits) implements SpiceMessage {
        public int type() {
            return WAIT_FOR_CHANNELS;
        }

        public void encode(ByteBuf out) {
            out.writeByte(waits.size());
            for (ChannelWait w : waits) {
                out.writeByte(w.channelType()).writeByte(w.channelId()).writeLongLE(w.messageSerial());
            }
        }

        public static WaitForChannels decode(ByteBuf in) {
            int n = Wire.u8(in, "wait_for_channels");
            Wire.need(in, 10L * n, "wait_for_channels list");
            List<ChannelWait> waits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                waits.add(new ChannelWait(in.readUnsignedByte(), in.readUnsignedByte(), in.readLongLE()));
            }
            return new WaitForChannels(waits);
        }
    }

    /** Sent in either direction (server type 6, client type 6) before a side closes on purpose. */
    public record Disconnecting(long timestamp, LinkError reason) implements SpiceMessage {
        public int type() {
            return DISCONNECTING;
        }

        public void encode(ByteBuf out) {
            out.writeLongLE(timestamp).writeIntLE(reason.code());
        }

        public static Disconnecting decode(ByteBuf in) {
            return new Disconnecting(Wire.u64(in, "disconnecting"), LinkError.of(Wire.u32(in, "disconnecting")));
        }
    }

    /** severity: 0 info, 1 warn, 2 error; visibility: 0 low, 1 medium, 2 high. */
    public record Notify(long timestamp, int severity, int visibility, long what, String message)
            implements SpiceMessage {
        public static final int SEVERITY_INFO = 0;
        public static final int SEVERITY_WARN = 1;
        public static final int SEVERITY_ERROR = 2;

        public int type() {
            return NOTIFY;
        }

        public void encode(ByteBuf out) {
            byte[] text = message.getBytes(StandardCharsets.UTF_8);
            out.writeLongLE(timestamp).writeIntLE(severity).writeIntLE(visibility).writeIntLE((int) what);
            out.writeIntLE(text.length).writeBytes(text).writeByte(0);
        }

        public static Notify decode(ByteBuf in) {
            long ts = Wire.u64(in, "notify");
            int severity = (int) Wire.u32(in, "notify");
            int visibility = (int) Wire.u32(in, "notify");
            long what = Wire.u32(in, "notify");
            int len = Wire.count(in, MAX_NOTIFY_TEXT, "notify message_len");
            String text = Wire.zstring(in, len, "notify message");
            in.skipBytes(in.readableBytes()); // the terminating NUL
            return new Notify(ts, severity, visibility, what, text);
        }
    }

    public record AckSync(long generation) implements SpiceMessage {
        public int type() {
            return C_ACK_SYNC;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) generation);
        }

        public static AckSync decode(ByteBuf in) {
            return new AckSync(Wire.u32(in, "ack_sync"));
        }
    }

    public record Pong(long id, long timestamp) implements SpiceMessage {
        public int type() {
            return C_PONG;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) id).writeLongLE(timestamp);
        }

        public static Pong decode(ByteBuf in) {
            return new Pong(Wire.u32(in, "pong"), Wire.u64(in, "pong"));
        }
    }

    public static final SpiceMessage ACK = new SpiceMessage.Empty(C_ACK);
    public static final SpiceMessage MIGRATE_FLUSH_MARK = new SpiceMessage.Empty(C_MIGRATE_FLUSH_MARK);

    /**
     * MIGRATE's flags: the source waits for the client's FLUSH_MARK (nothing more goes to it on this channel), and
     * sends MIGRATE_DATA, which the client hands to the destination's channel before anything else.
     */
    public static final long MIGRATE_NEED_FLUSH = 1;
    public static final long MIGRATE_NEED_DATA_TRANSFER = 2;

    /**
     * The channel state a seamless migration's source sends the client (MIGRATE_DATA) and the client passes on to
     * the destination unchanged (client MIGRATE_DATA): opaque bytes to the client.
     */
    public record MigrateData(int type, byte[] data) implements SpiceMessage {
        public void encode(ByteBuf out) {
            out.writeBytes(data);
        }
    }
}
