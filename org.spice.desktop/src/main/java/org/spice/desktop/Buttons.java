package org.spice.desktop;

/**
 * Mouse buttons of spice.proto: the numbers a press or release names ({@code mouse_button}) and the bits of the
 * button state that every pointer message carries ({@code mouse_button_mask}). The wheel is buttons
 * {@link #UP} and {@link #DOWN}, pressed and released at once for each notch.
 */
public final class Buttons {
    public static final int LEFT = 1;
    public static final int MIDDLE = 2;
    public static final int RIGHT = 3;
    public static final int UP = 4;
    public static final int DOWN = 5;
    public static final int SIDE = 6;
    public static final int EXTRA = 7;

    public static final int MASK_LEFT = 1;
    public static final int MASK_MIDDLE = 1 << 1;
    public static final int MASK_RIGHT = 1 << 2;
    public static final int MASK_UP = 1 << 3;
    public static final int MASK_DOWN = 1 << 4;
    public static final int MASK_SIDE = 1 << 5;
    public static final int MASK_EXTRA = 1 << 6;

    private static final String[] NAMES = {"invalid", "left", "middle", "right", "wheel-up", "wheel-down", "side",
        "extra"};

    private Buttons() {
    }

    /**
     * The state bit a held button sets, as spice-gtk sets it; 0 for the wheel, whose presses spice-gtk sends
     * without changing the state, and for numbers spice.proto does not define.
     */
    public static int mask(int button) {
        return switch (button) {
            case LEFT -> MASK_LEFT;
            case MIDDLE -> MASK_MIDDLE;
            case RIGHT -> MASK_RIGHT;
            case SIDE -> MASK_SIDE;
            case EXTRA -> MASK_EXTRA;
            default -> 0;
        };
    }

    public static String name(int button) {
        return button >= 0 && button < NAMES.length ? NAMES[button] : "button " + button;
    }
}
