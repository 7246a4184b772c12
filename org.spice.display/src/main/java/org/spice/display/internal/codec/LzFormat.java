package org.spice.display.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.spice.protocol.SpiceProtocolException;

/**
 * What the LZ and GLZ image codecs of SPICE share: the image types of their headers, the pixel units the
 * compressed stream counts in, the decoding of literal pixels and of back references inside one image, and the
 * conversion of a decoded buffer (stream order) to {@link Pixels} (top row first).
 *
 * <p>Both codecs count lengths and distances in <em>units</em>: one pixel for the RGB types, one byte for the
 * palette types (1, 2 or 8 pixels once expanded) and one alpha byte for the alpha pass. The decoders here expand
 * every unit straight into 0xAARRGGBB ints, so distances and lengths are multiplied by the pixels per unit.
 */
final class LzFormat {
    static final int PLT1_LE = 1;
    static final int PLT1_BE = 2;
    static final int PLT4_LE = 3;
    static final int PLT4_BE = 4;
    static final int PLT8 = 5;
    static final int RGB16 = 6;
    static final int RGB24 = 7;
    static final int RGB32 = 8;
    static final int RGBA = 9;
    static final int XXXA = 10;
    static final int A8 = 11;

    /** The four magic bytes as they appear on the wire (the C code writes "LZ  " read as a little-endian int). */
    static final int MAGIC = 0x20205A4C;
    /** Version 1.1: major in the high 16 bits. */
    static final int VERSION = 0x00010001;

    /** Literal kinds: how one unit of the stream becomes output pixels. */
    static final int K_RGB = 0;      // 3 bytes b, g, r -> 1 pixel (RGB24, RGB32 and the colour pass of RGBA)
    static final int K_RGB16 = 1;    // 2 bytes, big-endian x1r5g5b5 -> 1 pixel
    static final int K_PLT8 = 2;     // 1 byte -> 1 pixel through the palette
    static final int K_PLT4_BE = 3;  // 1 byte -> 2 pixels, high nibble first
    static final int K_PLT4_LE = 4;  // 1 byte -> 2 pixels, low nibble first
    static final int K_PLT1_BE = 5;  // 1 byte -> 8 pixels, most significant bit first
    static final int K_PLT1_LE = 6;  // 1 byte -> 8 pixels, least significant bit first
    static final int K_ALPHA = 7;    // 1 byte -> the alpha of 1 pixel, its colour kept (RGBA's second pass, XXXA)
    static final int K_A8 = 8;       // 1 byte -> 1 pixel of that alpha and colour 0

    static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** No unit decodes to more than this many pixels per input byte (runs extend by 255 units per byte). */
    static final long MAX_UNITS_PER_BYTE = 270;

    private LzFormat() {
    }

    static String typeName(int type) {
        return switch (type) {
            case PLT1_LE -> "PLT1_LE";
            case PLT1_BE -> "PLT1_BE";
            case PLT4_LE -> "PLT4_LE";
            case PLT4_BE -> "PLT4_BE";
            case PLT8 -> "PLT8";
            case RGB16 -> "RGB16";
            case RGB24 -> "RGB24";
            case RGB32 -> "RGB32";
            case RGBA -> "RGBA";
            case XXXA -> "XXXA";
            case A8 -> "A8";
            default -> "unknown type " + type;
        };
    }

    static boolean isPalette(int type) {
        return type >= PLT1_LE && type <= PLT8;
    }

    /** Pixels one byte of a palette image holds. */
    static int pixelsPerByte(int type) {
        return switch (type) {
            case PLT1_LE, PLT1_BE -> 8;
            case PLT4_LE, PLT4_BE -> 2;
            default -> 1;
        };
    }

