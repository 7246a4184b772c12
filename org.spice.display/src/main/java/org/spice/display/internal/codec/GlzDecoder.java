package org.spice.display.internal.codec;

import static org.spice.display.internal.codec.LzFormat.*;

import java.util.Arrays;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.spice.protocol.SpiceProtocolException;

/**
 * Decoder of SPICE GLZ images ({@code GLZ_RGB}, and {@code ZLIB_GLZ_RGB} after {@link #inflateZlibGlz}): LZ
 * whose back references may also copy pixels of earlier images of the session, held in a {@link GlzWindow}.
 *
 * <p>The stream starts with a 33-byte big-endian header: magic (bytes {@code "  ZL"}), version 1.1 (u32 each), one
 * byte holding the image type in its low 4 bits and top_down above them, width, height and stride (u32), the image
 * id (u64) and the distance back to the oldest image the server's window still holds (u32). A control byte below
 * 32 announces {@code ctrl + 1} literal units, as in LZ. Any other is a reference: its top 3 bits are the length
 * (7: more length bytes follow, each added, until one is not 255), bit 4 selects a long pixel offset, its low 4
 * bits and the next byte (shifted by 4) start the pixel offset; the byte after holds in its top 2 bits how many
 * image-distance bytes follow. With a short offset its low 6 bits start the image distance and each following byte
 * adds 8 more bits above them; with a long offset its bit 5 announces one more offset byte (bits 17 and up), its low
 * 5 bits are offset bits 12 to 16, and the following bytes are the image distance, least significant first.
 * Image distance 0 is a reference back inside the image, by offset + 1 pixels; any other distance copies from the
 * image {@code id - distance} at absolute pixel {@code offset}, in that image's stream order. Lengths are biased
 * by 2 for palette and alpha units, 1 for RGB16, 0 for RGB32.
 *
 * <p>Any malformed input, or a reference to an image not in the window, throws {@link SpiceProtocolException};
 * the window is only changed by an image decoded in full. Images of several display channels may arrive out of
 * id order; spice-gtk then waits for the missing image, this decoder does not: decode them in id order (or retry
 * once the referenced image was decoded, see {@link GlzWindow#contains}).
 */
public final class GlzDecoder {
    static final int HEADER_SIZE = 33;
    private static final String CODEC = "GLZ";
    /** Generous bound of a GLZ stream: the header and 5 bytes a pixel (3 colour, 1 alpha, control bytes). */
    private static final long MAX_GLZ_SIZE = HEADER_SIZE + 5 * ImageLimits.MAX_PIXELS;

    private final GlzWindow window;

    public GlzDecoder(GlzWindow window) {
        this.window = Objects.requireNonNull(window, "window");
    }

    public GlzWindow window() {
        return window;
    }

