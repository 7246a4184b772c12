package org.spice.client.swing.internal;

import static java.awt.event.KeyEvent.*;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spice.inputs.api.UsKeyboard;

/**
 * The fallback when a key event carries no raw code of the physical key (see {@link PhysicalKeys}): AWT names keys
 * by what they type in the local layout, so a table per layout (the {@code --keymap} option) takes that name back
 * to the key's position, as a PC AT set-1 scancode ({@link UsKeyboard} holds the numbers, E0 keys as
 * {@code 0x100 | code}). A layout is the US table plus the keys that sit elsewhere or type something else on it,
 * found by their extended key code (the Unicode character plus 0x1000000 for keys without a VK_ constant). Keys
 * that AWT reports with a location (left/right modifiers, the keypad) are looked up with it first.
 */
final class LayoutKeymap {
    /** The layouts {@link #named} knows. */
    static final List<String> NAMES = org.spice.client.swing.api.Viewer.KEYMAPS;

    private static final Map<Integer, Integer> ANY = new HashMap<>();
    private static final Map<Integer, Integer> RIGHT = new HashMap<>();
    private static final Map<Integer, Integer> NUMPAD = new HashMap<>();

    static {
        key(VK_ESCAPE, "Esc");
        for (int i = 0; i <= 9; i++) {
            key(VK_0 + i, String.valueOf(i));
            key(VK_NUMPAD0 + i, "KP" + i);
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            key(c, String.valueOf(Character.toLowerCase(c))); // VK_A..VK_Z are 'A'..'Z'
        }
        for (int i = 1; i <= 12; i++) {
            key(VK_F1 + i - 1, "F" + i);
        }
        key(VK_MINUS, "-");
        key(VK_EQUALS, "=");
        key(VK_BACK_SPACE, "Backspace");
        key(VK_TAB, "Tab");
        key(VK_OPEN_BRACKET, "[");
        key(VK_CLOSE_BRACKET, "]");
        key(VK_ENTER, "Enter");
        key(VK_SEMICOLON, ";");
        key(VK_QUOTE, "'");
        key(VK_BACK_QUOTE, "`");
        key(VK_BACK_SLASH, "\\");
        key(VK_COMMA, ",");
        key(VK_PERIOD, ".");
        key(VK_SLASH, "/");
        key(VK_SPACE, "Space");
        key(VK_LESS, "102nd");
        key(VK_CAPS_LOCK, "CapsLock");
        key(VK_NUM_LOCK, "NumLock");
        key(VK_SCROLL_LOCK, "ScrollLock");
        key(VK_PRINTSCREEN, "PrintScreen");
        ANY.put(VK_PAUSE, 0x146); // as keycodemapdb: E0 46 (Ctrl+Break), the one-code form of the Pause key
        key(VK_SHIFT, "Shift");
        key(VK_CONTROL, "Ctrl");
        key(VK_ALT, "Alt");
        key(VK_ALT_GRAPH, "AltGr");
        key(VK_WINDOWS, "Super");
        key(VK_META, "Super");
        key(VK_CONTEXT_MENU, "Menu");
        key(VK_INSERT, "Insert");
        key(VK_DELETE, "Delete");
        key(VK_HOME, "Home");
        key(VK_END, "End");
        key(VK_PAGE_UP, "PageUp");
        key(VK_PAGE_DOWN, "PageDown");
        key(VK_UP, "Up");
        key(VK_DOWN, "Down");
        key(VK_LEFT, "Left");
        key(VK_RIGHT, "Right");
        right(VK_SHIFT, "RightShift");
        right(VK_CONTROL, "RightCtrl");
        right(VK_ALT, "AltGr");
        right(VK_WINDOWS, "RightSuper");
        right(VK_META, "RightSuper");
        numpad(VK_ENTER, "KPEnter");
        key(VK_MULTIPLY, "KP*");
        key(VK_DIVIDE, "KP/");
        key(VK_SUBTRACT, "KP-");
        key(VK_ADD, "KP+");
        key(VK_DECIMAL, "KP.");
        key(VK_SEPARATOR, "KP.");
        // the keypad with Num Lock off
        numpad(VK_INSERT, "KP0");
        numpad(VK_END, "KP1");
        numpad(VK_DOWN, "KP2");
        key(VK_KP_DOWN, "KP2");
        numpad(VK_PAGE_DOWN, "KP3");
        numpad(VK_LEFT, "KP4");
        key(VK_KP_LEFT, "KP4");
        numpad(VK_BEGIN, "KP5");
        numpad(VK_CLEAR, "KP5");
        numpad(VK_RIGHT, "KP6");
        key(VK_KP_RIGHT, "KP6");
        numpad(VK_HOME, "KP7");
        numpad(VK_UP, "KP8");
        key(VK_KP_UP, "KP8");
        numpad(VK_PAGE_UP, "KP9");
        numpad(VK_DELETE, "KP.");
    }

