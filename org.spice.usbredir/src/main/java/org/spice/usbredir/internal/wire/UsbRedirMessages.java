package org.spice.usbredir.internal.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.Wire;

/**
 * The usbredir protocol (usbredirproto.h, version 0.7): packet type numbers, capabilities, one record per packet
 * and the framing. A packet is a header (type u32, length u32, id u32 or u64 once both sides announce
 * {@link #CAP_64BITS_IDS}), a type-specific header whose size can depend on the negotiated capabilities, then
 * data. The device side ("usb-host", our client) and the side that drives it ("usb-guest", QEMU or our server)
 * both start with {@link Hello}.
 */
public final class UsbRedirMessages {
    public static final String VERSION = "spice-jvm usbredir 0.7.1";

    public static final int HELLO = 0;
    public static final int DEVICE_CONNECT = 1;
    public static final int DEVICE_DISCONNECT = 2;
    public static final int RESET = 3;
    public static final int INTERFACE_INFO = 4;
    public static final int EP_INFO = 5;
    public static final int SET_CONFIGURATION = 6;
    public static final int GET_CONFIGURATION = 7;
    public static final int CONFIGURATION_STATUS = 8;
    public static final int SET_ALT_SETTING = 9;
    public static final int GET_ALT_SETTING = 10;
    public static final int ALT_SETTING_STATUS = 11;
    public static final int START_ISO_STREAM = 12;
    public static final int STOP_ISO_STREAM = 13;
    public static final int ISO_STREAM_STATUS = 14;
    public static final int START_INTERRUPT_RECEIVING = 15;
    public static final int STOP_INTERRUPT_RECEIVING = 16;
    public static final int INTERRUPT_RECEIVING_STATUS = 17;
    public static final int ALLOC_BULK_STREAMS = 18;
    public static final int FREE_BULK_STREAMS = 19;
    public static final int BULK_STREAMS_STATUS = 20;
    public static final int CANCEL_DATA_PACKET = 21;
    public static final int FILTER_REJECT = 22;
    public static final int FILTER_FILTER = 23;
    public static final int DEVICE_DISCONNECT_ACK = 24;
    public static final int START_BULK_RECEIVING = 25;
    public static final int STOP_BULK_RECEIVING = 26;
    public static final int BULK_RECEIVING_STATUS = 27;
    public static final int CONTROL_PACKET = 100;
    public static final int BULK_PACKET = 101;
    public static final int ISO_PACKET = 102;
    public static final int INTERRUPT_PACKET = 103;
    public static final int BUFFERED_BULK_PACKET = 104;

    public static final int STATUS_SUCCESS = 0;
    public static final int STATUS_CANCELLED = 1;
    public static final int STATUS_INVAL = 2;
    public static final int STATUS_IOERROR = 3;
    public static final int STATUS_STALL = 4;
    public static final int STATUS_TIMEOUT = 5;
    public static final int STATUS_BABBLE = 6;

    public static final int EP_TYPE_CONTROL = 0;
    public static final int EP_TYPE_ISO = 1;
    public static final int EP_TYPE_BULK = 2;
    public static final int EP_TYPE_INTERRUPT = 3;
    public static final int EP_TYPE_INVALID = 255;

    public static final int SPEED_LOW = 0;
    public static final int SPEED_FULL = 1;
    public static final int SPEED_HIGH = 2;
    public static final int SPEED_SUPER = 3;

    public static final int CAP_BULK_STREAMS = 0;
    public static final int CAP_CONNECT_DEVICE_VERSION = 1;
    public static final int CAP_FILTER = 2;
    public static final int CAP_DEVICE_DISCONNECT_ACK = 3;
    public static final int CAP_EP_INFO_MAX_PACKET_SIZE = 4;
    public static final int CAP_64BITS_IDS = 5;
    public static final int CAP_32BITS_BULK_LENGTH = 6;
    public static final int CAP_BULK_RECEIVING = 7;

    /** The capabilities we announce in both roles (no bulk streams, no bulk receiving). */
    public static final int OUR_CAPS = 1 << CAP_CONNECT_DEVICE_VERSION | 1 << CAP_FILTER
            | 1 << CAP_DEVICE_DISCONNECT_ACK | 1 << CAP_EP_INFO_MAX_PACKET_SIZE | 1 << CAP_64BITS_IDS
            | 1 << CAP_32BITS_BULK_LENGTH;

