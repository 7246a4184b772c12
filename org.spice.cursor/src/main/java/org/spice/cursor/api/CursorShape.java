package org.spice.cursor.api;

/**
 * A cursor image as 0xAARRGGBB pixels, row-major, top row first, with its hot spot. Pixels that invert the
 * screen under them (mono and colour cursors' XOR parts over an AND mask) decode as opaque black with
 * {@link #inverting()} telling which, since a picture cannot express inversion.
 */
public record CursorShape(int width, int height, int hotX, int hotY, int[] argb, boolean[] inverting) {
}
