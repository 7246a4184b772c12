package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceProtocolException;

/** The main channel's messages (spice.proto {@code MainChannel}). */
public final class MainMessages {
    // server -> client
    public static final int MIGRATE_BEGIN = 101;
    public static final int MIGRATE_CANCEL = 102;
    public static final int INIT = 103;
    public static final int CHANNELS_LIST = 104;
    public static final int MOUSE_MODE = 105;
    public static final int MULTI_MEDIA_TIME = 106;
    public static final int AGENT_CONNECTED = 107;
    public static final int AGENT_DISCONNECTED = 108;
    public static final int AGENT_DATA = 109;
    public static final int AGENT_TOKEN = 110;
    public static final int MIGRATE_SWITCH_HOST = 111;
    public static final int MIGRATE_END = 112;
    public static final int NAME = 113;
    public static final int UUID_MSG = 114;
    public static final int AGENT_CONNECTED_TOKENS = 115;
    public static final int MIGRATE_BEGIN_SEAMLESS = 116;
    public static final int MIGRATE_DST_SEAMLESS_ACK = 117;
    public static final int MIGRATE_DST_SEAMLESS_NACK = 118;

    // client -> server
    public static final int C_CLIENT_INFO = 101;
    public static final int C_MIGRATE_CONNECTED = 102;
    public static final int C_MIGRATE_CONNECT_ERROR = 103;
    public static final int C_ATTACH_CHANNELS = 104;
    public static final int C_MOUSE_MODE_REQUEST = 105;
    public static final int C_AGENT_START = 106;
    public static final int C_AGENT_DATA = 107;
    public static final int C_AGENT_TOKEN = 108;
    public static final int C_MIGRATE_END = 109;
    public static final int C_MIGRATE_DST_DO_SEAMLESS = 110;
    public static final int C_MIGRATE_CONNECTED_SEAMLESS = 111;

    // main channel capabilities
    public static final int CAP_SEMI_SEAMLESS_MIGRATE = 0;
    public static final int CAP_NAME_AND_UUID = 1;
    public static final int CAP_AGENT_CONNECTED_TOKENS = 2;
    public static final int CAP_SEAMLESS_MIGRATE = 3;

    // mouse modes (flags)
    public static final int MOUSE_MODE_SERVER = 1;
    public static final int MOUSE_MODE_CLIENT = 2;

    /** A SPICE session has at most a few dozen channels; more is a lie. */
    public static final int MAX_CHANNELS = 256;
    public static final int MAX_NAME = 4096;
    /** VD_AGENT_MAX_DATA_SIZE: agent data travels in chunks of at most this size. */
    public static final int MAX_AGENT_DATA = 2048;
    public static final int MAX_HOST = 1024;

    private MainMessages() {
    }

