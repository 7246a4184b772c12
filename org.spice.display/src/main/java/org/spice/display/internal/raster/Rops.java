package org.spice.display.internal.raster;

import org.spice.display.internal.wire.DisplayMessages;

/**
 * The raster operations of SPICE draw commands on 32-bit pixels, as spice-common's canvas applies them: rop
 * descriptors reduce to one of the 16 binary raster ops (X's GX codes), ternary ops combine pattern, source and
 * destination by their 8-bit truth table, and Porter-Duff arithmetic rounds as pixman does.
 */
public final class Rops {
    // The 16 binary raster ops, X's GXclear..GXset order (spice-common's SpiceROP).
    public static final int CLEAR = 0;
    static final int AND = 1;
    static final int AND_REVERSE = 2;
    static final int COPY = 3;
    static final int AND_INVERTED = 4;
    static final int NOOP = 5;
    static final int XOR = 6;
    static final int OR = 7;
    static final int NOR = 8;
    static final int EQUIV = 9;
    public static final int INVERT = 10;
    static final int OR_REVERSE = 11;
    static final int COPY_INVERTED = 12;
    static final int OR_INVERTED = 13;
    static final int NAND = 14;
    public static final int SET = 15;

    /** Which operand a rop descriptor's invert flags name: the source, the brush or the destination. */
    public enum Input { SRC, BRUSH, DEST }

    private Rops() {
    }

    /**
     * The binary op a rop descriptor means when {@code src} is its first operand and {@code dest} its second: the
     * descriptor's INVERS_SRC/INVERS_BRUSH/INVERS_DEST flag of each operand inverts it, OP_PUT/OR/AND/XOR combine
     * them, INVERS_RES inverts the result, and OP_BLACKNESS/WHITENESS/INVERS ignore the source. No op flag is COPY.
     */
    public static int fromDescriptor(int desc, Input src, Input dest) {
        boolean invSrc = (desc & flag(src)) != 0;
        boolean invDest = (desc & flag(dest)) != 0;
        boolean invRes = (desc & DisplayMessages.ROPD_INVERS_RES) != 0;
        // f(s, d) as a truth table: bit (3 - (s << 1 | d)) of the GX code.
        java.util.function.IntBinaryOperator op;
        if ((desc & DisplayMessages.ROPD_OP_PUT) != 0) {
            op = (s, d) -> s;
        } else if ((desc & DisplayMessages.ROPD_OP_OR) != 0) {
            op = (s, d) -> s | d;
        } else if ((desc & DisplayMessages.ROPD_OP_AND) != 0) {
            op = (s, d) -> s & d;
        } else if ((desc & DisplayMessages.ROPD_OP_XOR) != 0) {
            op = (s, d) -> s ^ d;
        } else if ((desc & DisplayMessages.ROPD_OP_BLACKNESS) != 0) {
            return CLEAR;
        } else if ((desc & DisplayMessages.ROPD_OP_WHITENESS) != 0) {
            return SET;
        } else if ((desc & DisplayMessages.ROPD_OP_INVERS) != 0) {
            return INVERT;
        } else {
            return COPY;
        }
        int code = 0;
        for (int s = 0; s <= 1; s++) {
            for (int d = 0; d <= 1; d++) {
                int r = op.applyAsInt(invSrc ? 1 - s : s, invDest ? 1 - d : d);
                if (invRes) {
                    r = 1 - r;
                }
                code |= r << (3 - (s << 1 | d));
            }
        }
        return code;
    }

    private static int flag(Input in) {
        return switch (in) {
            case SRC -> DisplayMessages.ROPD_INVERS_SRC;
            case BRUSH -> DisplayMessages.ROPD_INVERS_BRUSH;
            case DEST -> DisplayMessages.ROPD_INVERS_DEST;
        };
    }

    /** Binary raster op {@code rop} (GX code) on every bit of {@code s} and {@code d}. */
    static int rop2(int rop, int s, int d) {
        return switch (rop) {
            case CLEAR -> 0;
            case AND -> s & d;
            case AND_REVERSE -> s & ~d;
            case COPY -> s;
            case AND_INVERTED -> ~s & d;
            case NOOP -> d;
            case XOR -> s ^ d;
            case OR -> s | d;
            case NOR -> ~(s | d);
            case EQUIV -> ~s ^ d;
            case INVERT -> ~d;
            case OR_REVERSE -> s | ~d;
            case COPY_INVERTED -> ~s;
            case OR_INVERTED -> ~s | d;
            case NAND -> ~(s & d);
            case SET -> -1;
            default -> throw new IllegalArgumentException("rop " + rop);
        };
    }

    /**
     * Ternary raster op {@code code} (0..255, the Windows ROP3 index): bit {@code p<<2 | s<<1 | d} of the code is
     * the result for pattern bit p, source bit s and destination bit d, on every bit of the three words.
     */
    static int rop3(int code, int p, int s, int d) {
        int r = 0;
        for (int k = 0; k < 8; k++) {
            if ((code >> k & 1) != 0) {
                r |= ((k & 4) != 0 ? p : ~p) & ((k & 2) != 0 ? s : ~s) & ((k & 1) != 0 ? d : ~d);
            }
        }
        return r;
    }

    /** pixman's 8-bit multiply with rounding: a * b / 255. */
    static int mul(int a, int b) {
        int t = a * b + 0x80;
        return ((t >> 8) + t) >> 8;
    }

    /** Each channel of {@code argb} multiplied by {@code a} (0..255), pixman's UN8x4_MUL_UN8. */
    static int mulPixel(int argb, int a) {
        return mul(argb >>> 24, a) << 24 | mul(argb >>> 16 & 0xff, a) << 16 | mul(argb >>> 8 & 0xff, a) << 8
                | mul(argb & 0xff, a);
    }

    /** Premultiplied {@code s} OVER {@code d}: s + d * (255 - alpha(s)), saturated per channel. */
    static int over(int s, int d) {
        int ia = 255 - (s >>> 24);
        int r = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            int c = (s >>> shift & 0xff) + mul(d >>> shift & 0xff, ia);
            r |= Math.min(c, 255) << shift;
        }
        return r;
    }
}