    /** The largest packet (headers and data) we accept; checked before anything is buffered for it. */
    public static final int MAX_PACKET = 16 << 20;
    /** The most capability words a hello may carry. */
    public static final int MAX_CAP_WORDS = 64;

    private UsbRedirMessages() {
    }

    /** What both sides announced; until the peer's hello arrives only our own capabilities are known. */
    public static final class Negotiation {
        private final int ours;
        private volatile int peer;
        private volatile boolean peerKnown;

        public Negotiation(int ours) {
            this.ours = ours;
        }

        public void peerHello(Hello h) {
            peer = h.caps().length > 0 ? h.caps()[0] : 0;
            peerKnown = true;
        }

        public boolean peerKnown() {
            return peerKnown;
        }

        public boolean both(int cap) {
            return peerKnown && (ours & 1 << cap) != 0 && (peer & 1 << cap) != 0;
        }

        public int headerLength() {
            return both(CAP_64BITS_IDS) ? 16 : 12;
        }
    }

    /** One packet of any type. */
    public sealed interface Packet permits Hello, DeviceConnect, Empty, InterfaceInfo, EpInfo, Bytes, FilterFilter,
            BulkStreams, BulkReceiving, ControlPacket, BulkPacket, StreamPacket, BufferedBulkPacket {
        int type();

        /** The type-specific header. */
        void encodeHeader(ByteBuf out, Negotiation n);

        default byte[] data() {
            return EMPTY;
        }
    }

    public static final byte[] EMPTY = new byte[0];

    /** A packet with its id: the id ties a status or data reply to its request. */
    public record Frame(long id, Packet packet) {
    }

    /** Hello: a 64-byte version string, then capability words as data. */
    public record Hello(String version, int[] caps) implements Packet {
        @Override
        public int type() {
            return HELLO;
        }

        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            byte[] v = version.getBytes(StandardCharsets.UTF_8);
            int len = Math.min(v.length, 63);
            out.writeBytes(v, 0, len).writeZero(64 - len);
        }

        @Override
        public byte[] data() {
            byte[] d = new byte[caps.length * 4];
            for (int i = 0; i < caps.length; i++) {
                for (int b = 0; b < 4; b++) {
                    d[i * 4 + b] = (byte) (caps[i] >>> 8 * b);
                }
            }
            return d;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hello h && h.version.equals(version) && Arrays.equals(h.caps, caps);
        }