    private static final LayoutKeymap US = new LayoutKeymap("us");
    private static final LayoutKeymap DE = new LayoutKeymap("de")
            .put(0x1000000 + 'ß', 0x0c).put(VK_DEAD_ACUTE, 0x0d).put(VK_Z, 0x15).letter('ü', 0x1a)
            .put(VK_PLUS, 0x1b).letter('ö', 0x27).letter('ä', 0x28).put(VK_DEAD_CIRCUMFLEX, 0x29)
            .put(VK_NUMBER_SIGN, 0x2b).put(VK_Y, 0x2c).put(VK_MINUS, 0x35).put(VK_LESS, 0x56)
            .put(VK_ALT_GRAPH, UsKeyboard.RIGHT_ALT);
    private static final LayoutKeymap FR = new LayoutKeymap("fr")
            .put(VK_AMPERSAND, 0x02).letter('é', 0x03).put(VK_QUOTEDBL, 0x04).put(VK_QUOTE, 0x05)
            .put(VK_LEFT_PARENTHESIS, 0x06).put(VK_MINUS, 0x07).letter('è', 0x08).put(VK_UNDERSCORE, 0x09)
            .letter('ç', 0x0a).letter('à', 0x0b).put(VK_RIGHT_PARENTHESIS, 0x0c).put(VK_A, 0x10).put(VK_Z, 0x11)
            .put(VK_DEAD_CIRCUMFLEX, 0x1a).put(VK_DOLLAR, 0x1b).put(VK_Q, 0x1e).put(VK_M, 0x27).letter('ù', 0x28)
            .put(0x1000000 + '²', 0x29).put(VK_ASTERISK, 0x2b).put(VK_W, 0x2c).put(VK_COMMA, 0x32)
            .put(VK_SEMICOLON, 0x33).put(VK_COLON, 0x34).put(VK_EXCLAMATION_MARK, 0x35).put(VK_LESS, 0x56)
            .put(VK_ALT_GRAPH, UsKeyboard.RIGHT_ALT);

    final String name;
    /** This layout's keys that differ from the US layout, by extended key code. */
    private final Map<Integer, Integer> moved = new HashMap<>();

    private LayoutKeymap(String name) {
        this.name = name;
    }

    /**
     * The layout called {@code name} (us, de, fr).
     *
     * @throws IllegalArgumentException for a layout there is no table for
     */
    static LayoutKeymap named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "us" -> US;
            case "de" -> DE;
            case "fr" -> FR;
            default -> throw new IllegalArgumentException("no keymap '" + name + "'; known: "
                    + String.join(", ", NAMES));
        };
    }

    private LayoutKeymap put(int extendedKeyCode, int scancode) {
        moved.put(extendedKeyCode, scancode);
        return this;
    }

    /** A letter outside A..Z, by its extended key code in either case (AWT reports some upper, some lower case). */
    private LayoutKeymap letter(char c, int scancode) {
        moved.put(0x1000000 + Character.toLowerCase(c), scancode);
        moved.put(0x1000000 + Character.toUpperCase(c), scancode);
        return this;
    }

    private static void key(int vk, String name) {
        ANY.put(vk, UsKeyboard.code(name));
    }

    private static void right(int vk, String name) {
        RIGHT.put(vk, UsKeyboard.code(name));
    }

    private static void numpad(int vk, String name) {
        NUMPAD.put(vk, UsKeyboard.code(name));
    }

    /**
     * The scancode of an AWT key ({@link java.awt.event.KeyEvent#getKeyCode()}, {@code getExtendedKeyCode()} and
     * {@code getKeyLocation()}) in this layout, or -1 for a key with none.
     */
    int scancode(int keyCode, int extendedKeyCode, int location) {
        Integer c = location == KEY_LOCATION_RIGHT ? RIGHT.get(keyCode)
                : location == KEY_LOCATION_NUMPAD ? NUMPAD.get(keyCode) : null;
        if (c == null) {
            c = moved.get(extendedKeyCode);
        }
        if (c == null && keyCode != VK_UNDEFINED) {
            c = ANY.get(keyCode);
        }
        return c == null ? -1 : c;
    }
}
