package org.spice.display.internal.codec;

import java.util.Arrays;

/** A growable byte array the LZ and GLZ encoders write into. */
final class ByteSink {
    byte[] buf;
    int pos;

    ByteSink(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    void ensure(int more) {
        if (pos + more > buf.length) {
            long want = Math.max((long) pos + more, buf.length * 2L);
            if (want > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("encoded image exceeds 2 GB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    /** Callers have ensured room. */
    void u8(int v) {
        buf[pos++] = (byte) v;
    }

    void u32(long v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, pos);
    }
}
