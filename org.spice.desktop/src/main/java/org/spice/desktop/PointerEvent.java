package org.spice.desktop;

/**
 * What a client's pointer did.
 *
 * @param connectionId the client's connection id (its main channel's session id)
 * @param kind what happened
 * @param x for {@link Kind#POSITION}, the pointer's x on display {@code displayId}; for {@link Kind#MOTION}, the
 *     movement dx; for presses and releases, the x of the last position the client sent (or 0)
 * @param y as {@code x}, downwards
 * @param displayId the display channel id of a position, or of the last position for presses and releases; -1
 *     for motion, and before the client sent any position
 * @param button for presses and releases, the {@link Buttons} number; 0 otherwise
 * @param buttons the held buttons as {@link Buttons} mask bits, as the client reports them with every message
 */
public record PointerEvent(long connectionId, Kind kind, int x, int y, int displayId, int button, int buttons) {

    public enum Kind {
        /** Absolute position (client mouse mode). */
        POSITION,
        /** Relative movement (server mouse mode). */
        MOTION,
        PRESS,
        RELEASE
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case POSITION -> "position " + x + "," + y + " on display " + displayId;
            case MOTION -> "motion " + x + "," + y;
            case PRESS -> "press " + Buttons.name(button) + " at " + x + "," + y;
            case RELEASE -> "release " + Buttons.name(button) + " at " + x + "," + y;
        };
        return "PointerEvent[" + what + ", buttons 0x" + Integer.toHexString(buttons) + ", connection 0x"
                + Long.toHexString(connectionId) + "]";
    }
}
