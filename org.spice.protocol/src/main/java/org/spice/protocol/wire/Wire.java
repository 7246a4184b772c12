package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.spice.protocol.SpiceProtocolException;

/** Bounded little-endian reads: each names what it reads, so a truncated message says where it broke. */
public final class Wire {
    private Wire() {
    }

    public static void need(ByteBuf in, long n, String what) {
        if (n < 0 || in.readableBytes() < n) {
            throw new SpiceProtocolException(what + ": truncated (needs " + n + " bytes, " + in.readableBytes()
                    + " left)");
        }
    }

    public static int u8(ByteBuf in, String what) {
        need(in, 1, what);
        return in.readUnsignedByte();
    }

    public static int u16(ByteBuf in, String what) {
        need(in, 2, what);
        return in.readUnsignedShortLE();
    }

    public static long u32(ByteBuf in, String what) {
        need(in, 4, what);
        return in.readUnsignedIntLE();
    }

    public static int i32(ByteBuf in, String what) {
        need(in, 4, what);
        return in.readIntLE();
    }

    public static long u64(ByteBuf in, String what) {
        need(in, 8, what);
        return in.readLongLE();
    }

    /** A uint32 count or size that must not exceed {@code max}: checked before anything is allocated for it. */
    public static int count(ByteBuf in, long max, String what) {
        long n = u32(in, what);
        if (n > max) {
            throw new SpiceProtocolException(what + ": " + n + " exceeds the limit of " + max);
        }
        return (int) n;
    }

    public static byte[] bytes(ByteBuf in, int n, String what) {
        need(in, n, what);
        byte[] b = new byte[n];
        in.readBytes(b);
        return b;
    }

    /** {@code n} bytes as UTF-8, dropping a terminating NUL and anything after it. */
    public static String zstring(ByteBuf in, int n, String what) {
        byte[] b = bytes(in, n, what);
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    /** Fails when bytes remain that the message definition has no place for. */
    public static void end(ByteBuf in, String what) {
        if (in.isReadable()) {
            throw new SpiceProtocolException(what + ": " + in.readableBytes() + " unexpected trailing bytes");
        }
    }
}