    public record Init(long sessionId, long displayChannelsHint, long supportedMouseModes, long currentMouseMode,
            boolean agentConnected, long agentTokens, long multiMediaTime, long ramHint) implements SpiceMessage {
        public int type() {
            return INIT;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) sessionId).writeIntLE((int) displayChannelsHint);
            out.writeIntLE((int) supportedMouseModes).writeIntLE((int) currentMouseMode);
            out.writeIntLE(agentConnected ? 1 : 0).writeIntLE((int) agentTokens);
            out.writeIntLE((int) multiMediaTime).writeIntLE((int) ramHint);
        }

        public static Init decode(ByteBuf in) {
            Wire.need(in, 32, "main init");
            return new Init(in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readUnsignedIntLE(),
                    in.readUnsignedIntLE(), in.readUnsignedIntLE() != 0, in.readUnsignedIntLE(),
                    in.readUnsignedIntLE(), in.readUnsignedIntLE());
        }
    }

    public record ChannelId(int type, int id) {
    }

    public record ChannelsList(List<ChannelId> channels) implements SpiceMessage {
        public int type() {
            return CHANNELS_LIST;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE(channels.size());
            for (ChannelId c : channels) {
                out.writeByte(c.type()).writeByte(c.id());
            }
        }

        public static ChannelsList decode(ByteBuf in) {
            int n = Wire.count(in, MAX_CHANNELS, "channels_list count");
            Wire.need(in, 2L * n, "channels_list");
            List<ChannelId> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(new ChannelId(in.readUnsignedByte(), in.readUnsignedByte()));
            }
            return new ChannelsList(List.copyOf(list));
        }
    }

    /** Server's mouse mode message: both fields are flags16 on the wire. */
    public record MouseMode(int supportedModes, int currentMode) implements SpiceMessage {
        public int type() {
            return MOUSE_MODE;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(supportedModes).writeShortLE(currentMode);
        }

        public static MouseMode decode(ByteBuf in) {
            return new MouseMode(Wire.u16(in, "mouse_mode"), Wire.u16(in, "mouse_mode"));
        }
    }

    public record MouseModeRequest(int mode) implements SpiceMessage {
        public int type() {
            return C_MOUSE_MODE_REQUEST;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(mode);
        }

        public static MouseModeRequest decode(ByteBuf in) {
            return new MouseModeRequest(Wire.u16(in, "mouse_mode_request"));
        }
    }

    public record MultiMediaTime(long time) implements SpiceMessage {
        public int type() {
            return MULTI_MEDIA_TIME;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) time);
        }

        public static MultiMediaTime decode(ByteBuf in) {
            return new MultiMediaTime(Wire.u32(in, "multi_media_time"));
        }
    }

    public record AgentDisconnected(LinkError errorCode) implements SpiceMessage {
        public int type() {
            return AGENT_DISCONNECTED;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE(errorCode.code());
        }

        public static AgentDisconnected decode(ByteBuf in) {
            return new AgentDisconnected(LinkError.of(Wire.u32(in, "agent_disconnected")));
        }
    }

    /** A uint32 token count; the type says which of agent_token, agent_connected_tokens or agent_start it is. */
    public record Tokens(int type, long numTokens) implements SpiceMessage {
        public void encode(ByteBuf out) {
            out.writeIntLE((int) numTokens);
        }

        public static Tokens decode(int type, ByteBuf in) {
            return new Tokens(type, Wire.u32(in, "agent tokens"));
        }
    }

    /** A chunk of the VD_AGENT stream; server type {@link #AGENT_DATA}, client type {@link #C_AGENT_DATA}. */
    public record AgentData(int type, byte[] data) implements SpiceMessage {
        public void encode(ByteBuf out) {
            out.writeBytes(data);
        }

        public static AgentData decode(int type, ByteBuf in) {
            int n = in.readableBytes();
            if (n > MAX_AGENT_DATA) {
                throw new SpiceProtocolException("agent data chunk of " + n + " bytes exceeds " + MAX_AGENT_DATA);
            }
            return new AgentData(type, Wire.bytes(in, n, "agent data"));
        }
    }

    public record Name(String name) implements SpiceMessage {
        public int type() {
            return NAME;
        }

        public void encode(ByteBuf out) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            out.writeIntLE(b.length + 1).writeBytes(b).writeByte(0);
        }

        public static Name decode(ByteBuf in) {
            int n = Wire.count(in, MAX_NAME, "name length");
            return new Name(Wire.zstring(in, n, "name"));
        }
    }

    public record Uuid(UUID uuid) implements SpiceMessage {
        public int type() {
            return UUID_MSG;
        }

        public void encode(ByteBuf out) {
            out.writeLong(uuid.getMostSignificantBits()).writeLong(uuid.getLeastSignificantBits());
        }

        public static Uuid decode(ByteBuf in) {
            Wire.need(in, 16, "uuid");
            return new Uuid(new UUID(in.readLong(), in.readLong()));
        }
    }

    /** Where a migration goes (spice.proto {@code DstInfo}); strings travel after the fixed part, by offset. */
    public record DstInfo(int port, int securePort, String host, String certSubject) {
        static DstInfo decode(ByteBuf in, int messageStart, int messageEnd) {
            int port = Wire.u16(in, "migration port");
            int sport = Wire.u16(in, "migration secure port");
            String host = pointed(in, messageStart, messageEnd, "migration host");
            String subject = pointed(in, messageStart, messageEnd, "migration cert subject");
            return new DstInfo(port, sport, host, subject);
        }

        /** A (size, offset) pair pointing at a NUL-terminated string elsewhere in the message. */
        private static String pointed(ByteBuf in, int start, int end, String what) {
            int size = Wire.count(in, MAX_HOST, what + " size");
            long offset = Wire.u32(in, what + " offset");
            if (size == 0) {
                return "";
            }
            if (offset > end - start || offset + size > end - start) {
                throw new SpiceProtocolException(what + ": offset " + offset + "+" + size + " outside the message");
            }
            return Wire.zstring(in.slice(start + (int) offset, size), size, what);
        }
    }

    public record MigrateBegin(DstInfo destination) {
        public static MigrateBegin decode(ByteBuf in) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            DstInfo d = DstInfo.decode(in, start, end);
            in.readerIndex(end);
            return new MigrateBegin(d);
        }
    }

    public record MigrateBeginSeamless(DstInfo destination, long sourceVersion) {
        public static MigrateBeginSeamless decode(ByteBuf in) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            DstInfo d = DstInfo.decode(in, start, end);
            long version = Wire.u32(in, "migrate_begin_seamless version");
            in.readerIndex(end);
            return new MigrateBeginSeamless(d, version);
        }
    }

    public record MigrateSwitchHost(DstInfo destination) implements SpiceMessage {
        public int type() {
            return MIGRATE_SWITCH_HOST;
        }

        /** The fixed part (ports, then size and offset of each string), then host and subject, NUL-terminated. */
        public void encode(ByteBuf out) {
            byte[] host = (destination.host() + "\0").getBytes(StandardCharsets.UTF_8);
            byte[] subject = destination.certSubject().isEmpty() ? new byte[0]
                    : (destination.certSubject() + "\0").getBytes(StandardCharsets.UTF_8);
            int fixed = 2 + 2 + 4 + 4 + 4 + 4;
            out.writeShortLE(destination.port()).writeShortLE(destination.securePort());
            out.writeIntLE(host.length).writeIntLE(fixed);
            out.writeIntLE(subject.length).writeIntLE(subject.length == 0 ? 0 : fixed + host.length);
            out.writeBytes(host).writeBytes(subject);
        }

        public static MigrateSwitchHost decode(ByteBuf in) {
            return new MigrateSwitchHost(MigrateBegin.decode(in).destination());
        }
    }

    public record ClientInfo(long cacheSize) {
        public static ClientInfo decode(ByteBuf in) {
            return new ClientInfo(Wire.u64(in, "client_info"));
        }
    }

    public static final SpiceMessage ATTACH_CHANNELS = new SpiceMessage.Empty(C_ATTACH_CHANNELS);
    public static final SpiceMessage MIGRATE_CONNECT_ERROR = new SpiceMessage.Empty(C_MIGRATE_CONNECT_ERROR);
    public static final SpiceMessage MIGRATE_CONNECTED = new SpiceMessage.Empty(C_MIGRATE_CONNECTED);
    /** The client's migrate_end, on the destination's main channel once the client has moved there. */
    public static final SpiceMessage CLIENT_MIGRATE_END = new SpiceMessage.Empty(C_MIGRATE_END);
    public static final SpiceMessage MIGRATE_CONNECTED_SEAMLESS = new SpiceMessage.Empty(C_MIGRATE_CONNECTED_SEAMLESS);

    /** The client asks a seamless migration's destination whether it can restore the source's state. */
    public record MigrateDstDoSeamless(long sourceVersion) implements SpiceMessage {
        public int type() {
            return C_MIGRATE_DST_DO_SEAMLESS;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) sourceVersion);
        }

        public static MigrateDstDoSeamless decode(ByteBuf in) {
            return new MigrateDstDoSeamless(Wire.u32(in, "migrate_dst_do_seamless"));
        }
    }
    public static final SpiceMessage AGENT_CONNECTED_MSG = new SpiceMessage.Empty(AGENT_CONNECTED);
}
