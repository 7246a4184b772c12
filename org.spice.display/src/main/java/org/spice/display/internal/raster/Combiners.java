package org.spice.display.internal.raster;

import org.spice.protocol.SpiceProtocolException;

/**
 * pixman's combiners for a Render composite, as spice-gtk's canvas runs them (pixman 0.42, the version Debian 12's
 * spice-gtk links): the draw's op is a pixman operator. pixman combines in 8 bits ("narrow") unless the operator
 * divides — SATURATE, the DISJOINT and CONJOINT families, COLOR_DODGE, COLOR_BURN, SOFT_LIGHT and the four HSL
 * modes — which it combines in single-precision floats ("wide") from pixels expanded as {@code v * (1f / 255)} and
 * stores back with its float-to-8-bit truncation. Results must equal pixman's bit for bit, so the order of float
 * operations below is the order pixman evaluates them in. Colours are premultiplied 0xAARRGGBB.
 */
public final class Combiners {
    static final int CLEAR = 0x00;
    static final int SATURATE = 0x0d;
    static final int DISJOINT_CLEAR = 0x10;
    static final int DISJOINT_XOR = 0x1b;
    static final int CONJOINT_CLEAR = 0x20;
    static final int CONJOINT_XOR = 0x2b;
    static final int MULTIPLY = 0x30;
    static final int SCREEN = 0x31;
    static final int OVERLAY = 0x32;
    static final int DARKEN = 0x33;
    static final int LIGHTEN = 0x34;
    static final int COLOR_DODGE = 0x35;
    static final int COLOR_BURN = 0x36;
    static final int HARD_LIGHT = 0x37;
    static final int SOFT_LIGHT = 0x38;
    static final int DIFFERENCE = 0x39;
    static final int EXCLUSION = 0x3a;
    static final int HSL_HUE = 0x3b;
    static final int HSL_SATURATION = 0x3c;
    static final int HSL_COLOR = 0x3d;
    static final int HSL_LUMINOSITY = 0x3e;

    /** C's FLT_MIN, the smallest normal float: pixman's test for "zero" before dividing. */
    private static final float FLT_MIN = Float.MIN_NORMAL;
    private static final float UNIT = 1f / 255;

    private Combiners() {
    }

    /** Whether pixman has the operator: 0x00-0x0d, 0x10-0x1b, 0x20-0x2b, 0x30-0x3e. */
    static boolean known(int op) {
        return op >= 0 && op <= SATURATE || op >= DISJOINT_CLEAR && op <= DISJOINT_XOR
                || op >= CONJOINT_CLEAR && op <= CONJOINT_XOR || op >= MULTIPLY && op <= HSL_LUMINOSITY;
    }

    public static void check(int op) {
        if (!known(op)) {
            throw new SpiceProtocolException("composite op " + op + " is not a Render/pixman operator");
        }
    }

    /**
     * The operator pixman actually runs (its optimize_operator): the DISJOINT and CONJOINT forms of CLEAR, SRC and
     * DST are the plain ones, and an opaque source turns some operators into simpler ones. All but one of these
     * give the same pixels; SATURATE becomes the 8-bit OVER_REVERSE instead of its float combiner. (pixman's dest
     * images here never count as opaque: they do not repeat.)
     */
    static int effective(int op, boolean sourceOpaque) {
        if ((op & 0xf0) == DISJOINT_CLEAR || (op & 0xf0) == CONJOINT_CLEAR) {
            int base = op & 0x0f;
            return base <= 2 ? base : op;
        }
        if (!sourceOpaque) {
            return op;
        }
        return switch (op) {
            case 3 -> 1; // OVER -> SRC
            case 6 -> 2; // IN_REVERSE -> DST
            case 8 -> 0; // OUT_REVERSE -> CLEAR
            case 9 -> 5; // ATOP -> IN
            case 10, SATURATE -> 4; // ATOP_REVERSE, SATURATE -> OVER_REVERSE
            case 11 -> 7; // XOR -> OUT
            default -> op;
        };
    }

    /** pixman's operator_needs_division: combined in floats. */
    static boolean wide(int op) {
        return op == SATURATE || op >= DISJOINT_CLEAR && op <= CONJOINT_XOR || op == COLOR_DODGE
                || op == COLOR_BURN || op == SOFT_LIGHT || op >= HSL_HUE;
    }

    private static int mul(int a, int b) {
        return Rops.mul(a, b);
    }

