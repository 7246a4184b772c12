package org.spice.desktop;

/** The lock key flags of spice.proto's {@code keyboard_modifier_flags}, as sent in both directions. */
public final class KeyLocks {
    public static final int SCROLL_LOCK = 1;
    public static final int NUM_LOCK = 2;
    public static final int CAPS_LOCK = 4;

    private KeyLocks() {
    }

    /** For logs, e.g. "caps,num"; "none" for 0. */
    public static String describe(int locks) {
        StringBuilder b = new StringBuilder();
        if ((locks & CAPS_LOCK) != 0) {
            b.append("caps,");
        }
        if ((locks & NUM_LOCK) != 0) {
            b.append("num,");
        }
        if ((locks & SCROLL_LOCK) != 0) {
            b.append("scroll,");
        }
        int other = locks & ~(CAPS_LOCK | NUM_LOCK | SCROLL_LOCK);
        if (other != 0) {
            b.append("0x").append(Integer.toHexString(other)).append(',');
        }
        return b.length() == 0 ? "none" : b.substring(0, b.length() - 1);
    }
}
