package org.spice.display.internal.codec;

import java.io.ByteArrayOutputStream;

/**
 * Writes LZ and GLZ streams by hand for the tests: headers, literal runs and references, in the wire format
 * described by {@link LzDecoder} and {@link GlzDecoder}. Lengths and distances here are in stream units (pixels,
 * palette bytes or alpha bytes), the length being the real one (the bias is taken off when written).
 */
final class LzStreams {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Minimum match of the unit kind being written: 1 RGB, 2 RGB16, 3 palette and alpha (LZ). */
    private int lzMinMatch = 1;
    /** Length bias of GLZ: 0 RGB, 1 RGB16, 2 palette and alpha. */
    private int glzBias = 0;

    static LzStreams lz(int type, long width, long height, long stride, boolean topDown) {
        LzStreams s = new LzStreams();
        s.u32(LzFormat.MAGIC).u32(LzFormat.VERSION).u32(type).u32(width).u32(height).u32(stride).u32(topDown ? 1 : 0);
        s.units(type);
        return s;
    }

    static LzStreams glz(int type, boolean topDown, long width, long height, long stride, long id, long headDist) {
        LzStreams s = new LzStreams();
        s.u32(LzFormat.MAGIC).u32(LzFormat.VERSION).u8(type | (topDown ? 0x10 : 0)).u32(width).u32(height)
                .u32(stride).u32(id >>> 32).u32(id).u32(headDist);
        s.units(type);
        return s;
    }

    /** Switches to the units of a type (or, with LzFormat.XXXA, to the alpha pass of RGBA). */
    LzStreams units(int type) {
        if (type == LzFormat.RGB16) {
            lzMinMatch = 2;
            glzBias = 1;
        } else if (type == LzFormat.RGB24 || type == LzFormat.RGB32 || type == LzFormat.RGBA) {
            lzMinMatch = 1;
            glzBias = 0;
        } else {
            lzMinMatch = 3;
            glzBias = 2;
        }
        return this;
    }

    LzStreams u8(int v) {
        out.write(v);
        return this;
    }

    LzStreams u32(long v) {
        return u8((int) (v >>> 24)).u8((int) (v >>> 16)).u8((int) (v >>> 8)).u8((int) v);
    }

    LzStreams bytes(int... v) {
        for (int b : v) {
            u8(b);
        }
        return this;
    }

    /** A literal run: {@code unitCount} units (1..32) whose bytes follow. */
    LzStreams literal(int unitCount, int... unitBytes) {
        if (unitCount < 1 || unitCount > 32) {
            throw new IllegalArgumentException("literal run of " + unitCount);
        }
        u8(unitCount - 1);
        return bytes(unitBytes);
    }

    /** RGB pixels as literals (b, g, r each), in runs of up to 32. */
    LzStreams rgbLiterals(int... rgb) {
        for (int i = 0; i < rgb.length; i += 32) {
            int n = Math.min(32, rgb.length - i);
            u8(n - 1);
            for (int j = i; j < i + n; j++) {
                u8(rgb[j]).u8(rgb[j] >> 8).u8(rgb[j] >> 16);
            }
        }
        return this;
    }

    /** One-byte units as literals, in runs of up to 32. */
    LzStreams byteLiterals(int... units) {
        for (int i = 0; i < units.length; i += 32) {
            int n = Math.min(32, units.length - i);
            u8(n - 1);
            for (int j = i; j < i + n; j++) {
                u8(units[j]);
            }
        }
        return this;
    }

    /** An LZ back reference of {@code len} units, {@code dist} units back (1 = repeat the last unit). */
    LzStreams lzRef(long len, long dist) {
        long l = len - lzMinMatch + 1;
        if (l < 1 || dist < 1) {
            throw new IllegalArgumentException("len " + len + " dist " + dist);
        }
        long d = dist - 1;
        boolean far = d >= 8191;
        int high = far ? 31 : (int) (d >> 8);
        u8((int) (Math.min(l, 7) << 5) | high);
        extension(l);
        if (far) {
            long f = dist - 8192;
            u8(255).u8((int) (f >> 8)).u8((int) f);
        } else {
            u8((int) d);
        }
        return this;
    }

    /** A GLZ reference inside the image: {@code len} units, {@code dist} units back. */
    LzStreams glzBack(long len, long dist) {
        return glzRef(len, dist - 1, 0, false);
    }

    /**
     * A GLZ reference: {@code len} units from unit {@code pixelOfs} of the image {@code imageDist} back (or, with
     * distance 0, {@code pixelOfs + 1} units back in this image); {@code longForm} forces the long offset form.
     */
    LzStreams glzRef(long len, long pixelOfs, long imageDist, boolean longForm) {
        long l = len - glzBias;
        if (l < 1) {
            throw new IllegalArgumentException("len " + len);
        }
        boolean isLong = longForm || pixelOfs >= (1 << 12) || imageDist >= (1 << 22);
        u8((int) (Math.min(l, 7) << 5) | (isLong ? 0x10 : 0) | (int) (pixelOfs & 0x0f));
        extension(l);
        u8((int) (pixelOfs >> 4));
        if (!isLong) {
            int n = imageDist < (1 << 6) ? 0 : imageDist < (1 << 14) ? 1 : 2;
            u8((n << 6) | (int) (imageDist & 0x3f));
            for (int i = 0; i < n; i++) {
                u8((int) (imageDist >> (6 + 8 * i)));
            }
        } else {
            int n = imageDist == 0 ? 0 : imageDist < (1 << 8) ? 1 : imageDist < (1 << 16) ? 2 : 3;
            boolean veryLong = pixelOfs >= (1 << 17);
            u8((n << 6) | (veryLong ? 0x20 : 0) | (int) ((pixelOfs >> 12) & 0x1f));
            for (int i = 0; i < n; i++) {
                u8((int) (imageDist >> (8 * i)));
            }
            if (veryLong) {
                u8((int) (pixelOfs >> 17));
            }
        }
        return this;
    }

    private void extension(long l) {
        if (l >= 7) {
            long rest = l - 7;
            while (rest >= 255) {
                u8(255);
                rest -= 255;
            }
            u8((int) rest);
        }
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
