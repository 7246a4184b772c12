package org.spice.display.internal.codec;

/**
 * Tells photo-like pictures from synthetic ones, the test spice-server's {@code auto_glz} and {@code auto_lz}
 * settings make before choosing QUIC (lossless, good on smooth natural images) over LZ/GLZ (good on flat areas and
 * repeats).
 *
 * <p>It samples the picture every 15 pixels (walking the rows as one sequence, starting mid-first-row) and looks at
 * the 2x2 square below and right of each sample: the sample against its right, lower and lower-right neighbours.
 * Each pair scores +0.5 when equal, +1 when some colour component differs by 60 or more (a sharp edge: text, lines,
 * window borders), and -0.25 when they differ by less (a soft step: gradients of natural images). A square whose
 * four pixels are all equal scores 0. The picture is photo-like when the mean score per pair is below -0.03, that
 * is when soft steps clearly outnumber both edges and flat areas. These are spice-server's weights and threshold
 * (its {@code BITMAP_GRADUAL_HIGH}), so the same pictures take the same codec.
 */
public final class Graduality {
    private static final int SAMPLE_JUMP = 15;
    private static final int CONTRAST = 60;
    private static final double PHOTO_THRESHOLD = -0.03;

    private Graduality() {
    }

    /** Whether the {@code width x height} pixels at {@code offset} (rows {@code stride} apart) look like a photo. */
    public static boolean photoLike(int[] px, int offset, int stride, int width, int height) {
        return score(px, offset, stride, width, height) < PHOTO_THRESHOLD;
    }

    /** The mean score per compared pair; 1 for pictures too thin to sample. */
    static double score(int[] px, int offset, int stride, int width, int height) {
        if (width <= 1 || height <= 1) {
            return 1.0;
        }
        int jump = SAMPLE_JUMP % width != 0 ? SAMPLE_JUMP : SAMPLE_JUMP - 1;
        double sum = 0;
        long samples = 0;
        // The samples are every jump-th pixel of the rows taken as one sequence; x and y follow that position
        // without a division a sample (two long divisions each were most of the time on a 1080p screen).
        int x = width / 2;
        int y = 0;
        while (y < height - 1) {
            if (x == width - 1) {
                x--; // the last pixel of a row has no right neighbour: the sequence steps back one
            }
            int at = offset + y * stride + x;
            int p = px[at];
            int right = compare(p, px[at + 1]);
            int below = compare(p, px[at + stride]);
            int diagonal = compare(p, px[at + stride + 1]);
            if ((right | below | diagonal) != 0) {
                sum += WEIGHT[right] + WEIGHT[below] + WEIGHT[diagonal];
            }
            samples++;
            x += jump;
            while (x >= width) {
                x -= width;
                y++;
            }
        }
        return sum / (samples * 3);
    }

    /** Pair scores by {@link #compare} result: equal, contrasting, softly different. */
    private static final double[] WEIGHT = { 0.5, 1.0, -0.25 };

    /** 0 equal, 1 some component differs by 60 or more, 2 they differ by less. */
    private static int compare(int a, int b) {
        int dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
        if (dr <= -CONTRAST || dr >= CONTRAST) {
            return 1;
        }
        int dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
        if (dg <= -CONTRAST || dg >= CONTRAST) {
            return 1;
        }
        int db = (a & 0xff) - (b & 0xff);
        if (db <= -CONTRAST || db >= CONTRAST) {
            return 1;
        }
        return (dr | dg | db) == 0 ? 0 : 2;
    }
}