    private static int ch(int v, int shift) {
        return v >>> shift & 0xff;
    }

    /** Per channel: x * a (each 0..255), pixman's UN8x4_MUL_UN8x4. */
    static int mulChannels(int x, int a) {
        int r = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            r |= mul(ch(x, shift), ch(a, shift)) << shift;
        }
        return r;
    }

    /** Per channel: x * a + y * b (a, b per channel), each product rounded, the sum saturated. */
    private static int mulAddChannels(int x, int a, int y, int b) {
        int r = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            r |= Math.min(255, mul(ch(x, shift), ch(a, shift)) + mul(ch(y, shift), ch(b, shift))) << shift;
        }
        return r;
    }

    private static int splat(int a) {
        return a * 0x01010101;
    }

    // ---- narrow, unified alpha: s is the source already multiplied by the mask's alpha (combine_mask) ----

    /** The narrow operators with one alpha for all channels. */
    static int unified(int op, int s, int d) {
        int sa = s >>> 24;
        int da = d >>> 24;
        return switch (op) {
            case 0 -> 0;
            case 1 -> s;
            case 2 -> d;
            case 3 -> Rops.over(s, d);
            case 4 -> Rops.over(d, s);
            case 5 -> Rops.mulPixel(s, da);
            case 6 -> Rops.mulPixel(d, sa);
            case 7 -> Rops.mulPixel(s, 255 - da);
            case 8 -> Rops.mulPixel(d, 255 - sa);
            case 9 -> Canvas.add(Rops.mulPixel(s, da), Rops.mulPixel(d, 255 - sa));
            case 10 -> Canvas.add(Rops.mulPixel(s, 255 - da), Rops.mulPixel(d, sa));
            case 11 -> Canvas.add(Rops.mulPixel(s, 255 - da), Rops.mulPixel(d, 255 - sa));
            case 12 -> Canvas.add(s, d);
            case MULTIPLY -> Canvas.add(mulChannels(d, s),
                    mulAddChannels(s, splat(255 - da), d, splat(255 - sa)));
            default -> separable(op, s, d, sa, splat(sa));
        };
    }

    /**
     * pixman's 8-bit PDF separable blend: alpha {@code da + sa - sa * da}; each colour {@code (1 - m) * d +
     * (1 - da) * s + B(d, da, s, m)} over 255 * 255, where m is the source alpha (unified) or the channel's mask
     * (component alpha). The sums are unsigned 32-bit in pixman, so a negative blend term wraps and then clamps
     * high: kept here for sources whose colour exceeds their alpha.
     */
    private static int separable(int op, int s, int d, int sa, int m) {
        int da = d >>> 24;
        long ra = clampUn8x2((long) da * 0xff + sa * 0xff - sa * da);
        int r = divOne(ra) << 24;
        for (int shift = 0; shift < 24; shift += 8) {
            int dc = ch(d, shift);
            int sc = ch(s, shift);
            int mc = ch(m, shift);
            long v = (long) (255 - mc) * dc + (long) (255 - da) * sc + blend(op, dc, da, sc, mc);
            r |= divOne(clampUn8x2(v & 0xffffffffL)) << shift;
        }
        return r;
    }

    private static long clampUn8x2(long v) {
        return Math.min(v, 255 * 255);
    }

    /** pixman's DIV_ONE_UN8: x / 255 rounded. */
    private static int divOne(long x) {
        return (int) ((x + 0x80 + ((x + 0x80) >> 8)) >> 8);
    }

    /** The 8-bit blend terms, B(d, ad, s, as) times ad * as. */
    private static int blend(int op, int d, int ad, int s, int as) {
        return switch (op) {
            case SCREEN -> s * ad + d * as - s * d;
            case OVERLAY -> 2 * d < ad ? 2 * s * d : as * ad - 2 * (ad - d) * (as - s);
            case DARKEN -> Math.min(ad * s, as * d);
            case LIGHTEN -> Math.max(ad * s, as * d);
            case HARD_LIGHT -> 2 * s < as ? 2 * s * d : as * ad - 2 * (ad - d) * (as - s);
            case DIFFERENCE -> {
                int das = d * as;
                int sad = s * ad;
                yield sad < das ? das - sad : sad - das;
            }
            case EXCLUSION -> s * ad + d * as - 2 * d * s;
            default -> throw new IllegalArgumentException("narrow blend op " + op);
        };
    }

    // ---- narrow, component alpha: each colour channel of the mask is its own alpha ----

    /** The narrow operators with a component-alpha mask {@code m}. */
    static int component(int op, int s, int m, int d) {
        int sa = s >>> 24;
        int da = d >>> 24;
        // combine_mask_ca: the source times the mask, the mask times the source's alpha
        int sm = mulChannels(s, m);
        int ma = mulChannels(m, splat(sa));
        return switch (op) {
            case 0 -> 0;
            case 1 -> sm;
            case 2 -> d;
            case 3 -> Canvas.add(mulChannels(d, ~ma), sm);
            case 4 -> Canvas.add(Rops.mulPixel(sm, 255 - da), d);
            case 5 -> Rops.mulPixel(sm, da);
            case 6 -> mulChannels(d, ma);
            case 7 -> Rops.mulPixel(sm, 255 - da);
            case 8 -> mulChannels(d, ~ma);
            case 9 -> mulAddChannels(d, ~ma, sm, splat(da));
            case 10 -> mulAddChannels(d, ma, sm, splat(255 - da));
            case 11 -> mulAddChannels(d, ~ma, sm, splat(255 - da));
            case 12 -> Canvas.add(d, sm);
            case MULTIPLY -> Canvas.add(mulAddChannels(d, ~ma, sm, splat(255 - da)), mulChannels(d, sm));
            default -> separable(op, sm, d, sm >>> 24, ma);
        };
    }

    // ---- wide: floats ----

    /** A pixel expanded as pixman does for 8-bit channels: {a, r, g, b}. */
    static float[] expand(int argb) {
        return new float[] {(argb >>> 24) * UNIT, ch(argb, 16) * UNIT, ch(argb, 8) * UNIT, ch(argb, 0) * UNIT};
    }

    /** pixman's float_to_unorm for 8 bits: clamped, then truncated from f * 256 with 256 folded to 255. */
    static int unorm(float f) {
        if (f > 1.0f) {
            f = 1.0f;
        }
        if (f < 0.0f) {
            f = 0.0f;
        }
        int u = (int) (f * 256);
        return u - (u >> 8);
    }

    static int contract(float[] p) {
        return unorm(p[0]) << 24 | unorm(p[1]) << 16 | unorm(p[2]) << 8 | unorm(p[3]);
    }

    private static boolean isZero(float f) {
        return -FLT_MIN < f && f < FLT_MIN;
    }

    /**
     * A wide operator on source {@code s}, mask {@code m} (null for none; its alpha only unless
     * {@code componentAlpha}) and destination {@code d}, all {a, r, g, b}; returns the stored 8-bit pixel.
     */
    static int combineWide(int op, float[] s, float[] m, boolean componentAlpha, float[] d) {
        if (op >= HSL_HUE) {
            return contract(componentAlpha && m != null ? d : hsl(op, s, m, d));
        }
        float sa = s[0];
        float sr = s[1];
        float sg = s[2];
        float sb = s[3];
        float ma;
        float mr;
        float mg;
        float mb;
        if (m == null) {
            ma = mr = mg = mb = sa;
        } else if (componentAlpha) {
            ma = m[0];
            mr = m[1];
            mg = m[2];
            mb = m[3];
            sr *= mr;
            sg *= mg;
            sb *= mb;
            ma *= sa;
            mr *= sa;
            mg *= sa;
            mb *= sa;
            sa = ma;
        } else {
            ma = m[0];
            sa *= ma;
            sr *= ma;
            sg *= ma;
            sb *= ma;
            ma = mr = mg = mb = sa;
        }
        float da = d[0];
        float[] out = {channelA(op, ma, sa, da), channel(op, mr, sr, da, d[1]), channel(op, mg, sg, da, d[2]),
            channel(op, mb, sb, da, d[3])};
        return contract(out);
    }

    private static float channelA(int op, float sa, float s, float da) {
        if (op >= MULTIPLY) {
            return da + sa - da * sa;
        }
        return porterDuff(op, sa, s, da, da);
    }

    private static float channel(int op, float sa, float s, float da, float d) {
        if (op >= MULTIPLY) {
            float f = (1 - sa) * d + (1 - da) * s;
            return f + blendWide(op, sa, s, da, d);
        }
        return porterDuff(op, sa, s, da, d);
    }

    /** The float Porter-Duff family: min(1, s * Fa + d * Fb) with each operator's factors. */
    private static float porterDuff(int op, float sa, float s, float da, float d) {
        int base = op & 0x0f;
        int family = op & 0xf0; // 0: plain (only SATURATE is wide), 0x10 disjoint, 0x20 conjoint
        float fa;
        float fb;
        if (op == SATURATE) {
            fa = invDaOverSa(sa, da);
            fb = 1;
        } else {
            boolean disjoint = family == DISJOINT_CLEAR;
            // factor of the source where the destination is absent (out), present (in), and likewise for d
            float srcOut = disjoint ? invDaOverSa(sa, da) : oneMinusDaOverSa(sa, da);
            float srcIn = disjoint ? oneMinusInvDaOverSa(sa, da) : daOverSa(sa, da);
            float dstOut = disjoint ? invSaOverDa(sa, da) : oneMinusSaOverDa(sa, da);
            float dstIn = disjoint ? oneMinusInvSaOverDa(sa, da) : saOverDa(sa, da);
            switch (base) {
                case 0 -> { // clear
                    fa = 0;
                    fb = 0;
                }
                case 1 -> { // src
                    fa = 1;
                    fb = 0;
                }
                case 2 -> { // dst
                    fa = 0;
                    fb = 1;
                }
                case 3 -> { // over
                    fa = 1;
                    fb = dstOut;
                }
                case 4 -> { // over_reverse
                    fa = srcOut;
                    fb = 1;
                }
                case 5 -> { // in
                    fa = srcIn;
                    fb = 0;
                }
                case 6 -> { // in_reverse
                    fa = 0;
                    fb = dstIn;
                }
                case 7 -> { // out
                    fa = srcOut;
                    fb = 0;
                }
                case 8 -> { // out_reverse
                    fa = 0;
                    fb = dstOut;
                }
                case 9 -> { // atop
                    fa = srcIn;
                    fb = dstOut;
                }
                case 10 -> { // atop_reverse
                    fa = srcOut;
                    fb = dstIn;
                }
                case 11 -> { // xor
                    fa = srcOut;
                    fb = dstOut;
                }
                default -> throw new IllegalArgumentException("wide op " + op);
            }
        }
        float v = s * fa + d * fb;
        return 1.0f < v ? 1.0f : v;
    }

    private static float clamp(float f) {
        return f < 0 ? 0 : f > 1.0f ? 1.0f : f;
    }

    private static float saOverDa(float sa, float da) {
        return isZero(da) ? 1.0f : clamp(sa / da);
    }

    private static float daOverSa(float sa, float da) {
        return isZero(sa) ? 1.0f : clamp(da / sa);
    }

    private static float invSaOverDa(float sa, float da) {
        return isZero(da) ? 1.0f : clamp((1.0f - sa) / da);
    }

    private static float invDaOverSa(float sa, float da) {
        return isZero(sa) ? 1.0f : clamp((1.0f - da) / sa);
    }

    private static float oneMinusSaOverDa(float sa, float da) {
        return isZero(da) ? 0.0f : clamp(1.0f - sa / da);
    }

    private static float oneMinusDaOverSa(float sa, float da) {
        return isZero(sa) ? 0.0f : clamp(1.0f - da / sa);
    }

    private static float oneMinusInvDaOverSa(float sa, float da) {
        return isZero(sa) ? 0.0f : clamp(1.0f - (1.0f - da) / sa);
    }

    private static float oneMinusInvSaOverDa(float sa, float da) {
        return isZero(da) ? 0.0f : clamp(1.0f - (1.0f - sa) / da);
    }

    /** The float blend terms of the separable PDF modes pixman combines wide (the others are narrow). */
    private static float blendWide(int op, float sa, float s, float da, float d) {
        switch (op) {
            case COLOR_DODGE:
                if (isZero(d)) {
                    return 0.0f;
                } else if (d * sa >= sa * da - s * da) {
                    return sa * da;
                } else if (isZero(sa - s)) {
                    return sa * da;
                }
                return sa * sa * d / (sa - s);
            case COLOR_BURN:
                if (d >= da) {
                    return sa * da;
                } else if (sa * (da - d) >= s * da) {
                    return 0.0f;
                } else if (isZero(s)) {
                    return 0.0f;
                }
                return sa * (da - sa * (da - d) / s);
            case SOFT_LIGHT:
                if (isZero(da)) {
                    return d * sa;
                }
                if (2 * s <= sa) {
                    return d * sa - d * (da - d) * (sa - 2 * s) / da;
                }
                if (4 * d <= da) {
                    return d * sa + (2 * s - sa) * d * ((16 * d / da - 12) * d / da + 3);
                }
                return d * sa + ((float) Math.sqrt(d * da) - d) * (2 * s - sa);
            default:
                throw new IllegalArgumentException("wide blend op " + op);
        }
    }

    // ---- wide: the non-separable (HSL) modes, unified alpha only ----

    /**
     * pixman 0.42's HSL combiners. With a mask they multiply the source's alpha, red and green by the mask's alpha
     * but not its blue, and green twice (a slip in pixman, fixed in 0.44; spice-gtk on Debian 12 renders with it).
     */
    private static float[] hsl(int op, float[] s, float[] m, float[] d) {
        float sa = s[0];
        float[] sc = {s[1], s[2], s[3]};
        if (m != null) {
            float ma = m[0];
            sa *= ma;
            sc[0] *= ma;
            sc[1] *= ma;
            sc[1] *= ma;
        }
        float da = d[0];
        float[] dc = {d[1], d[2], d[3]};
        float[] rc = new float[3];
        switch (op) {
            case HSL_HUE -> {
                scale(rc, sc, da);
                setSat(rc, sat(dc) * sa);
                setLum(rc, sa * da, lum(dc) * sa);
            }
            case HSL_SATURATION -> {
                scale(rc, dc, sa);
                setSat(rc, sat(sc) * da);
                setLum(rc, sa * da, lum(dc) * sa);
            }
            case HSL_COLOR -> {
                scale(rc, sc, da);
                setLum(rc, sa * da, lum(dc) * sa);
            }
            default -> {
                scale(rc, dc, sa);
                setLum(rc, sa * da, lum(sc) * da);
            }
        }
        return new float[] {sa + da - sa * da, (1 - sa) * dc[0] + (1 - da) * sc[0] + rc[0],
            (1 - sa) * dc[1] + (1 - da) * sc[1] + rc[1], (1 - sa) * dc[2] + (1 - da) * sc[2] + rc[2]};
    }

    private static void scale(float[] out, float[] c, float f) {
        out[0] = c[0] * f;
        out[1] = c[1] * f;
        out[2] = c[2] * f;
    }

    private static float min(float[] c) {
        float a = c[0] < c[1] ? c[0] : c[1];
        return a < c[2] ? a : c[2];
    }

    private static float max(float[] c) {
        float a = c[0] > c[1] ? c[0] : c[1];
        return a > c[2] ? a : c[2];
    }

    private static float lum(float[] c) {
        return c[0] * 0.3f + c[1] * 0.59f + c[2] * 0.11f;
    }

    private static float sat(float[] c) {
        return max(c) - min(c);
    }

    private static void clipColor(float[] c, float a) {
        float l = lum(c);
        float n = min(c);
        float x = max(c);
        if (n < 0.0f) {
            float t = l - n;
            for (int i = 0; i < 3; i++) {
                c[i] = isZero(t) ? 0.0f : l + (((c[i] - l) * l) / t);
            }
        }
        if (x > a) {
            float t = x - l;
            for (int i = 0; i < 3; i++) {
                c[i] = isZero(t) ? a : l + (((c[i] - l) * (a - l) / t));
            }
        }
    }

    private static void setLum(float[] c, float sa, float l) {
        float d = l - lum(c);
        c[0] = c[0] + d;
        c[1] = c[1] + d;
        c[2] = c[2] + d;
        clipColor(c, sa);
    }

    /** Orders the channels as pixman does (ties decide which is max, mid and min) and rescales to {@code sat}. */
    private static void setSat(float[] c, float sat) {
        int max;
        int mid;
        int min;
        if (c[0] > c[1]) {
            if (c[0] > c[2]) {
                max = 0;
                mid = c[1] > c[2] ? 1 : 2;
                min = c[1] > c[2] ? 2 : 1;
            } else {
                max = 2;
                mid = 0;
                min = 1;
            }
        } else if (c[0] > c[2]) {
            max = 1;
            mid = 0;
            min = 2;
        } else {
            min = 0;
            max = c[1] > c[2] ? 1 : 2;
            mid = c[1] > c[2] ? 2 : 1;
        }
        float t = c[max] - c[min];
        if (isZero(t)) {
            c[mid] = 0.0f;
            c[max] = 0.0f;
        } else {
            c[mid] = ((c[mid] - c[min]) * sat) / t;
            c[max] = sat;
        }
        c[min] = 0.0f;
    }
}
