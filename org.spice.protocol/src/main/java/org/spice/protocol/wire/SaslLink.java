package org.spice.protocol.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.spice.protocol.SpiceProtocolException;

/**
 * The SASL exchange of the link stage (after the client chose {@link Link#AUTH_MECHANISM_SASL}), as spice-server and
 * spice-gtk frame it, all lengths u32 little-endian:
 * <ol>
 * <li>server: mechanism list length, then the list (comma separated, no NUL);</li>
 * <li>client: mechanism name length, name (no NUL), then start data;</li>
 * <li>server: step data, then one byte, 1 when the server is done;</li>
 * <li>client: step data, server: step data and done byte, until the server is done;</li>
 * <li>server: the u32 link result, still outside the security layer.</li>
 * </ol>
 * Step and start data are a length and that many bytes whose last byte is a NUL the SASL layer does not see; a length
 * of 0 means "no data", which SASL tells apart from empty data (length 1).
 */
public final class SaslLink {
    /** spice-gtk refuses longer mechanism lists, spice-server longer names. */
    public static final int MAX_MECHLIST = 300;
    public static final int MAX_MECHNAME = 100;
    /**
     * Step data of the mechanisms spoken here (DIGEST-MD5, SCRAM) stays below 4 KiB; spice-server allows 1 MiB, which
     * a peer never needs, so both roles cap it here.
     */
    public static final int MAX_DATA = 64 * 1024;

    /** One step's data (null: none) and, from the server, whether it is done. */
    public record Step(byte[] data, boolean complete) {
    }

    private SaslLink() {
    }

    public static void writeMechList(ByteBuf out, List<String> mechanisms) {
        byte[] list = String.join(",", mechanisms).getBytes(StandardCharsets.US_ASCII);
        out.writeIntLE(list.length).writeBytes(list);
    }

    /** Reads the mechanism list when it is all there, else returns null and consumes nothing. */
    public static List<String> readMechList(ByteBuf in) {
        String s = readString(in, 0, MAX_MECHLIST, "SASL mechanism list");
        if (s == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String m : s.split(",")) {
            if (!m.isBlank()) {
                out.add(m.strip());
            }
        }
        return out;
    }

    public static void writeMechName(ByteBuf out, String mechanism) {
        byte[] name = mechanism.getBytes(StandardCharsets.US_ASCII);
        out.writeIntLE(name.length).writeBytes(name);
    }

    /** Reads the client's mechanism name when it is all there, else returns null and consumes nothing. */
    public static String readMechName(ByteBuf in) {
        return readString(in, 1, MAX_MECHNAME, "SASL mechanism name");
    }

    /** Start or step data: length 0 for null, else the bytes and a NUL. */
    public static void writeData(ByteBuf out, byte[] data) {
        if (data == null) {
            out.writeIntLE(0);
        } else {
            out.writeIntLE(data.length + 1).writeBytes(data).writeByte(0);
        }
    }

    /** The server's step: data and the done byte. */
    public static void writeServerStep(ByteBuf out, byte[] data, boolean complete) {
        writeData(out, data);
        out.writeByte(complete ? 1 : 0);
    }

    /**
     * Reads one step when it is all there (with the done byte when {@code fromServer}), else returns null and consumes
     * nothing. A length over {@link #MAX_DATA} fails before anything is waited for.
     */
    public static Step readStep(ByteBuf in, boolean fromServer) {
        if (in.readableBytes() < 4) {
            return null;
        }
        long len = in.getUnsignedIntLE(in.readerIndex());
        if (len > MAX_DATA) {
            throw new SpiceProtocolException("SASL " + (fromServer ? "server" : "client") + " data of " + len
                    + " bytes, over the limit of " + MAX_DATA);
        }
        int total = 4 + (int) len + (fromServer ? 1 : 0);
        if (in.readableBytes() < total) {
            return null;
        }
        in.skipBytes(4);
        byte[] data = null;
        if (len > 0) {
            // The last byte is the NUL terminator that the C peers add; SASL never sees it.
            data = new byte[(int) len - 1];
            in.readBytes(data);
            in.skipBytes(1);
        }
        boolean complete = false;
        if (fromServer) {
            int done = in.readUnsignedByte();
            if (done > 1) {
                throw new SpiceProtocolException("SASL server step: done flag " + done + " is neither 0 nor 1");
            }
            complete = done == 1;
        }
        return new Step(data, complete);
    }

    private static String readString(ByteBuf in, int min, int max, String what) {
        if (in.readableBytes() < 4) {
            return null;
        }
        long len = in.getUnsignedIntLE(in.readerIndex());
        if (len < min || len > max) {
            throw new SpiceProtocolException(what + " of " + len + " bytes (allowed " + min + ".." + max + ")");
        }
        if (in.readableBytes() < 4 + len) {
            return null;
        }
        in.skipBytes(4);
        byte[] b = new byte[(int) len];
        in.readBytes(b);
        for (byte c : b) {
            if (c < 0x20 || c > 0x7e) {
                throw new SpiceProtocolException(what + " holds a byte that is not printable ASCII");
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }
}
