package org.spice.smartcard.internal.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.SpiceVmcMessages;
import org.spice.protocol.wire.Wire;

/**
 * One message of libcacard's virtual smart card protocol (VSC, vscard_common.h version 0.0.2) as the SPICE
 * smartcard channel carries it: spicevmc data (type 101) in both directions, whose body is the VSC header
 * {u32 type, u32 reader_id, u32 length} followed by exactly {@code length} payload bytes.
 *
 * <p>Byte order: on the SPICE wire the header is little-endian like every SPICE field (spice-gtk marshals it so,
 * and spice-server swaps it to network order only on the chardev towards QEMU's ccid-card-passthru). Payloads are
 * passed through untouched, so the 32-bit fields inside them (an error code, init's version and capabilities) are
 * in network byte order as QEMU writes them; init's magic is the four bytes "VSCD".
 */
public record VscMessage(int vscType, long readerId, byte[] payload) implements SpiceMessage {
    public static final int INIT = 1;
    public static final int ERROR = 2;
    public static final int READER_ADD = 3;
    public static final int READER_REMOVE = 4;
    public static final int ATR = 5;
    public static final int CARD_REMOVE = 6;
    public static final int APDU = 7;
    public static final int FLUSH = 8;
    public static final int FLUSH_COMPLETE = 9;

    public static final int SUCCESS = 0;
    public static final int GENERAL_ERROR = 1;
    public static final int CANNOT_ADD_MORE_READERS = 2;
    public static final int CARD_ALREADY_INSERTED = 3;

    public static final long UNDEFINED_READER = 0xffffffffL;
    /** VSCARD_VERSION: MAKE_VERSION(0, 0, 2). */
    public static final int VERSION = 2;
    static final byte[] MAGIC = {'V', 'S', 'C', 'D'};

    /** An ATR is at most 33 bytes (ISO 7816-3); QEMU's passthru refuses more than 40. */
    public static final int MAX_ATR = 40;
    /** An extended APDU command or response with its status word fits; QEMU buffers 64 KiB. */
    public static final int MAX_PAYLOAD = 65536 + 16;
    public static final int MAX_READER_NAME = 1024;
    private static final int MAX_CAPABILITIES = 64;

    public VscMessage {
        if (readerId < 0 || readerId > UNDEFINED_READER) {
            throw new IllegalArgumentException("reader id " + readerId + " is not a u32");
        }
    }

    @Override
    public int type() {
        return SpiceVmcMessages.DATA;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeIntLE(vscType).writeIntLE((int) readerId).writeIntLE(payload.length).writeBytes(payload);
    }

    public static VscMessage init(int... capabilities) {
        byte[] p = new byte[8 + 4 * Math.max(1, capabilities.length)];
        System.arraycopy(MAGIC, 0, p, 0, 4);
        putBe(p, 4, VERSION);
        for (int i = 0; i < capabilities.length; i++) {
            putBe(p, 8 + 4 * i, capabilities[i]);
        }
        return new VscMessage(INIT, UNDEFINED_READER, p);
    }

    public static VscMessage error(long readerId, int code) {
        byte[] p = new byte[4];
        putBe(p, 0, code);
        return new VscMessage(ERROR, readerId, p);
    }

    public static VscMessage readerAdd(String name) {
        return new VscMessage(READER_ADD, UNDEFINED_READER, name.getBytes(StandardCharsets.UTF_8));
    }

    public static VscMessage empty(int type, long readerId) {
        return new VscMessage(type, readerId, new byte[0]);
    }

    /**
     * Decodes one message body, checking the header's length against the body and the payload against what its
     * type allows: anything else is a {@link SpiceProtocolException} that closes the channel.
     */
    public static VscMessage decode(ByteBuf in) {
        long type = Wire.u32(in, "smartcard VSC header type");
        long reader = Wire.u32(in, "smartcard VSC header reader_id");
        int length = Wire.count(in, MAX_PAYLOAD, "smartcard VSC header length");
        if (length != in.readableBytes()) {
            throw new SpiceProtocolException("smartcard VSC header length " + length + " but " + in.readableBytes()
                    + " payload bytes follow");
        }
        if (type < INIT || type > FLUSH_COMPLETE) {
            throw new SpiceProtocolException("smartcard: unknown VSC message type " + type);
        }
        byte[] payload = Wire.bytes(in, length, "smartcard VSC payload");
        VscMessage m = new VscMessage((int) type, reader, payload);
        m.check();
        return m;
    }

    private void check() {
        int n = payload.length;
        switch (vscType) {
            case INIT -> {
                if (n < 12 || n % 4 != 0 || n > 8 + 4 * MAX_CAPABILITIES) {
                    throw new SpiceProtocolException("smartcard VSC init: bad payload size " + n);
                }
                if (!Arrays.equals(Arrays.copyOf(payload, 4), MAGIC)) {
                    throw new SpiceProtocolException("smartcard VSC init: bad magic");
                }
            }
            case ERROR -> {
                if (n != 4) {
                    throw new SpiceProtocolException("smartcard VSC error: payload of " + n + " bytes, not 4");
                }
            }
            case READER_ADD -> {
                if (n > MAX_READER_NAME) {
                    throw new SpiceProtocolException("smartcard VSC reader_add: name of " + n + " bytes exceeds "
                            + MAX_READER_NAME);
                }
            }
            case ATR -> {
                if (n < 2 || n > MAX_ATR) {
                    throw new SpiceProtocolException("smartcard VSC atr: " + n + " bytes (2.." + MAX_ATR + ")");
                }
            }
            case APDU -> {
                if (n == 0) {
                    throw new SpiceProtocolException("smartcard VSC apdu: empty");
                }
            }
            default -> {
                if (n != 0) {
                    throw new SpiceProtocolException("smartcard VSC " + typeName(vscType) + ": unexpected payload of "
                            + n + " bytes");
                }
            }
        }
    }

    /** The code of an ERROR message. */
    public int errorCode() {
        requireType(ERROR);
        return getBe(payload, 0);
    }

    /** The reader name of a READER_ADD message, without a terminating NUL. */
    public String readerName() {
        requireType(READER_ADD);
        int len = 0;
        while (len < payload.length && payload[len] != 0) {
            len++;
        }
        return new String(payload, 0, len, StandardCharsets.UTF_8);
    }

    /** The version of an INIT message. */
    public int initVersion() {
        requireType(INIT);
        return getBe(payload, 4);
    }

    private void requireType(int t) {
        if (vscType != t) {
            throw new IllegalStateException(typeName(vscType) + " is not " + typeName(t));
        }
    }

    public static String typeName(int t) {
        return switch (t) {
            case INIT -> "init";
            case ERROR -> "error";
            case READER_ADD -> "reader_add";
            case READER_REMOVE -> "reader_remove";
            case ATR -> "atr";
            case CARD_REMOVE -> "card_remove";
            case APDU -> "apdu";
            case FLUSH -> "flush";
            case FLUSH_COMPLETE -> "flush_complete";
            default -> "type " + t;
        };
    }

    public static String errorName(int code) {
        return switch (code) {
            case SUCCESS -> "success";
            case GENERAL_ERROR -> "general error";
            case CANNOT_ADD_MORE_READERS -> "cannot add more readers";
            case CARD_ALREADY_INSERTED -> "card already inserted";
            default -> "error " + Integer.toUnsignedString(code);
        };
    }

    @Override
    public String toString() {
        return typeName(vscType) + " reader " + (readerId == UNDEFINED_READER ? "undefined" : readerId) + " ("
                + payload.length + " bytes)";
    }

    private static void putBe(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static int getBe(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | b[off + 3] & 0xff;
    }
}