    /**
     * Decodes one GLZ image and adds it to the window.
     *
     * @param palette the palette (0x00RRGGBB entries) for the PLT types; ignored (may be null) for the others
     * @return the pixels, top row first; opaque but for RGBA images. A top-down image's are the window's own
     *         (no copy is made): they must not be changed
     * @throws SpiceProtocolException on malformed input or a reference to an image not in the window
     */
    public Pixels decode(byte[] data, int offset, int length, int[] palette) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length < HEADER_SIZE) {
            throw new SpiceProtocolException(CODEC + ": " + length + " bytes, shorter than the " + HEADER_SIZE
                    + "-byte header");
        }
        int p = offset;
        long magic = u32(data, p);
        if (magic != MAGIC) {
            throw new SpiceProtocolException(CODEC + ": bad magic 0x" + Long.toHexString(magic));
        }
        long version = u32(data, p + 4);
        if (version != VERSION) {
            throw new SpiceProtocolException(CODEC + ": unsupported version 0x" + Long.toHexString(version));
        }
        int typeByte = data[p + 8] & 0xff;
        int type = typeByte & 0x0f;
        boolean topDown = (typeByte >> 4) != 0;
        if (type < PLT1_LE || type > RGBA) {
            // XXXA and A8 have no GLZ decoder in SPICE either.
            throw new SpiceProtocolException(CODEC + ": unsupported image type " + typeName(type));
        }
        long width = u32(data, p + 9);
        long height = u32(data, p + 13);
        long stride = u32(data, p + 17);
        long id = (u32(data, p + 21) << 32) | u32(data, p + 25);
        long headDist = u32(data, p + 29);
        ImageLimits.check(width, height, CODEC + " " + typeName(type));
        long grossWidth = width;
        if (isPalette(type)) {
            grossWidth = stride * pixelsPerByte(type);
            if (grossWidth < width) {
                throw new SpiceProtocolException(CODEC + ": " + typeName(type) + " stride " + stride
                        + " too small for width " + width);
            }
            ImageLimits.check(grossWidth, height, CODEC + " " + typeName(type) + " stride");
        }
        // Opaque types are decoded with alpha 0xff, so that the buffer the window keeps is also the picture returned.
        boolean opaque = type != RGBA;
        int alpha = opaque ? 0xff000000 : 0;
        int[] pal = isPalette(type) ? LzFormat.palette(CODEC, type, palette, alpha) : null;
        int end = offset + length;
        int ip = offset + HEADER_SIZE;
        int kind = firstPassKind(type);
        long gross = grossWidth * height;
        if (gross > (long) (end - ip) * MAX_UNITS_PER_BYTE * pixelsPerUnit(kind)) {
            throw new SpiceProtocolException(CODEC + ": " + (end - ip) + " bytes cannot code a " + width + "x"
                    + height + " " + typeName(type) + " image");
        }

        int[] buf = new int[(int) gross];
        ip = pass(data, ip, end, buf, kind, pal, alpha, id);
        if (type == RGBA) {
            // every pixel gets its alpha here, whatever the colour pass left in it
            ip = pass(data, ip, end, buf, K_ALPHA, null, 0, id);
        }
        if (ip != end) {
            throw new SpiceProtocolException(CODEC + ": " + (end - ip) + " bytes left after image " + id);
        }
        window.add(id, headDist, buf, opaque);
        return LzFormat.toPixels(buf, (int) grossWidth, (int) width, (int) height, topDown, false, true);
    }

    /** Inflates a {@code ZLIB_GLZ_RGB} image's zlib data and decodes the GLZ stream it holds. */
    public Pixels decodeZlibGlz(byte[] data, int offset, int length, int glzSize, int[] palette) {
        byte[] glz = inflateZlibGlz(data, offset, length, glzSize);
        return decode(glz, 0, glz.length, palette);
    }

    /**
     * Inflates the data of a {@code ZLIB_GLZ_RGB} image (after its {@code glz_data_size} and {@code data_size}
     * u32): a zlib stream (with its header, as zlib's {@code inflateInit}) of exactly {@code glzSize} bytes of GLZ.
     * The output grows with what actually inflates, so a lying {@code glzSize} costs no memory up front.
     *
     * @throws SpiceProtocolException if the data is not zlib, ends early, or inflates to another size
     */
    public static byte[] inflateZlibGlz(byte[] data, int off, int len, int glzSize) {
        Objects.checkFromIndexSize(off, len, data.length);
        if (glzSize < HEADER_SIZE || glzSize > MAX_GLZ_SIZE) {
            throw new SpiceProtocolException("ZLIB_GLZ: glz_data_size " + Integer.toUnsignedString(glzSize)
                    + " outside " + HEADER_SIZE + ".." + MAX_GLZ_SIZE);
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, off, len);
            byte[] out = new byte[(int) Math.min(glzSize, Math.max(4096L, len * 8L))];
            int n = 0;
            while (true) {
                if (n == out.length) {
                    if (n == glzSize) {
                        break;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(glzSize, out.length * 2L));
                }
                int got = inflater.inflate(out, n, out.length - n);
                n += got;
                if (got == 0) {
                    if (inflater.finished()) {
                        break;
                    }
                    if (inflater.needsDictionary()) {
                        throw new SpiceProtocolException("ZLIB_GLZ: zlib stream asks for a preset dictionary");
                    }
                    if (inflater.needsInput()) {
                        throw new SpiceProtocolException("ZLIB_GLZ: zlib data ends after " + n + " of " + glzSize
                                + " bytes");
                    }
                }
            }
            if (!inflater.finished()) {
                // glzSize bytes out, yet the stream goes on: more data, or just its end to check.
                byte[] probe = new byte[1];
                if (inflater.inflate(probe) > 0) {
                    throw new SpiceProtocolException("ZLIB_GLZ: zlib data inflates to more than " + glzSize
                            + " bytes");
                }
                if (!inflater.finished()) {
                    throw new SpiceProtocolException("ZLIB_GLZ: zlib stream does not end after " + glzSize
                            + " bytes");
                }
            }
            if (n != glzSize) {
                throw new SpiceProtocolException("ZLIB_GLZ: zlib data inflates to " + n + " bytes, not " + glzSize);
            }
            return out;
        } catch (DataFormatException e) {
            throw new SpiceProtocolException("ZLIB_GLZ: bad zlib data: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /**
     * One GLZ pass filling all of {@code out}, colour pixels with alpha bits {@code alpha} (0xff000000 for an opaque
     * image: what it copies from other images gets them too); returns the input position after it.
     */
    private int pass(byte[] in, int ip, int end, int[] out, int kind, int[] pal, int alpha, long id) {
        final int limit = out.length;
        final int unitBytes = bytesPerUnit(kind);
        final int scale = pixelsPerUnit(kind);
        final int lenBias = kind == K_RGB ? 0 : kind == K_RGB16 ? 1 : 2;
        final boolean alphaOnly = kind == K_ALPHA;
        int op = 0;
        while (op < limit) {
            if (ip >= end) {
                throw truncated(id, op, limit);
            }
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int units = ctrl + 1;
                if (units * unitBytes > end - ip) {
                    throw truncated(id, op, limit);
                }
                if ((long) units * scale > limit - op) {
                    throw new SpiceProtocolException(CODEC + ": image " + id + ": " + units
                            + " literal units overflow the image at " + op + " of " + limit + " pixels");
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
            boolean longOffset = (ctrl & 0x10) != 0;
            long pixelOfs = ctrl & 0x0f;
            if (len == 7) {
                int code;
                do {
                    if (ip >= end) {
                        throw truncated(id, op, limit);
                    }
                    code = in[ip++] & 0xff;
                    len += code;
                } while (code == 255 && len <= limit);
            }
            if (end - ip < 2) {
                throw truncated(id, op, limit);
            }
            pixelOfs += (in[ip++] & 0xff) << 4;
            int code = in[ip++] & 0xff;
            int imageBytes = code >> 6;
            long imageDist;
            if (!longOffset) {
                imageDist = code & 0x3f;
                if (end - ip < imageBytes) {
                    throw truncated(id, op, limit);
                }
                for (int i = 0; i < imageBytes; i++) {
                    imageDist += (long) (in[ip++] & 0xff) << (6 + 8 * i);
                }
            } else {
                boolean veryLong = (code & 0x20) != 0;
                pixelOfs += (long) (code & 0x1f) << 12;
                imageDist = 0;
                if (end - ip < imageBytes + (veryLong ? 1 : 0)) {
                    throw truncated(id, op, limit);
                }
                for (int i = 0; i < imageBytes; i++) {
                    imageDist += (long) (in[ip++] & 0xff) << (8 * i);
                }
                if (veryLong) {
                    pixelOfs += (long) (in[ip++] & 0xff) << 17;
                }
            }
            len = (len + lenBias) * scale;
            if (len > limit - op) {
                throw new SpiceProtocolException(CODEC + ": image " + id + ": match of " + len
                        + " pixels overflows the image at " + op + " of " + limit + " pixels");
            }
            if (imageDist == 0) {
                long distance = (pixelOfs + 1) * scale;
                if (distance > op) {
                    throw new SpiceProtocolException(CODEC + ": image " + id + ": back reference " + distance
                            + " pixels before pixel " + op + ", before the start of the image");
                }
                LzFormat.copyBack(out, op, (int) distance, (int) len, alphaOnly);
            } else {
                if (Long.compareUnsigned(imageDist, id) > 0) {
                    throw new SpiceProtocolException(CODEC + ": image " + id + " references image " + imageDist
                            + " back, before the first image");
                }
                GlzWindow.Image src = window.image(id - imageDist, id);
                long from = pixelOfs * scale;
                if (from + len > src.pixels().length) {
                    throw new SpiceProtocolException(CODEC + ": image " + id + " copies pixels " + from + ".."
                            + (from + len) + " of image " + (id - imageDist) + ", which has " + src.pixels().length);
                }
                copyFrom(src, (int) from, out, op, (int) len, alphaOnly, alpha);
            }
            op += (int) len;
        }
        return ip;
    }

    /**
     * Copies pixels of an earlier image: their colour (with {@code alpha} set unless the source holds it already), or
     * in an alpha pass their alpha, which is the C decoder's zero pad byte when the source is opaque.
     */
    private static void copyFrom(GlzWindow.Image image, int from, int[] out, int op, int len, boolean alphaOnly,
            int alpha) {
        int[] src = image.pixels();
        if (alphaOnly) {
            if (image.opaque()) {
                for (int i = 0; i < len; i++) {
                    out[op + i] &= 0x00ffffff;
                }
            } else {
                for (int i = 0; i < len; i++) {
                    out[op + i] = (out[op + i] & 0x00ffffff) | (src[from + i] & 0xff000000);
                }
            }
        } else if (alpha == 0 || image.opaque()) {
            System.arraycopy(src, from, out, op, len);
        } else {
            for (int i = 0; i < len; i++) {
                out[op + i] = src[from + i] | alpha;
            }
        }
    }

    private static SpiceProtocolException truncated(long id, int op, int limit) {
        return new SpiceProtocolException(CODEC + ": image " + id + ": data ends after " + op + " of " + limit
                + " pixels");
    }
}
