package org.spice.display.internal.codec;

import static org.spice.display.internal.codec.LzFormat.*;

import java.util.Objects;

import org.spice.protocol.SpiceProtocolException;

/**
 * Decoder of SPICE LZ images (the data of {@code LZ_RGB} and {@code LZ_PLT} images, and the alpha of
 * {@code JPEG_ALPHA}).
 *
 * <p>The stream starts with seven big-endian u32: the magic (bytes {@code "  ZL"}), the version (1.1), the image
 * type, width, height, stride in bytes and top_down (0: the rows come bottom row first). Then come the
 * compressed units: a control byte below 32 announces {@code ctrl + 1} literal units; any other is a back
 * reference whose top 3 bits are the length (7: more length bytes follow, each added, until one is not 255) and
 * whose low 5 bits and the next byte are the distance minus one; the distance byte 255 with the 5 bits all set
 * escapes a 16-bit big-endian distance beyond 8191. Lengths are biased by the minimum match: 1 unit for RGB24/32,
 * 2 for RGB16, 3 for palette and alpha units. RGB24 and RGB32 both code 3 bytes (b, g, r) a pixel; RGBA codes
 * them, then all the alpha bytes as a second pass over the same pixels; XXXA codes only that alpha pass.
 *
 * <p>Pure function over bytes: any malformed input throws {@link SpiceProtocolException}.
 */
public final class LzDecoder {
    static final int HEADER_SIZE = 28;
    private static final String CODEC = "LZ";

    private LzDecoder() {
    }

    /**
     * Decodes one LZ image.
     *
     * @param palette the palette of the image (0x00RRGGBB entries) for the PLT types, from the {@code LZ_PLT}
     *                message or the palette cache; ignored (may be null) for the other types
     * @return the pixels, top row first; RGB types opaque, RGBA with its alpha, XXXA and A8 as alpha over colour 0
     * @throws SpiceProtocolException on any malformed input
     */
    public static Pixels decode(byte[] data, int offset, int length, int[] palette) {
        return decode(data, offset, length, palette, null);
    }

    /**
     * As {@link #decode(byte[], int, int, int[])}, into {@code into} when it holds exactly the image's pixels (see
     * {@link Pixels#array}) and the image needs no cropping or flipping (a top-down stream whose rows have no
     * padding); otherwise {@code into} serves as the decoder's buffer or not at all.
     */
    public static Pixels decode(byte[] data, int offset, int length, int[] palette, int[] into) {
        Objects.checkFromIndexSize(offset, length, data.length);
        Header h = header(data, offset, length);
        int end = offset + length;
        int ip = offset + HEADER_SIZE;
        int[] pal = isPalette(h.type) ? LzFormat.palette(CODEC, h.type, palette, 0xff000000) : null;
        checkPlausible(h, end - ip);

        int[] buf = Pixels.array(into, h.grossWidth, h.height);
        ip = pass(data, ip, end, buf, firstPassKind(h.type), pal);
        if (h.type == RGBA) {
            ip = pass(data, ip, end, buf, K_ALPHA, null);
        }
        if (ip != end) {
            throw new SpiceProtocolException(CODEC + ": " + (end - ip) + " bytes left after the " + h.width + "x"
                    + h.height + " " + typeName(h.type) + " image");
        }
        return LzFormat.toPixels(buf, h.grossWidth, h.width, h.height, h.topDown, false, true);
    }

    /**
     * Decodes an XXXA stream (the alpha of a {@code JPEG_ALPHA} image) into the alpha bytes of {@code target},
     * whose colour is kept. The stream must have the target's size; its top_down flag orders its rows.
     *
     * @throws SpiceProtocolException on any malformed input or a size other than the target's
     */
    public static void decodeAlpha(byte[] data, int offset, int length, Pixels target) {
        Objects.checkFromIndexSize(offset, length, data.length);
        Header h = header(data, offset, length);
        if (h.type != XXXA) {
            throw new SpiceProtocolException(CODEC + ": alpha stream of type " + typeName(h.type) + ", not XXXA");
        }
        if (h.width != target.width() || h.height != target.height()) {
            throw new SpiceProtocolException(CODEC + ": alpha stream of " + h.width + "x" + h.height + " for a "
                    + target.width() + "x" + target.height() + " image");
        }
        int end = offset + length;
        int ip = offset + HEADER_SIZE;
        checkPlausible(h, end - ip);
        int[] alpha = new int[h.width * h.height];
        ip = pass(data, ip, end, alpha, K_A8, null);
        if (ip != end) {
            throw new SpiceProtocolException(CODEC + ": " + (end - ip) + " bytes left after the alpha stream");
        }
        int[] argb = target.argb();
        int w = h.width;
        for (int row = 0; row < h.height; row++) {
            int src = row * w;
            int dst = (h.topDown ? row : h.height - 1 - row) * w;
            for (int i = 0; i < w; i++) {
                argb[dst + i] = (argb[dst + i] & 0x00ffffff) | alpha[src + i];
            }
        }
    }