        @Override
        public int hashCode() {
            return version.hashCode() * 31 + Arrays.hashCode(caps);
        }
    }

    /** device_connect; {@code deviceVersionBcd} travels only when both announce connect_device_version. */
    public record DeviceConnect(int speed, int deviceClass, int deviceSubclass, int deviceProtocol, int vendorId,
            int productId, int deviceVersionBcd) implements Packet {
        @Override
        public int type() {
            return DEVICE_CONNECT;
        }

        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            out.writeByte(speed).writeByte(deviceClass).writeByte(deviceSubclass).writeByte(deviceProtocol)
                    .writeShortLE(vendorId).writeShortLE(productId);
            if (n.both(CAP_CONNECT_DEVICE_VERSION)) {
                out.writeShortLE(deviceVersionBcd);
            }
        }
    }

    /**
     * The packets without a type-specific header: device_disconnect, reset, get_configuration,
     * cancel_data_packet (its id names the packet to cancel), filter_reject, device_disconnect_ack.
     */
    public record Empty(int type) implements Packet {
        public Empty {
            if (type != DEVICE_DISCONNECT && type != RESET && type != GET_CONFIGURATION && type != CANCEL_DATA_PACKET
                    && type != FILTER_REJECT && type != DEVICE_DISCONNECT_ACK) {
                throw new IllegalArgumentException("usbredir packet " + type + " has a header");
            }
        }

        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
        }
    }

    /** interface_info: up to 32 interfaces, each number, class, subclass and protocol. */
    public record InterfaceInfo(int count, int[] iface, int[] cls, int[] subclass, int[] protocol) implements Packet {
        @Override
        public int type() {
            return INTERFACE_INFO;
        }

        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            out.writeIntLE(count);
            for (int[] a : new int[][] {iface, cls, subclass, protocol}) {
                for (int i = 0; i < 32; i++) {
                    out.writeByte(i < a.length ? a[i] : 0);
                }
            }
        }
    }

    /**
     * ep_info for all 32 endpoints, indexed {@code (ep & 0x80) >> 3 | (ep & 0x0f)}: type, interval, interface,
     * then max packet size and max streams when both sides announce them.
     */
    public record EpInfo(int[] epType, int[] interval, int[] iface, int[] maxPacketSize, int[] maxStreams)
            implements Packet {
        public static int index(int ep) {
            return (ep & 0x80) >> 3 | ep & 0x0f;
        }

        @Override
        public int type() {
            return EP_INFO;
        }

        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            for (int[] a : new int[][] {epType, interval, iface}) {
                for (int i = 0; i < 32; i++) {
                    out.writeByte(a[i]);
                }
            }
            if (n.both(CAP_BULK_STREAMS) || n.both(CAP_EP_INFO_MAX_PACKET_SIZE)) {
                for (int i = 0; i < 32; i++) {
                    out.writeShortLE(maxPacketSize[i]);
                }
            }
            if (n.both(CAP_BULK_STREAMS)) {
                for (int i = 0; i < 32; i++) {
                    out.writeIntLE(maxStreams[i]);
                }
            }
        }
    }

    /**
     * The packets whose header is a few bytes: set_configuration (configuration), configuration_status (status,
     * configuration), set_alt_setting (interface, alt), get_alt_setting (interface), alt_setting_status
     * (status, interface, alt), start_iso_stream (endpoint, pkts_per_urb, no_urbs), stop_iso_stream (endpoint),
     * iso_stream_status (status, endpoint), start/stop_interrupt_receiving (endpoint),
     * interrupt_receiving_status (status, endpoint).
     */
    public record Bytes(int type, int[] fields) implements Packet {
        public Bytes {
            int want = byteFields(type);
            if (want < 0 || fields.length != want) {
                throw new IllegalArgumentException("usbredir packet " + type + " takes " + want + " byte fields");
            }
        }

        public static Bytes of(int type, int... fields) {
            return new Bytes(type, fields);
        }

        public int field(int i) {
            return fields[i];
        }

        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            for (int f : fields) {
                out.writeByte(f);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && b.type == type && Arrays.equals(b.fields, fields);
        }

        @Override
        public int hashCode() {
            return type * 31 + Arrays.hashCode(fields);
        }
    }

    static int byteFields(int type) {
        return switch (type) {
            case SET_CONFIGURATION, GET_ALT_SETTING, STOP_ISO_STREAM, START_INTERRUPT_RECEIVING,
                    STOP_INTERRUPT_RECEIVING -> 1;
            case CONFIGURATION_STATUS, SET_ALT_SETTING, ISO_STREAM_STATUS, INTERRUPT_RECEIVING_STATUS -> 2;
            case ALT_SETTING_STATUS, START_ISO_STREAM -> 3;
            default -> -1;
        };
    }

    /** filter_filter: the filter rules string as data (NUL-terminated on the wire). */
    public record FilterFilter(String rules) implements Packet {
        @Override
        public int type() {
            return FILTER_FILTER;
        }

        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
        }

        @Override
        public byte[] data() {
            byte[] r = rules.getBytes(StandardCharsets.UTF_8);
            return Arrays.copyOf(r, r.length + 1);
        }
    }

    /**
     * alloc_bulk_streams (endpoints, no_streams), free_bulk_streams (endpoints), bulk_streams_status (endpoints,
     * no_streams, status).
     */
    public record BulkStreams(int type, int endpoints, int noStreams, int status) implements Packet {
        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            out.writeIntLE(endpoints);
            if (type != FREE_BULK_STREAMS) {
                out.writeIntLE(noStreams);
            }
            if (type == BULK_STREAMS_STATUS) {
                out.writeByte(status);
            }
        }
    }

    /**
     * start_bulk_receiving (stream_id, bytes_per_transfer, endpoint, no_transfers), stop_bulk_receiving (stream_id,
     * endpoint), bulk_receiving_status (stream_id, endpoint, status).
     */
    public record BulkReceiving(int type, int streamId, int bytesPerTransfer, int endpoint, int noTransfersOrStatus)
            implements Packet {
        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            out.writeIntLE(streamId);
            if (type == START_BULK_RECEIVING) {
                out.writeIntLE(bytesPerTransfer);
            }
            out.writeByte(endpoint);
            if (type != STOP_BULK_RECEIVING) {
                out.writeByte(noTransfersOrStatus);
            }
        }
    }

    /** control_packet: a setup packet and status; data follows for OUT requests and for IN replies. */
    public record ControlPacket(int endpoint, int request, int requestType, int status, int value, int index,
            int length, byte[] data) implements Packet {
        @Override
        public int type() {
            return CONTROL_PACKET;
        }

        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            out.writeByte(endpoint).writeByte(request).writeByte(requestType).writeByte(status).writeShortLE(value)
                    .writeShortLE(index).writeShortLE(length);
        }

        public boolean in() {
            return (endpoint & 0x80) != 0;
        }
    }

    /** bulk_packet; lengths above 65535 need both sides to announce 32bits_bulk_length. */
    public record BulkPacket(int endpoint, int status, int length, int streamId, byte[] data) implements Packet {
        @Override
        public int type() {
            return BULK_PACKET;
        }

        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            boolean wide = n.both(CAP_32BITS_BULK_LENGTH);
            if (!wide && length > 0xffff) {
                throw new IllegalArgumentException("bulk length " + length + " needs 32bits_bulk_length");
            }
            out.writeByte(endpoint).writeByte(status).writeShortLE(length & 0xffff).writeIntLE(streamId);
            if (wide) {
                out.writeShortLE(length >>> 16);
            }
        }
    }

    /** iso_packet and interrupt_packet: endpoint, status, length. */
    public record StreamPacket(int type, int endpoint, int status, int length, byte[] data) implements Packet {
        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            out.writeByte(endpoint).writeByte(status).writeShortLE(length);
        }
    }

    /** buffered_bulk_packet: stream_id, length, endpoint, status. */
    public record BufferedBulkPacket(int streamId, int length, int endpoint, int status, byte[] data)
            implements Packet {
        @Override
        public int type() {
            return BUFFERED_BULK_PACKET;
        }

        @Override
        public void encodeHeader(ByteBuf out, Negotiation n) {
            out.writeIntLE(streamId).writeIntLE(length).writeByte(endpoint).writeByte(status);
        }
    }

    /** The type-specific header size of {@code type} under {@code n}, or -1 for an unknown type. */
    public static int typeHeaderLength(int type, Negotiation n) {
        return switch (type) {
            case HELLO -> 64;
            case DEVICE_CONNECT -> n.both(CAP_CONNECT_DEVICE_VERSION) ? 10 : 8;
            case DEVICE_DISCONNECT, RESET, GET_CONFIGURATION, CANCEL_DATA_PACKET, FILTER_REJECT, FILTER_FILTER,
                    DEVICE_DISCONNECT_ACK -> 0;
            case INTERFACE_INFO -> 4 + 4 * 32;
            case EP_INFO -> n.both(CAP_BULK_STREAMS) ? 3 * 32 + 2 * 32 + 4 * 32
                    : n.both(CAP_EP_INFO_MAX_PACKET_SIZE) ? 3 * 32 + 2 * 32 : 3 * 32;
            case SET_CONFIGURATION, CONFIGURATION_STATUS, SET_ALT_SETTING, GET_ALT_SETTING, ALT_SETTING_STATUS,
                    START_ISO_STREAM, STOP_ISO_STREAM, ISO_STREAM_STATUS, START_INTERRUPT_RECEIVING,
                    STOP_INTERRUPT_RECEIVING, INTERRUPT_RECEIVING_STATUS -> byteFields(type);
            case ALLOC_BULK_STREAMS -> 8;
            case FREE_BULK_STREAMS -> 4;
            case BULK_STREAMS_STATUS -> 9;
            case START_BULK_RECEIVING -> 10;
            case STOP_BULK_RECEIVING -> 5;
            case BULK_RECEIVING_STATUS -> 6;
            case CONTROL_PACKET -> 10;
            case BULK_PACKET -> n.both(CAP_32BITS_BULK_LENGTH) ? 10 : 8;
            case ISO_PACKET, INTERRUPT_PACKET -> 4;
            case BUFFERED_BULK_PACKET -> 10;
            default -> -1;
        };
    }

    static boolean carriesData(int type) {
        return type == HELLO || type == FILTER_FILTER || type >= CONTROL_PACKET;
    }

    /** Writes one packet with its header. */
    public static void encode(Frame f, ByteBuf out, Negotiation n) {
        Packet p = f.packet();
        int start = out.writerIndex();
        out.writeIntLE(p.type()).writeIntLE(0);
        if (n.headerLength() == 16) {
            out.writeLongLE(f.id());
        } else {
            out.writeIntLE((int) f.id());
        }
        int body = out.writerIndex();
        p.encodeHeader(out, n);
        out.writeBytes(p.data());
        out.setIntLE(start + 4, out.writerIndex() - body);
    }

    /**
     * Reads one whole packet from {@code in}, or returns null, consuming nothing, when it has not all arrived.
     * The length is checked against {@link #MAX_PACKET} and the type's header size before waiting for more.
     */
    public static Frame decode(ByteBuf in, Negotiation n) {
        int hl = n.headerLength();
        if (in.readableBytes() < hl) {
            return null;
        }
        int at = in.readerIndex();
        long type = in.getUnsignedIntLE(at);
        long length = in.getUnsignedIntLE(at + 4);
        int th = type > Integer.MAX_VALUE ? -1 : typeHeaderLength((int) type, n);
        if (th < 0) {
            throw new SpiceProtocolException("usbredir: unknown packet type " + type);
        }
        if (length > MAX_PACKET) {
            throw new SpiceProtocolException("usbredir packet " + type + ": length " + length + " exceeds "
                    + MAX_PACKET);
        }
        if (length < th || !carriesData((int) type) && length != th) {
            throw new SpiceProtocolException("usbredir packet " + type + ": length " + length
                    + " does not fit its " + th + "-byte header");
        }
        if (in.readableBytes() < hl + length) {
            return null;
        }
        in.skipBytes(8);
        long id = hl == 16 ? in.readLongLE() : in.readUnsignedIntLE();
        ByteBuf p = in.readSlice((int) length);
        Packet packet = decodePacket((int) type, p, n, (int) length - th);
        Wire.end(p, "usbredir packet " + type);
        return new Frame(id, packet);
    }

    private static Packet decodePacket(int type, ByteBuf p, Negotiation n, int dataLength) {
        String what = "usbredir packet " + type;
        switch (type) {
            case HELLO -> {
                String v = Wire.zstring(p, 64, "usbredir hello version");
                int words = dataLength / 4;
                if (words > MAX_CAP_WORDS) {
                    throw new SpiceProtocolException("usbredir hello: " + words + " capability words");
                }
                int[] caps = new int[words];
                for (int i = 0; i < words; i++) {
                    caps[i] = Wire.i32(p, "usbredir hello caps");
                }
                p.skipBytes(p.readableBytes()); // a partial word is ignored, as usbredirparser does
                return new Hello(v, caps);
            }
            case DEVICE_CONNECT -> {
                int speed = Wire.u8(p, what);
                int c = Wire.u8(p, what);
                int s = Wire.u8(p, what);
                int pr = Wire.u8(p, what);
                int vid = Wire.u16(p, what);
                int pid = Wire.u16(p, what);
                int bcd = n.both(CAP_CONNECT_DEVICE_VERSION) ? Wire.u16(p, what) : 0;
                return new DeviceConnect(speed, c, s, pr, vid, pid, bcd);
            }
            case DEVICE_DISCONNECT, RESET, GET_CONFIGURATION, CANCEL_DATA_PACKET, FILTER_REJECT,
                    DEVICE_DISCONNECT_ACK -> {
                return new Empty(type);
            }
            case FILTER_FILTER -> {
                return new FilterFilter(Wire.zstring(p, dataLength, "usbredir filter rules"));
            }
            case INTERFACE_INFO -> {
                long count = Wire.u32(p, what);
                if (count > 32) {
                    throw new SpiceProtocolException("usbredir interface_info: " + count + " interfaces (max 32)");
                }
                int[][] a = new int[4][32];
                for (int[] x : a) {
                    for (int i = 0; i < 32; i++) {
                        x[i] = Wire.u8(p, what);
                    }
                }
                return new InterfaceInfo((int) count, a[0], a[1], a[2], a[3]);
            }
            case EP_INFO -> {
                int[][] a = new int[5][32];
                for (int k = 0; k < 3; k++) {
                    for (int i = 0; i < 32; i++) {
                        a[k][i] = Wire.u8(p, what);
                    }
                }
                if (n.both(CAP_BULK_STREAMS) || n.both(CAP_EP_INFO_MAX_PACKET_SIZE)) {
                    for (int i = 0; i < 32; i++) {
                        a[3][i] = Wire.u16(p, what);
                    }
                }
                if (n.both(CAP_BULK_STREAMS)) {
                    for (int i = 0; i < 32; i++) {
                        a[4][i] = Wire.i32(p, what);
                    }
                }
                return new EpInfo(a[0], a[1], a[2], a[3], a[4]);
            }
            case ALLOC_BULK_STREAMS, FREE_BULK_STREAMS, BULK_STREAMS_STATUS -> {
                int eps = Wire.i32(p, what);
                int no = type == FREE_BULK_STREAMS ? 0 : Wire.i32(p, what);
                int st = type == BULK_STREAMS_STATUS ? Wire.u8(p, what) : 0;
                return new BulkStreams(type, eps, no, st);
            }
            case START_BULK_RECEIVING, STOP_BULK_RECEIVING, BULK_RECEIVING_STATUS -> {
                int sid = Wire.i32(p, what);
                int bpt = type == START_BULK_RECEIVING ? Wire.i32(p, what) : 0;
                int ep = Wire.u8(p, what);
                int last = type == STOP_BULK_RECEIVING ? 0 : Wire.u8(p, what);
                return new BulkReceiving(type, sid, bpt, ep, last);
            }
            case CONTROL_PACKET -> {
                int ep = Wire.u8(p, what);
                int req = Wire.u8(p, what);
                int rt = Wire.u8(p, what);
                int st = Wire.u8(p, what);
                int val = Wire.u16(p, what);
                int idx = Wire.u16(p, what);
                int len = Wire.u16(p, what);
                byte[] d = Wire.bytes(p, dataLength, what + " data");
                if (d.length > len) {
                    throw new SpiceProtocolException("usbredir control_packet: " + d.length
                            + " data bytes for a length of " + len);
                }
                return new ControlPacket(ep, req, rt, st, val, idx, len, d);
            }
            case BULK_PACKET -> {
                int ep = Wire.u8(p, what);
                int st = Wire.u8(p, what);
                int len = Wire.u16(p, what);
                int sid = Wire.i32(p, what);
                if (n.both(CAP_32BITS_BULK_LENGTH)) {
                    len |= Wire.u16(p, what) << 16;
                }
                if (Integer.toUnsignedLong(len) > MAX_PACKET) {
                    throw new SpiceProtocolException("usbredir bulk_packet: length " + Integer.toUnsignedLong(len));
                }
                byte[] d = Wire.bytes(p, dataLength, what + " data");
                if (d.length > len) {
                    throw new SpiceProtocolException("usbredir bulk_packet: " + d.length
                            + " data bytes for a length of " + len);
                }
                return new BulkPacket(ep, st, len, sid, d);
            }
            case ISO_PACKET, INTERRUPT_PACKET -> {
                int ep = Wire.u8(p, what);
                int st = Wire.u8(p, what);
                int len = Wire.u16(p, what);
                byte[] d = Wire.bytes(p, dataLength, what + " data");
                if (d.length > len) {
                    throw new SpiceProtocolException(what + ": " + d.length + " data bytes for a length of " + len);
                }
                return new StreamPacket(type, ep, st, len, d);
            }
            case BUFFERED_BULK_PACKET -> {
                int sid = Wire.i32(p, what);
                long len = Wire.u32(p, what);
                int ep = Wire.u8(p, what);
                int st = Wire.u8(p, what);
                if (len > MAX_PACKET || dataLength > len) {
                    throw new SpiceProtocolException("usbredir buffered_bulk_packet: " + dataLength
                            + " data bytes for a length of " + len);
                }
                return new BufferedBulkPacket(sid, (int) len, ep, st, Wire.bytes(p, dataLength, what + " data"));
            }
            default -> {
                int[] f = new int[byteFields(type)];
                for (int i = 0; i < f.length; i++) {
                    f[i] = Wire.u8(p, what);
                }
                return new Bytes(type, f);
            }
        }
    }
}
