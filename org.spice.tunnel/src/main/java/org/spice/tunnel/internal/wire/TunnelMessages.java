package org.spice.tunnel.internal.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.Wire;

/**
 * The tunnel channel's messages as spice-protocol 0.6 to 0.12 defined them ({@code TunnelChannel} in that era's
 * spice.proto). Pointers are 32-bit offsets from the start of the message body.
 */
public final class TunnelMessages {
    // server -> client
    public static final int INIT = 101;
    public static final int SERVICE_IP_MAP = 102;
    public static final int SOCKET_OPEN = 103;
    public static final int SOCKET_FIN = 104;
    public static final int SOCKET_CLOSE = 105;
    public static final int SOCKET_DATA = 106;
    public static final int SOCKET_CLOSED_ACK = 107;
    public static final int SOCKET_TOKEN = 108;
    // client -> server
    public static final int C_SERVICE_ADD = 101;
    public static final int C_SERVICE_REMOVE = 102;
    public static final int C_SOCKET_OPEN_ACK = 103;
    public static final int C_SOCKET_OPEN_NACK = 104;
    public static final int C_SOCKET_FIN = 105;
    public static final int C_SOCKET_CLOSED = 106;
    public static final int C_SOCKET_CLOSED_ACK = 107;
    public static final int C_SOCKET_DATA = 108;
    public static final int C_SOCKET_TOKEN = 109;

    /** tunnel_service_type */
    public static final int SERVICE_GENERIC = 1;
    public static final int SERVICE_IPP = 2;
    /** tunnel_ip_type */
    public static final int IP_IPV4 = 1;

    /** Longest service name or description accepted. */
    public static final int MAX_STRING = 1024;

    private TunnelMessages() {
    }

    public record Init(int maxSockets, long maxSocketDataSize) implements SpiceMessage {
        public int type() {
            return INIT;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(maxSockets).writeIntLE((int) maxSocketDataSize);
        }

        public static Init decode(ByteBuf in) {
            Init i = new Init(Wire.u16(in, "tunnel init max_num_of_sockets"), Wire.u32(in, "tunnel init max_socket_data_size"));
            Wire.end(in, "tunnel init");
            return i;
        }
    }

