package org.spice.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.spice.protocol.wire.SpiceMessage;

/**
 * Wire bytes captured between QEMU 7.2 (spice-server 0.15) and spice-gtk 0.42: one hex line per item; and hex
 * helpers for golden tests that spell a message's bytes out.
 */
public final class Golden {
    private Golden() {
    }

    public static List<byte[]> items(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/qemu/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            List<byte[]> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(HexFormat.of().parseHex(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All items of a file, concatenated, in a buffer the caller releases. */
    public static ByteBuf stream(String name) {
        ByteBuf b = Unpooled.buffer();
        items(name).forEach(b::writeBytes);
        return b;
    }

    public static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    /** The body {@code m} encodes to, as lower-case hex. */
    public static String hex(SpiceMessage m) {
        ByteBuf b = Unpooled.buffer();
        try {
            m.encode(b);
            return HexFormat.of().formatHex(bytes(b));
        } finally {
            b.release();
        }
    }

    /** What {@code decoder} makes of the bytes {@code hex} spells; the buffer is released afterwards. */
    public static <T> T decodeHex(String hex, Function<ByteBuf, T> decoder) {
        ByteBuf in = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
        try {
            return decoder.apply(in);
        } finally {
            in.release();
        }
    }
}
