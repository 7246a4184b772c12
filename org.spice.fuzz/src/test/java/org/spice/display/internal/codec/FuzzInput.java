package org.spice.display.internal.codec;

/** Reads the framings of the fuzz tests' inputs (little-endian, short reads give zeros). */
final class FuzzInput {
    final byte[] data;
    int pos;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    int remaining() {
        return data.length - pos;
    }

    int u8() {
        return pos < data.length ? data[pos++] & 0xff : 0;
    }

    int u16() {
        return u8() | u8() << 8;
    }

    int i32() {
        return u8() | u8() << 8 | u8() << 16 | u8() << 24;
    }

    /** Up to {@code n} bytes, fewer at the end of the input. */
    byte[] bytes(int n) {
        int k = Math.max(0, Math.min(n, remaining()));
        byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + k);
        pos += k;
        return b;
    }

    byte[] rest() {
        return bytes(remaining());
    }

    /** [n u8][n x u32 LE]: null when n is 0. */
    int[] palette() {
        int n = u8();
        if (n == 0) {
            return null;
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i32();
        }
        return p;
    }
}
