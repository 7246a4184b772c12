package org.spice.display.internal.raster;

import org.spice.display.internal.codec.Pixels;

/**
 * Samples an image at a 16.16 fixed-point position as pixman does: nearest (the pixel holding the point, ties
 * going up-left) or bilinear (7-bit weights), with pixman's repeat modes. Positions are pixel centres: pixel
 * {@code i} spans {@code [i, i+1)}. A sample off an image that does not repeat is {@link #OUTSIDE}.
 */
public final class Sampling {
    static final int REPEAT_NONE = 0;
    static final int REPEAT_NORMAL = 1;
    static final int REPEAT_PAD = 2;
    static final int REPEAT_REFLECT = 3;
    /** No pixel: off an image with REPEAT_NONE (pixman reads it as transparent black). */
    static final long OUTSIDE = -1L;

    private Sampling() {
    }

    /** The pixel at integer position x,y (0xAARRGGBB as a non-negative long), or OUTSIDE. */
    static long fetch(Pixels img, long x, long y, int repeat, boolean opaque) {
        int w = img.width();
        int h = img.height();
        switch (repeat) {
            case REPEAT_NORMAL -> {
                x = Math.floorMod(x, w);
                y = Math.floorMod(y, h);
            }
            case REPEAT_PAD -> {
                x = Math.max(0, Math.min(w - 1, x));
                y = Math.max(0, Math.min(h - 1, y));
            }
            case REPEAT_REFLECT -> {
                x = Math.floorMod(x, 2L * w);
                if (x >= w) {
                    x = 2L * w - x - 1;
                }
                y = Math.floorMod(y, 2L * h);
                if (y >= h) {
                    y = 2L * h - y - 1;
                }
            }
            default -> {
                if (x < 0 || y < 0 || x >= w || y >= h) {
                    return OUTSIDE;
                }
            }
        }
        int v = img.at((int) y * w + (int) x);
        return (opaque ? v | 0xff000000 : v) & 0xffffffffL;
    }

    static long nearest(Pixels img, long vx, long vy, int repeat, boolean opaque) {
        return fetch(img, (vx - 1) >> 16, (vy - 1) >> 16, repeat, opaque);
    }

    /** Bilinear sample; neighbours off a non-repeating image count as transparent black. Never OUTSIDE. */
    static int bilinear(Pixels img, long vx, long vy, int repeat, boolean opaque) {
        vx -= 0x8000;
        vy -= 0x8000;
        long x1 = vx >> 16;
        long y1 = vy >> 16;
        int distx = (int) ((vx >> 9) & 0x7f) << 1;
        int disty = (int) ((vy >> 9) & 0x7f) << 1;
        long tl = Math.max(0, fetch(img, x1, y1, repeat, opaque));
        long tr = Math.max(0, fetch(img, x1 + 1, y1, repeat, opaque));
        long bl = Math.max(0, fetch(img, x1, y1 + 1, repeat, opaque));
        long br = Math.max(0, fetch(img, x1 + 1, y1 + 1, repeat, opaque));
        long distxy = (long) distx * disty;
        long distxiy = ((long) distx << 8) - distxy;
        long distixy = ((long) disty << 8) - distxy;
        long distixiy = 256L * 256 - ((long) disty << 8) - ((long) distx << 8) + distxy;
        int r = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            long c = (tl >> shift & 0xff) * distixiy + (tr >> shift & 0xff) * distxiy
                    + (bl >> shift & 0xff) * distixy + (br >> shift & 0xff) * distxy;
            r |= (int) (c >> 16) << shift;
        }
        return r;
    }

    /**
     * pixman's float bilinear sample: the four neighbours expanded to floats and weighted by the position's 16-bit
     * fraction, in pixman's order of operations. Neighbours off a non-repeating image are zero.
     */
    static float[] bilinearWide(Pixels img, long vx, long vy, int repeat, boolean opaque) {
        vx -= 0x8000;
        vy -= 0x8000;
        float distx = (vx & 0xffff) / 65536f;
        float disty = (vy & 0xffff) / 65536f;
        long x1 = vx >> 16;
        long y1 = vy >> 16;
        float[] tl = Combiners.expand((int) Math.max(0, fetch(img, x1, y1, repeat, opaque)));
        float[] tr = Combiners.expand((int) Math.max(0, fetch(img, x1 + 1, y1, repeat, opaque)));
        float[] bl = Combiners.expand((int) Math.max(0, fetch(img, x1, y1 + 1, repeat, opaque)));
        float[] br = Combiners.expand((int) Math.max(0, fetch(img, x1 + 1, y1 + 1, repeat, opaque)));
        float distxy = distx * disty;
        float distxiy = distx * (1.f - disty);
        float distixy = (1.f - distx) * disty;
        float distixiy = (1.f - distx) * (1.f - disty);
        float[] r = new float[4];
        for (int c = 0; c < 4; c++) {
            r[c] = tl[c] * distixiy + tr[c] * distxiy + bl[c] * distixy + br[c] * distxy;
        }
        return r;
    }
}
