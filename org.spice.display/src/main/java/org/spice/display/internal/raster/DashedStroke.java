package org.spice.display.internal.raster;

import java.util.Arrays;
import java.util.List;

/**
 * Styled (dashed) strokes as spice-common's canvas draws them. Its zero-width dashed line is X's wide dashed line
 * with a line width of one (lines.c, miZeroDashLine calls miWideDash): each "on" dash is a one pixel wide rectangle
 * along the line, filled as a polygon (a pixel is in when its integer coordinates are on the polygon's left/top
 * edge or inside, not on its right/bottom edge), with CapNotLast (no caps), JoinMiter between the segments of a
 * polyline and LineOnOffDash (the "off" dashes are not drawn, so back_mode draws nothing). Dash entries at even
 * indexes are "on"; the dash position carries from one segment of a polyline to the next and starts afresh at
 * {@link Style#offset} for each polyline.
 */
public final class DashedStroke {
    /** X's miter limit for a line width of one: 1/sin^2(11/2 degrees). */
    private static final double MITER_LIMIT = 108.856472512142;

    /** Extra distance around the surface within which dashes are still built, for the half pixel line width. */
    private static final double MARGIN = 2;

    /** The window of a segment that never comes near the surface. */
    private static final double[] NOWHERE = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};

    /**
     * A dash list as the canvas hands it to the line code: lengths in whole pixels (0-255, even indexes drawn),
     * with a positive total, and the distance into the list at which each polyline starts.
     */
    public record Style(int[] dashes, int offset) {
        int total() {
            return Arrays.stream(dashes).sum();
        }
    }

    private final Surface s;
    private final Area a;
    private final Brush b;
    private final int rop;
    private final int[] dash;
    private final int period;
    /** For each entry, the first entry from it on (cyclically) whose length is not zero. */
    private final int[] nonZeroFrom;
    /**
     * The pixels of the current polyline painted so far, when each must be painted once; X collects the polyline's
     * spans and fills their union instead, which paints the same pixels, but a list grows with the peer's data.
     */
    private java.util.BitSet painted;
    private int paintedTop = Integer.MAX_VALUE;
    private int paintedBottom = -1;
    private boolean once;

    private DashedStroke(Surface s, Area a, Brush b, int rop, Style style) {
        this.s = s;
        this.a = a;
        this.b = b;
        this.rop = rop;
        this.dash = style.dashes();
        this.period = style.total();
        nonZeroFrom = new int[dash.length];
        for (int i = 0; i < dash.length; i++) {
            int j = i;
            while (dash[j] == 0) {
                j = next(j); // the parser refuses a list of zeros
            }
            nonZeroFrom[i] = j;
        }
    }

    /** Each polyline of {@code lines} dashed by {@code style}, each drawn pixel combined with the brush by rop. */
    public static void stroke(Surface s, Area a, List<Canvas.Polyline> lines, Brush b, int rop, Style style) {
        if (rop == Rops.NOOP) {
            return;
        }
        DashedStroke d = new DashedStroke(s, a, b, rop, style);
        for (Canvas.Polyline p : lines) {
            d.polyline(p, style.offset());
        }
    }

    /**
     * X's rops that change a pixel again when applied twice; for them (and three points or more) the line code
     * collects a polyline's spans and paints each pixel once. The other rops give the same result either way.
     */
    private static boolean careful(int rop) {
        return (rop & 0xc) == 0x8 || (rop & 0x3) == 0x2;
    }

    /** Where along the dash list a line is: the entry and how much of it is left. */
    private static final class Position {
        int index;
        int remain;
    }

    /** A line's end as the join code sees it: the point, the direction from it into the line, the half-width. */
    private record Face(int x, int y, int dx, int dy, double xa, double ya, double k) {
        Face reversed() {
            return new Face(x, y, -dx, -dy, -xa, -ya, k);
        }
    }

    private void polyline(Canvas.Polyline p, int offset) {
        once = p.n() >= 3 && careful(rop);
        if (paintedBottom >= 0) {
            painted.clear(paintedTop * s.width, (paintedBottom + 1) * s.width);
            paintedTop = Integer.MAX_VALUE;
            paintedBottom = -1;
        }
        Position pos = new Position();
        pos.remain = dash[0];
        step(pos, offset);
        boolean selfJoin = p.xs()[0] == p.xs()[p.n() - 1] && p.ys()[0] == p.ys()[p.n() - 1];
        boolean first = true;
        boolean prevEndOn = false;
        boolean endOn = false;
        boolean firstOn = false;
        Face firstFace = null;
        Face prevRight = null;
        Face right = null;
        for (int i = 1; i < p.n(); i++) {
            int x1 = p.xs()[i - 1];
            int y1 = p.ys()[i - 1];
            int x2 = p.xs()[i];
            int y2 = p.ys()[i];
            if (x1 == x2 && y1 == y2) {
                continue;
            }
            boolean startOn = (pos.index & 1) == 0;
            segment(x1, y1, x2, y2, pos);
            endOn = ((pos.index & 1) == 1) ^ (pos.remain != dash[pos.index]);
            double half = 0.5 * length(x2 - x1, y2 - y1);
            double[] r = halfWidth(x2 - x1, y2 - y1);
            Face left = new Face(x1, y1, x2 - x1, y2 - y1, r[1], -r[0], half);
            right = new Face(x2, y2, x1 - x2, y1 - y2, -r[1], r[0], half);
            if (startOn) {
                if (first) {
                    if (selfJoin) {
                        firstFace = left;
                        firstOn = true;
                    }
                } else if (prevEndOn) {
                    join(left, prevRight);
                }
            }
            prevRight = right;
            prevEndOn = endOn;
            first = false;
        }
        if (!first && endOn && selfJoin && firstOn) {
            join(firstFace, right);
        }
    }

    /** X's miStepDash: {@code dist} further along the dash list. */
    private void step(Position pos, long dist) {
        if (dist < pos.remain) {
            pos.remain -= (int) dist;
            return;
        }
        dist -= pos.remain;
        pos.index = next(pos.index);
        dist %= period;
        while (dist >= dash[pos.index]) {
            dist -= dash[pos.index];
            pos.index = next(pos.index);
        }
        pos.remain = dash[pos.index] - (int) dist;
    }

    private int next(int index) {
        return index + 1 == dash.length ? 0 : index + 1;
    }

    private static double length(int dx, int dy) {
        return dx == 0 ? Math.abs((double) dy) : dy == 0 ? Math.abs((double) dx) : Math.hypot(dx, dy);
    }

    /** The half-width vector along the line (rdx, rdy) as the line code computes it. */
    private static double[] halfWidth(int dx, int dy) {
        if (dx == 0) {
            return new double[] {0, dy < 0 ? -0.5 : 0.5};
        }
        if (dy == 0) {
            return new double[] {dx < 0 ? -0.5 : 0.5, 0};
        }
        double r = 0.5 / Math.hypot(dx, dy);
        return new double[] {r * dx, r * dy};
    }

    /**
     * One segment: the "on" dashes from where {@code pos} is, each a quadrilateral (top, right, bottom, left) relative
     * to the segment's start; the dash that passes the end is cut there. Dashes are only built near the surface; the
     * others only move the position, a whole dash list at a time.
     */
    private void segment(int x1, int y1, int x2, int y2, Position pos) {
        int dx = x2 - x1;
        int dy = y2 - y1;
        double len = length(dx, dy);
        double[] r = halfWidth(dx, dy);
        double rdx = r[0];
        double rdy = r[1];
        double k = 0.5 * len;
        double[] vx = {rdy, rdy, -rdy, -rdy};
        double[] vy = {-rdx, -rdx, rdx, rdx};
        int[] sdx = {dx, -dy, -dx, dy};
        int[] sdy = {dy, dx, -dy, -dx};
        double[] sk = {k, 0, k, 0};
        double[] window = window(x1, y1, x2, y2, len);
        double from = window[0];
        double to = window[1];
        int remain = pos.remain;
        double left = len;
        // the start's corners come from the half-width alone; after a dash they are its end's, edge constants negated
        boolean atStart = true;
        while (left > remain) {
            double done = len - left;
            if (done + remain < from - period) {
                // whole dash lists before the surface: the position repeats, the corners are placed directly
                long lists = (long) ((from - done - remain) / period) - 1;
                if (lists > 0) {
                    left -= lists * (double) period;
                    done = len - left;
                    vx[1] = rdy + done * dx / len;
                    vy[1] = -rdx + done * dy / len;
                    vx[2] = -rdy + done * dx / len;
                    vy[2] = rdx + done * dy / len;
                    vx[0] = vx[1];
                    vy[0] = vy[1];
                    vx[3] = vx[2];
                    vy[3] = vy[2];
                    sk[3] = -(vx[1] * dx + vy[1] * dy);
                    atStart = false;
                    continue;
                }
            } else if (done > to && left - remain > 2.0 * period) {
                // past the surface: only the position at the end matters
                left -= ((long) ((left - remain) / period) - 1) * (double) period;
                continue;
            }
            double ddx = (double) remain * dx / len;
            double ddy = (double) remain * dy / len;
            vx[1] += ddx;
            vy[1] += ddy;
            vx[2] += ddx;
            vy[2] += ddy;
            sk[1] = vx[1] * dx + vy[1] * dy;
            // an empty dash between exactly opposite edges holds no pixel; at the start the two edge constants are
            // rounded separately and can let one through
            if ((pos.index & 1) == 0 && done <= to && (remain > 0 || atStart)) {
                polygon(vx, vy, sdx, sdy, sk, 4, x1, y1);
            }
            left -= remain;
            pos.index = next(pos.index);
            remain = dash[pos.index];
            if (remain == 0 && left > 0) {
                // a run of empty entries moves no corner and draws nothing: step over it at once
                pos.index = nonZeroFrom[pos.index];
                remain = dash[pos.index];
            }
            vx[0] = vx[1];
            vy[0] = vy[1];
            vx[3] = vx[2];
            vy[3] = vy[2];
            sk[3] = -sk[1];
            atStart = false;
        }
        // the last dash, cut at the end; beyond the surface (where the shortcut above left the corners behind) it
        // holds no pixel and is not built
        if ((pos.index & 1) == 0 && len - left <= to) {
            vx[0] -= dx;
            vy[0] -= dy;
            vx[3] -= dx;
            vy[3] -= dy;
            vx[1] = rdy;
            vy[1] = -rdx;
            vx[2] = -rdy;
            vy[2] = rdx;
            sk[1] = 0;
            // the line code adds dx*dx + dy*dy in 32-bit int arithmetic
            sk[3] += dx * dx + dy * dy;
            polygon(vx, vy, sdx, sdy, sk, 4, x2, y2);
        }
        remain = (int) (remain - left);
        if (remain == 0) {
            pos.index = next(pos.index);
            remain = dash[pos.index];
        }
        pos.remain = remain;
    }

    /**
     * The distances along the segment between which it passes within {@link #MARGIN} of the surface (Liang-Barsky
     * clipping); when it never does, a window before the segment's start, so that every dash lies past it.
     */
    private double[] window(int x1, int y1, int x2, int y2, double len) {
        double u0 = 0;
        double u1 = 1;
        double[] p = {-(double) (x2 - x1), x2 - x1, -(double) (y2 - y1), y2 - y1};
        double[] q = {x1 + MARGIN, s.width + MARGIN - x1, y1 + MARGIN, s.height + MARGIN - y1};
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] < 0) {
                    return NOWHERE;
                }
            } else {
                double u = q[i] / p[i];
                if (p[i] < 0) {
                    u0 = Math.max(u0, u);
                } else {
                    u1 = Math.min(u1, u);
                }
            }
        }
        if (u0 > u1) {
            return NOWHERE;
        }
        return new double[] {u0 * len - MARGIN, u1 * len + MARGIN};
    }

    /**
     * X's miter join of one pixel wide lines between the end {@code right} of one segment and the start {@code left}
     * of the next, both at the joint. Without span collection the join is skipped when either line goes right (or
     * straight down), as those lines already cover the joint's pixel.
     */
    private void join(Face left, Face right) {
        if (!once) {
            if (left.dx > 0 || (left.dx == 0 && left.dy > 0)) {
                return;
            }
            if (right.dx > 0 || (right.dx == 0 && right.dy > 0)) {
                return;
            }
        }
        double denom = -left.dx * (double) right.dy + right.dx * (double) left.dy;
        if (denom == 0) {
            return;
        }
        boolean swap = denom <= 0;
        if (swap) {
            right = right.reversed();
        } else {
            left = left.reversed();
        }
        double my = (left.dy * (right.xa * right.dy - right.ya * right.dx)
                - right.dy * (left.xa * left.dy - left.ya * left.dx)) / denom;
        double mx = left.dy != 0 ? left.xa + (my - left.ya) * (double) left.dx / (double) left.dy
                : right.xa + (my - right.ya) * (double) right.dx / (double) right.dy;
        int sign = swap ? -1 : 1;
        if ((mx * mx + my * my) * 4 > MITER_LIMIT) {
            double ddx = right.xa - left.xa;
            double ddy = right.ya - left.ya;
            double scale = Math.max(Math.abs(ddx), Math.abs(ddy));
            int bdx = (int) ((ddx * 65536) / scale);
            int bdy = (int) ((ddy * 65536) / scale);
            double bk = ((left.xa + right.xa) * bdy - (left.ya + right.ya) * bdx) / 2.0;
            polygon(new double[] {right.xa, 0, left.xa}, new double[] {right.ya, 0, left.ya},
                    new int[] {-right.dy, left.dy, bdx}, new int[] {right.dx, -left.dx, bdy},
                    new double[] {0, 0, bk}, 3, left.x, left.y);
        } else {
            polygon(new double[] {right.xa, 0, left.xa, mx}, new double[] {right.ya, 0, left.ya, my},
                    new int[] {-right.dy, left.dy, sign * left.dx, sign * right.dx},
                    new int[] {right.dx, -left.dx, sign * left.dy, sign * right.dy},
                    new double[] {0, 0, sign * left.k, sign * right.k}, 4, left.x, left.y);
        }
    }

    /** One edge of a polygon while it is filled: Bresenham stepping of x per scanline. */
    private static final class Edge {
        long height;
        long x;
        long stepx;
        int signdx;
        long e;
        long dy;
        long dx;

        void step() {
            x += stepx;
            e += dx;
            if (e > 0) {
                x += signdx;
                e -= dy;
            }
        }

        /** {@code n} steps at once: e stays in (-dy, 0], so it crossed zero ceil((e + n * dx) / dy) times. */
        void advance(long n) {
            long f = e + n * dx;
            long crossings = Math.floorDiv(f + dy - 1, dy);
            x += n * stepx + signdx * crossings;
            e = f - crossings * dy;
        }
    }

    /**
     * The edge through vertex (x0,y0) with direction (dx,dy) and constant k = x * dy - y * dx, from its first
     * scanline (ceil y0); x is the last pixel before the edge (right edges) or the first on or after it (left edges).
     * Returns that first scanline, in surface coordinates.
     */
    private static long edge(double y0, double k, long dx, long dy, int xi, int yi, boolean leftEdge, Edge out) {
        if (dy < 0) {
            dy = -dy;
            dx = -dx;
            k = -k;
        }
        long y = (long) Math.ceil(y0);
        long xady = (long) Math.ceil(k) + y * dx;
        long x = Math.floorDiv(xady - 1, dy);
        long e = xady - x * dy;
        if (dx >= 0) {
            out.signdx = 1;
            out.stepx = dx / dy;
            out.dx = dx % dy;
        } else {
            out.signdx = -1;
            out.stepx = -(-dx / dy);
            out.dx = -dx % dy;
            e = dy - e + 1;
        }
        out.dy = dy;
        out.x = x + (leftEdge ? 1 : 0) + xi;
        out.e = e - dy;
        return y + yi;
    }

    private static int around(int v, int incr, int n) {
        int w = v + incr;
        return w < 0 ? n - 1 : w == n ? 0 : w;
    }

    /**
     * X's polygon filler for the convex polygons of wide lines: vertices relative to (xi, yi), slope i running from
     * vertex i to vertex i+1. The edges from the top vertex to the bottom one are followed down both sides.
     */
    private void polygon(double[] vx, double[] vy, int[] sdx, int[] sdy, double[] sk, int n, int xi, int yi) {
        int top = 0;
        int bottom = 0;
        double miny = vy[0];
        double maxy = vy[0];
        for (int i = 1; i < n; i++) {
            if (vy[i] < miny) {
                top = i;
                miny = vy[i];
            }
            if (vy[i] >= maxy) {
                bottom = i;
                maxy = vy[i];
            }
        }
        int clockwise = 1;
        int slopeoff = 0;
        int j = around(top, -1, n);
        if ((long) sdy[j] * sdx[top] > (long) sdy[top] * sdx[j]) {
            clockwise = -1;
            slopeoff = -1;
        }
        long bottomy = (long) Math.ceil(maxy) + yi;
        Edge[] right = new Edge[n];
        Edge[] left = new Edge[n];
        int nright = 0;
        long topy = 0;
        long lasty = 0;
        for (int i = top, sl = around(top, slopeoff, n); i != bottom; i = around(i, clockwise, n),
                sl = around(sl, clockwise, n)) {
            if (sdy[sl] != 0) {
                Edge ed = new Edge();
                long y = edge(vy[i], sk[sl], sdx[sl], sdy[sl], xi, yi, false, ed);
                if (nright != 0) {
                    right[nright - 1].height = y - lasty;
                } else {
                    topy = y;
                }
                right[nright++] = ed;
                lasty = y;
            }
        }
        if (nright != 0) {
            right[nright - 1].height = bottomy - lasty;
        }
        slopeoff = slopeoff == 0 ? -1 : 0;
        int nleft = 0;
        for (int i = top, sl = around(top, slopeoff, n); i != bottom; i = around(i, -clockwise, n),
                sl = around(sl, -clockwise, n)) {
            if (sdy[sl] != 0) {
                Edge ed = new Edge();
                long y = edge(vy[i], sk[sl], sdx[sl], sdy[sl], xi, yi, true, ed);
                if (nleft != 0) {
                    left[nleft - 1].height = y - lasty;
                }
                left[nleft++] = ed;
                lasty = y;
            }
        }
        if (nleft != 0) {
            left[nleft - 1].height = bottomy - lasty;
        }
        fill(topy, left, nleft, right, nright);
    }

    /** The spans between the left and right edges, scanline by scanline, only over the surface's rows. */
    private void fill(long y, Edge[] left, int nleft, Edge[] right, int nright) {
        Edge l = null;
        Edge r = null;
        long lh = 0;
        long rh = 0;
        int li = 0;
        int ri = 0;
        while ((li < nleft || lh != 0) && (ri < nright || rh != 0)) {
            if (lh == 0 && li < nleft) {
                l = left[li++];
                lh = l.height;
            }
            if (rh == 0 && ri < nright) {
                r = right[ri++];
                rh = r.height;
            }
            long h = Math.min(lh, rh);
            lh -= h;
            rh -= h;
            if (h <= 0) {
                continue;
            }
            if (y >= s.height) {
                return;
            }
            if (y < 0) {
                long skip = Math.min(h, -y);
                l.advance(skip);
                r.advance(skip);
                y += skip;
                h -= skip;
            }
            for (; h > 0 && y < s.height; h--, y++) {
                if (r.x >= l.x) {
                    span((int) y, Math.max(0, l.x), Math.min(s.width - 1L, r.x));
                }
                l.step();
                r.step();
            }
        }
    }

    private void span(int y, long x0, long x1) {
        if (x0 > x1) {
            return;
        }
        if (once) {
            paintOnce(y, (int) x0, (int) x1);
        } else {
            paint(y, (int) x0, (int) x1);
        }
    }

    private void paint(int y, int x0, int x1) {
        for (int x = x0; x <= x1; x++) {
            if (a.contains(x, y)) {
                int i = y * s.width + x;
                s.px[i] = s.fix(Rops.rop2(rop, b.at(x, y), s.px[i]));
            }
        }
    }

    /** The span's pixels not painted yet in this polyline. */
    private void paintOnce(int y, int x0, int x1) {
        if (painted == null) {
            painted = new java.util.BitSet(s.width * s.height);
        }
        int row = y * s.width;
        for (int x = x0; x <= x1; x++) {
            if (!painted.get(row + x)) {
                painted.set(row + x);
                paint(y, x, x);
            }
        }
        paintedTop = Math.min(paintedTop, y);
        paintedBottom = Math.max(paintedBottom, y);
    }
}