    /** The header fields, checked. */
    record Header(int type, int width, int height, int grossWidth, boolean topDown) {
    }

    static Header header(byte[] in, int p, int length) {
        if (length < HEADER_SIZE) {
            throw new SpiceProtocolException(CODEC + ": " + length + " bytes, shorter than the " + HEADER_SIZE
                    + "-byte header");
        }
        long magic = u32(in, p);
        if (magic != MAGIC) {
            throw new SpiceProtocolException(CODEC + ": bad magic 0x" + Long.toHexString(magic));
        }
        long version = u32(in, p + 4);
        if (version != VERSION) {
            throw new SpiceProtocolException(CODEC + ": unsupported version 0x" + Long.toHexString(version));
        }
        long type = u32(in, p + 8);
        if (type < PLT1_LE || type > A8) {
            throw new SpiceProtocolException(CODEC + ": unknown image type " + type);
        }
        long width = u32(in, p + 12);
        long height = u32(in, p + 16);
        long stride = u32(in, p + 20);
        boolean topDown = u32(in, p + 24) != 0;
        ImageLimits.check(width, height, CODEC + " " + typeName((int) type));
        long grossWidth = width;
        if (isPalette((int) type)) {
            // A palette image is decoded stride bytes a row, padding included, then cropped to its width.
            grossWidth = stride * pixelsPerByte((int) type);
            if (grossWidth < width) {
                throw new SpiceProtocolException(CODEC + ": " + typeName((int) type) + " stride " + stride
                        + " too small for width " + width);
            }
            ImageLimits.check(grossWidth, height, CODEC + " " + typeName((int) type) + " stride");
        }
        return new Header((int) type, (int) width, (int) height, (int) grossWidth, topDown);
    }

    /** Refuses, before allocating, a size the remaining bytes cannot possibly code. */
    static void checkPlausible(Header h, int remaining) {
        int kind = firstPassKind(h.type);
        long maxPixels = (long) remaining * MAX_UNITS_PER_BYTE * pixelsPerUnit(kind);
        if ((long) h.grossWidth * h.height > maxPixels) {
            throw new SpiceProtocolException(CODEC + ": " + remaining + " bytes cannot code a " + h.width + "x"
                    + h.height + " " + typeName(h.type) + " image");
        }
    }

    /**
     * One LZ pass filling all of {@code out}.
     *
     * @return the input position after the pass
     */
    static int pass(byte[] in, int ip, int end, int[] out, int kind, int[] pal) {
        final int limit = out.length;
        final int unitBytes = bytesPerUnit(kind);
        final int scale = pixelsPerUnit(kind);
        final int lenBias = kind == K_RGB ? 0 : kind == K_RGB16 ? 1 : 2;
        final boolean alphaOnly = kind == K_ALPHA;
        final int alpha = 0xff000000;
        int op = 0;
        while (op < limit) {
            if (ip >= end) {
                throw truncated(op, limit);
            }
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int units = ctrl + 1;
                if (units * unitBytes > end - ip) {
                    throw truncated(op, limit);
                }
                if ((long) units * scale > limit - op) {
                    throw new SpiceProtocolException(CODEC + ": " + units + " literal units overflow the image at "
                            + op + " of " + limit + " pixels");
                }
                if (kind == K_RGB && end - ip > units * 3) {
                    // the common case in line: b, g, r read as one little-endian int (a fourth byte follows)
                    for (int o = op + units; op < o; op++, ip += 3) {
                        out[op] = alpha | ((int) LE_INT.get(in, ip) & 0xffffff);
                    }
                    continue;
                }
                ip = LzFormat.literals(CODEC, in, ip, out, op, units, kind, pal, alpha);
                op += units * scale;
                continue;
            }
            long len = ctrl >> 5;
            int dist = (ctrl & 31) << 8;
            if (len == 7) {
                int code;
                do {
                    if (ip >= end) {
                        throw truncated(op, limit);
                    }
                    code = in[ip++] & 0xff;
                    len += code;
                } while (code == 255 && len <= limit);
            }
            if (ip >= end) {
                throw truncated(op, limit);
            }
            int code = in[ip++] & 0xff;
            dist += code;
            if (code == 255 && dist == (31 << 8) + 255) {
                if (end - ip < 2) {
                    throw truncated(op, limit);
                }
                dist = (((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff)) + 8191;
                ip += 2;
            }
            len = (len + lenBias) * scale;
            if (len > limit - op) {
                throw new SpiceProtocolException(CODEC + ": match of " + len + " pixels overflows the image at "
                        + op + " of " + limit + " pixels");
            }
            long distance = (dist + 1L) * scale;
            if (distance > op) {
                throw new SpiceProtocolException(CODEC + ": back reference " + distance + " pixels before pixel "
                        + op + ", before the start of the image");
            }
            LzFormat.copyBack(out, op, (int) distance, (int) len, alphaOnly);
            op += (int) len;
        }
        return ip;
    }

    private static SpiceProtocolException truncated(int op, int limit) {
        return new SpiceProtocolException(CODEC + ": data ends after " + op + " of " + limit + " pixels");
    }
}