    /** The literal kind of the first (or only) pass of an image type. */
    static int firstPassKind(int type) {
        return switch (type) {
            case PLT1_LE -> K_PLT1_LE;
            case PLT1_BE -> K_PLT1_BE;
            case PLT4_LE -> K_PLT4_LE;
            case PLT4_BE -> K_PLT4_BE;
            case PLT8 -> K_PLT8;
            case RGB16 -> K_RGB16;
            case RGB24, RGB32, RGBA -> K_RGB;
            case XXXA -> K_ALPHA;
            case A8 -> K_A8;
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    static int bytesPerUnit(int kind) {
        return kind == K_RGB ? 3 : kind == K_RGB16 ? 2 : 1;
    }

    static int pixelsPerUnit(int kind) {
        return switch (kind) {
            case K_PLT4_BE, K_PLT4_LE -> 2;
            case K_PLT1_BE, K_PLT1_LE -> 8;
            default -> 1;
        };
    }

    /** Reads a big-endian u32 as a long. The caller has checked the bounds. */
    static long u32(byte[] in, int p) {
        return ((in[p] & 0xffL) << 24) | ((in[p + 1] & 0xff) << 16) | ((in[p + 2] & 0xff) << 8) | (in[p + 3] & 0xff);
    }

    /**
     * The palette of a palette image as output pixels: {@code alpha | (entry & 0xffffff)}. SPICE palettes hold
     * 0x00RRGGBB entries.
     */
    static int[] palette(String codec, int type, int[] palette, int alpha) {
        if (palette == null || palette.length == 0) {
            throw new SpiceProtocolException(codec + ": " + typeName(type) + " image without a palette");
        }
        if ((type == PLT1_LE || type == PLT1_BE) && palette.length < 2) {
            throw new SpiceProtocolException(codec + ": " + typeName(type) + " image with a palette of "
                    + palette.length + " entry, it needs 2");
        }
        int[] out = new int[palette.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = alpha | (palette[i] & 0xffffff);
        }
        return out;
    }

    /**
     * Decodes {@code units} literal units starting at {@code ip} into {@code out} from {@code op}. The caller has
     * checked that the input holds them and that the output has room for {@code units * pixelsPerUnit(kind)}.
     *
     * @param alpha the alpha bits of colour pixels: 0xff000000 for LZ, 0 for GLZ (whose window keeps the C
     *              decoder's zero pad byte)
     * @return the input position after the units
     */
    static int literals(String codec, byte[] in, int ip, int[] out, int op, int units, int kind, int[] pal,
            int alpha) {
        switch (kind) {
            case K_RGB -> {
                int end = op + units;
                // b, g, r read as one little-endian int while a fourth byte follows in the array.
                int fast = Math.min(end, op + (in.length - ip - 1) / 3);
                for (; op < fast; op++, ip += 3) {
                    out[op] = alpha | ((int) LE_INT.get(in, ip) & 0xffffff);
                }
                for (; op < end; op++, ip += 3) {
                    out[op] = alpha | ((in[ip + 2] & 0xff) << 16) | ((in[ip + 1] & 0xff) << 8) | (in[ip] & 0xff);
                }
            }
            case K_RGB16 -> {
                for (int end = op + units; op < end; op++, ip += 2) {
                    int v = ((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff);
                    int r = (v >> 10) & 0x1f;
                    int g = (v >> 5) & 0x1f;
                    int b = v & 0x1f;
                    out[op] = alpha | (((r << 3) | (r >> 2)) << 16) | (((g << 3) | (g >> 2)) << 8)
                            | ((b << 3) | (b >> 2));
                }
            }
            case K_PLT8 -> {
                int n = pal.length;
                for (int end = op + units; op < end; op++, ip++) {
                    int idx = in[ip] & 0xff;
                    if (idx >= n) {
                        throw new SpiceProtocolException(codec + ": palette index " + idx + " beyond the " + n
                                + " palette entries");
                    }
                    out[op] = pal[idx];
                }
            }
            case K_PLT4_BE, K_PLT4_LE -> {
                // Out of range nibbles wrap around the palette, as the C decoders do.
                int n = pal.length;
                boolean be = kind == K_PLT4_BE;
                for (int i = 0; i < units; i++, ip++) {
                    int v = in[ip] & 0xff;
                    int first = be ? v >> 4 : v & 0x0f;
                    int second = be ? v & 0x0f : v >> 4;
                    out[op++] = pal[first % n];
                    out[op++] = pal[second % n];
                }
            }
            case K_PLT1_BE -> {
                int back = pal[0];
                int fore = pal[1];
                for (int i = 0; i < units; i++, ip++) {
                    int v = in[ip];
                    for (int bit = 7; bit >= 0; bit--) {
                        out[op++] = ((v >> bit) & 1) != 0 ? fore : back;
                    }
                }
            }
            case K_PLT1_LE -> {
                int back = pal[0];
                int fore = pal[1];
                for (int i = 0; i < units; i++, ip++) {
                    int v = in[ip];
                    for (int bit = 0; bit < 8; bit++) {
                        out[op++] = ((v >> bit) & 1) != 0 ? fore : back;
                    }
                }
            }
            case K_ALPHA -> {
                for (int end = op + units; op < end; op++, ip++) {
                    out[op] = (out[op] & 0x00ffffff) | (in[ip] << 24);
                }
            }
            case K_A8 -> {
                for (int end = op + units; op < end; op++, ip++) {
                    out[op] = in[ip] << 24;
                }
            }
            default -> throw new IllegalStateException("literal kind " + kind);
        }
        return ip;
    }

    /**
     * Copies {@code len} pixels from {@code op - dist} to {@code op} inside one buffer, front to back, so that a
     * distance shorter than the length repeats the pattern (LZ77 semantics, not memmove). The caller has checked
     * {@code 1 <= dist <= op} and {@code op + len <= out.length}.
     */
    static void copyBack(int[] out, int op, int dist, int len, boolean alphaOnly) {
        int ref = op - dist;
        if (alphaOnly) {
            for (int i = 0; i < len; i++) {
                out[op + i] = (out[op + i] & 0x00ffffff) | (out[ref + i] & 0xff000000);
            }
        } else if (dist >= len) {
            System.arraycopy(out, ref, out, op, len);
        } else if (dist == 1) {
            Arrays.fill(out, op, op + len, out[ref]);
        } else {
            for (int i = 0; i < len; i++) {
                out[op + i] = out[ref + i];
            }
        }
    }

    /**
     * Turns a decoded buffer ({@code grossWidth} pixels a row, rows in stream order) into {@link Pixels} of
     * {@code width} pixels a row, top row first.
     *
     * @param opaque     set alpha to 0xff on every pixel
     * @param mayReuse   the buffer may become the result when no change is needed
     */
    static Pixels toPixels(int[] buf, int grossWidth, int width, int height, boolean topDown, boolean opaque,
            boolean mayReuse) {
        if (mayReuse && topDown && grossWidth == width && !opaque) {
            return new Pixels(width, height, buf);
        }
        int[] argb = new int[width * height];
        for (int row = 0; row < height; row++) {
            int src = row * grossWidth;
            int dst = (topDown ? row : height - 1 - row) * width;
            if (opaque) {
                for (int i = 0; i < width; i++) {
                    argb[dst + i] = buf[src + i] | 0xff000000;
                }
            } else {
                System.arraycopy(buf, src, argb, dst, width);
            }
        }
        return new Pixels(width, height, argb);
    }
}
