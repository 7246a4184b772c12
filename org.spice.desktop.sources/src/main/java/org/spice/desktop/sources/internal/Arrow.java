package org.spice.desktop.sources.internal;

import org.spice.desktop.Pointer;

/**
 * The sources' pointer image: a 16x22 orange arrow with a dark blue outline and a magenta dot, transparent around,
 * hot spot at (1,1). Colours no desktop theme uses, so a viewer that shows it is plainly showing ours (the screen
 * source too: AWT cannot read the host's own pointer image).
 */
final class Arrow {
    static final String[] ROWS = {
        "BB", "BOB", "BOOB", "BOOOB", "BOOOOB", "BOOOOOB", "BOOOOOOB", "BOOOMOOOB", "BOOOMMMOOB", "BOOOMMMOOOB",
        "BOOOOMOOOOOB", "BOOOOOOOOOOOB", "BOOOOOOOOOOOOB", "BOOOOOOBBBBBBBB", "BOOOBOOB", "BOOBBOOOB",
        "BOB  BOOB", "BB   BOOOB", "B     BOOB", "      BOOOB", "       BOOB", "        BB"};
    static final int OUTLINE = 0xff1a237e;
    static final int FILL = 0xffff8f00;
    static final int DOT = 0xffd500f9;
    static final Pointer.Shape SHAPE = shape();

    private Arrow() {
    }

    private static Pointer.Shape shape() {
        int w = 16;
        int h = ROWS.length;
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ROWS[y].length(); x++) {
                char c = ROWS[y].charAt(x);
                px[y * w + x] = c == 'B' ? OUTLINE : c == 'O' ? FILL : c == 'M' ? DOT : 0;
            }
        }
        return new Pointer.Shape(w, h, 1, 1, px);
    }

    /** The arrow, shown, at the middle of a {@code width} x {@code height} picture. */
    static Pointer centredIn(int width, int height) {
        return new Pointer(width / 2, height / 2, true, SHAPE);
    }
}