    /** The address the server gives a service; ipv4 null for an IP type other than IPv4. */
    public record ServiceIpMap(long serviceId, byte[] ipv4) implements SpiceMessage {
        public int type() {
            return SERVICE_IP_MAP;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) serviceId);
            writeIp(out, ipv4);
        }

        public static ServiceIpMap decode(ByteBuf in) {
            long id = Wire.u32(in, "service_ip_map service_id");
            byte[] ip = readIp(in, "service_ip_map virtual_ip");
            Wire.end(in, "service_ip_map");
            return new ServiceIpMap(id, ip);
        }
    }

    static void writeIp(ByteBuf out, byte[] ipv4) {
        if (ipv4 == null) {
            out.writeShortLE(0);
        } else {
            out.writeShortLE(IP_IPV4).writeBytes(ipv4);
        }
    }

    static byte[] readIp(ByteBuf in, String what) {
        int t = Wire.u16(in, what + " type");
        if (t == IP_IPV4) {
            return Wire.bytes(in, 4, what + " ipv4");
        }
        if (t != 0) {
            throw new SpiceProtocolException(what + ": unknown ip type " + t);
        }
        return null;
    }

    /** Client: share a service. {@code ipv4} is only sent for IPP services. */
    public record ServiceAdd(int serviceType, long id, long group, long port, String name, String description,
            byte[] ipv4) implements SpiceMessage {
        public int type() {
            return C_SERVICE_ADD;
        }

        public void encode(ByteBuf out) {
            int start = out.writerIndex();
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] d = description.getBytes(StandardCharsets.UTF_8);
            int fixed = 2 + 4 + 4 + 4 + 4 + 4 + (serviceType == SERVICE_IPP ? 2 + (ipv4 == null ? 0 : 4) : 0);
            out.writeShortLE(serviceType).writeIntLE((int) id).writeIntLE((int) group).writeIntLE((int) port)
                    .writeIntLE(fixed).writeIntLE(fixed + n.length + 1);
            if (serviceType == SERVICE_IPP) {
                writeIp(out, ipv4);
            }
            if (out.writerIndex() - start != fixed) {
                throw new IllegalStateException("service_add layout");
            }
            out.writeBytes(n).writeByte(0).writeBytes(d).writeByte(0);
        }

        public static ServiceAdd decode(ByteBuf in) {
            int start = in.readerIndex();
            int size = in.readableBytes();
            int t = Wire.u16(in, "service_add type");
            if (t != SERVICE_GENERIC && t != SERVICE_IPP) {
                throw new SpiceProtocolException("service_add: unknown service type " + t);
            }
            long id = Wire.u32(in, "service_add id");
            long group = Wire.u32(in, "service_add group");
            long port = Wire.u32(in, "service_add port");
            long namePtr = Wire.u32(in, "service_add name");
            long descPtr = Wire.u32(in, "service_add description");
            byte[] ip = t == SERVICE_IPP ? readIp(in, "service_add ip") : null;
            int fixed = in.readerIndex() - start;
            String name = cstring(in, start, size, fixed, namePtr, "service_add name");
            String desc = cstring(in, start, size, fixed, descPtr, "service_add description");
            in.readerIndex(start + size);
            return new ServiceAdd(t, id, group, port, name, desc, ip);
        }
    }

    /** A NUL-terminated string at {@code ptr} within the message, after its fixed part. */
    private static String cstring(ByteBuf in, int start, int size, int fixed, long ptr, String what) {
        if (ptr < fixed || ptr >= size) {
            throw new SpiceProtocolException(what + ": offset " + ptr + " outside the message (" + fixed + ".." + size + ")");
        }
        int from = start + (int) ptr;
        int end = start + size;
        for (int i = from; i < end && i - from <= MAX_STRING; i++) {
            if (in.getByte(i) == 0) {
                return in.toString(from, i - from, StandardCharsets.UTF_8);
            }
        }
        throw new SpiceProtocolException(what + ": not NUL-terminated within " + MAX_STRING + " bytes");
    }

    public record ServiceRemove(long id) implements SpiceMessage {
        public int type() {
            return C_SERVICE_REMOVE;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) id);
        }

        public static ServiceRemove decode(ByteBuf in) {
            ServiceRemove r = new ServiceRemove(Wire.u32(in, "service_remove id"));
            Wire.end(in, "service_remove");
            return r;
        }
    }

    /** Server: a socket to the service opened; the client may send {@code tokens} data messages. */
    public record SocketOpen(int connectionId, long serviceId, long tokens) implements SpiceMessage {
        public int type() {
            return SOCKET_OPEN;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(connectionId).writeIntLE((int) serviceId).writeIntLE((int) tokens);
        }

        public static SocketOpen decode(ByteBuf in) {
            SocketOpen o = new SocketOpen(Wire.u16(in, "socket_open connection_id"), Wire.u32(in, "socket_open service_id"),
                    Wire.u32(in, "socket_open tokens"));
            Wire.end(in, "socket_open");
            return o;
        }
    }

    /** Client: the socket reached the service; the server may send {@code tokens} data messages. */
    public record SocketOpenAck(int connectionId, long tokens) implements SpiceMessage {
        public int type() {
            return C_SOCKET_OPEN_ACK;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(connectionId).writeIntLE((int) tokens);
        }

        public static SocketOpenAck decode(ByteBuf in) {
            SocketOpenAck a = new SocketOpenAck(Wire.u16(in, "socket_open_ack connection_id"),
                    Wire.u32(in, "socket_open_ack tokens"));
            Wire.end(in, "socket_open_ack");
            return a;
        }
    }

    /** The messages that carry only a connection id (fin, close, closed, closed_ack, open_nack). */
    public record Socket(int type, int connectionId) implements SpiceMessage {
        public void encode(ByteBuf out) {
            out.writeShortLE(connectionId);
        }

        public static Socket decode(int type, ByteBuf in) {
            Socket s = new Socket(type, Wire.u16(in, "tunnel socket message connection_id"));
            Wire.end(in, "tunnel socket message " + type);
            return s;
        }
    }

    public record SocketData(int type, int connectionId, byte[] data) implements SpiceMessage {
        public void encode(ByteBuf out) {
            out.writeShortLE(connectionId).writeBytes(data);
        }

        public static SocketData decode(int type, ByteBuf in, long maxData) {
            int id = Wire.u16(in, "socket_data connection_id");
            if (in.readableBytes() > maxData) {
                throw new SpiceProtocolException("socket_data: " + in.readableBytes() + " bytes exceed the limit of "
                        + maxData);
            }
            return new SocketData(type, id, Wire.bytes(in, in.readableBytes(), "socket_data"));
        }
    }

    public record SocketToken(int type, int connectionId, long tokens) implements SpiceMessage {
        public void encode(ByteBuf out) {
            out.writeShortLE(connectionId).writeIntLE((int) tokens);
        }

        public static SocketToken decode(int type, ByteBuf in) {
            SocketToken t = new SocketToken(type, Wire.u16(in, "socket_token connection_id"),
                    Wire.u32(in, "socket_token num_tokens"));
            Wire.end(in, "socket_token");
            return t;
        }
    }
}
