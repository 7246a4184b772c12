package org.spice.client.swing.internal;

import java.awt.event.KeyEvent;
import java.lang.reflect.Field;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scancode of the physical key behind an AWT key event: from the raw code AWT keeps for the key (through
 * {@link PhysicalKeys}), and from a layout table when the event carries none (events made by {@code java.awt.Robot}
 * or a platform without raw codes).
 *
 * <p>AWT keeps the raw codes in private fields of {@link KeyEvent} ({@code rawCode}: the X keycode, the macOS key
 * code; {@code scancode}: the Windows scancode). They are read directly when the runtime opens
 * {@code java.awt.event} ({@code --add-opens java.desktop/java.awt.event=ALL-UNNAMED}, as {@code ./spice} does),
 * and otherwise from {@link KeyEvent#paramString()}, which prints them.
 */
final class AwtKeys {
    private static final System.Logger LOG = System.getLogger("org.spice.client.swing");
    private static final Field RAW_CODE = field("rawCode");
    private static final Field SCANCODE = field("scancode");
    private static final Pattern RAW_IN_PARAMS = Pattern.compile(",rawCode=(\\d+).*,scancode=(\\d+)");

    private final PhysicalKeys.Platform platform;
    private final LayoutKeymap layout;

    AwtKeys(PhysicalKeys.Platform platform, LayoutKeymap layout) {
        this.platform = platform;
        this.layout = layout;
    }

    /** The set-1 scancode of {@code e}'s key ({@code 0x100 | byte} after 0xE0), or -1 for a key with none. */
    int scancode(KeyEvent e) {
        long[] raw = raw(e);
        int c = PhysicalKeys.scancode(platform, raw[0], raw[1], e.getKeyCode(), e.getKeyLocation());
        return c >= 0 ? c : layout.scancode(e.getKeyCode(), e.getExtendedKeyCode(), e.getKeyLocation());
    }

    /** {@code rawCode} and {@code scancode} of {@code e}; zeros when neither way reads them. */
    static long[] raw(KeyEvent e) {
        if (RAW_CODE != null && SCANCODE != null) {
            try {
                return new long[] {RAW_CODE.getLong(e), SCANCODE.getLong(e)};
            } catch (IllegalAccessException notOpen) {
                // fall through to paramString
            }
        }
        return parse(e.paramString());
    }

    /** The raw codes in a {@link KeyEvent#paramString()}; zeros when it has none. */
    static long[] parse(String params) {
        Matcher m = RAW_IN_PARAMS.matcher(params);
        if (!m.find()) {
            return new long[2];
        }
        try {
            return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        } catch (NumberFormatException tooLong) {
            return new long[2];
        }
    }

    private static Field field(String name) {
        try {
            Field f = KeyEvent.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            // InaccessibleObjectException without --add-opens: paramString() still has the codes
            LOG.log(System.Logger.Level.DEBUG, "KeyEvent." + name + " is not readable directly: " + e);
            return null;
        }
    }
}
