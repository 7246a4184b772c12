package org.spice.client.swing.internal;

import static java.awt.event.KeyEvent.*;

import java.util.HashMap;
import java.util.Map;
import org.spice.desktop.UsKeyboard;

/**
 * AWT key codes to PC AT set-1 scancodes, by the key's name in {@link UsKeyboard} (which holds the numbers, E0
 * keys as {@code 0x100 | code}). AWT names keys by what they type in the local layout, so this is exact for a US
 * layout on the client; the guest applies its own layout to the scancodes. Keys that AWT reports with a location
 * (left/right modifiers, the keypad) are looked up with it first.
 */
final class KeyMap {
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

    private KeyMap() {
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
     * The scancode of an AWT key ({@link java.awt.event.KeyEvent#getKeyCode()} and {@code getKeyLocation()}), or
     * -1 for a key with none.
     */
    static int scancode(int keyCode, int location) {
        Integer c = location == KEY_LOCATION_RIGHT ? RIGHT.get(keyCode)
                : location == KEY_LOCATION_NUMPAD ? NUMPAD.get(keyCode) : null;
        if (c == null) {
            c = ANY.get(keyCode);
        }
        return c == null ? -1 : c;
    }
}
