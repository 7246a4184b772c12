package org.spice.smartcard.internal;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** BER-TLV as PIV uses it: one- or two-byte tags, definite lengths up to 0xFFFF. */
final class Tlv {
    private Tlv() {
    }

    /** {@code tag} (one byte, or two when above 0xFF) with its length and value. */
    static byte[] of(int tag, byte[]... values) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] v : values) {
            value.writeBytes(v);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (tag > 0xffff) {
            out.write(tag >>> 16);
        }
        if (tag > 0xff) {
            out.write(tag >>> 8);
        }
        out.write(tag);
        int n = value.size();
        if (n < 0x80) {
            out.write(n);
        } else if (n <= 0xff) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * The top-level TLVs of {@code b} by tag (a tag byte whose low five bits are all set continues into the
     * next); null when the encoding is broken.
     */
    static Map<Integer, byte[]> parse(byte[] b) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        int i = 0;
        while (i < b.length) {
            int tag = b[i++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                do {
                    if (i >= b.length) {
                        return null;
                    }
                    tag = tag << 8 | b[i] & 0xff;
                } while ((b[i++] & 0x80) != 0 && tag <= 0xffff);
            }
            if (i >= b.length) {
                return null;
            }
            int len = b[i++] & 0xff;
            if (len == 0x81 || len == 0x82) {
                int bytes = len & 0x7f;
                if (i + bytes > b.length) {
                    return null;
                }
                len = 0;
                for (int k = 0; k < bytes; k++) {
                    len = len << 8 | b[i++] & 0xff;
                }
            } else if (len > 0x80) {
                return null;
            }
            if (len > b.length - i) {
                return null;
            }
            byte[] v = new byte[len];
            System.arraycopy(b, i, v, 0, len);
            i += len;
            out.put(tag, v);
        }
        return out;
    }
}
