package org.spice.desktop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A US PC keyboard as PC AT set-1 scancodes, numbered as in {@link KeyEvent#code()} (0xE0-prefixed keys as
 * {@code 0x100 | code}): the character each key types with and without Shift, key names for command lines and
 * logs, and the keys that type a character.
 */
public final class UsKeyboard {
    public static final int ESC = 0x01;
    public static final int BACKSPACE = 0x0e;
    public static final int TAB = 0x0f;
    public static final int ENTER = 0x1c;
    public static final int LEFT_CTRL = 0x1d;
    public static final int LEFT_SHIFT = 0x2a;
    public static final int RIGHT_SHIFT = 0x36;
    public static final int LEFT_ALT = 0x38;
    public static final int SPACE = 0x39;
    public static final int CAPS_LOCK = 0x3a;
    public static final int F1 = 0x3b;
    public static final int NUM_LOCK = 0x45;
    public static final int SCROLL_LOCK = 0x46;
    public static final int F11 = 0x57;
    public static final int F12 = 0x58;
    public static final int KP_ENTER = 0x11c;
    public static final int RIGHT_CTRL = 0x11d;
    public static final int RIGHT_ALT = 0x138;
    public static final int HOME = 0x147;
    public static final int UP = 0x148;
    public static final int PAGE_UP = 0x149;
    public static final int LEFT = 0x14b;
    public static final int RIGHT = 0x14d;
    public static final int END = 0x14f;
    public static final int DOWN = 0x150;
    public static final int PAGE_DOWN = 0x151;
    public static final int INSERT = 0x152;
    public static final int DELETE = 0x153;

    /** How to type one character: the key, and whether Shift must be held. */
    public record Stroke(int code, boolean shift) {
    }

    private record Key(int code, String name, char plain, char shifted, String... aliases) {
    }

    private static final char NONE = 0;
    private static final Key[] KEYS = {
        new Key(0x01, "Esc", NONE, NONE, "ESCAPE"),
        new Key(0x02, "1", '1', '!'), new Key(0x03, "2", '2', '@'), new Key(0x04, "3", '3', '#'),
        new Key(0x05, "4", '4', '$'), new Key(0x06, "5", '5', '%'), new Key(0x07, "6", '6', '^'),
        new Key(0x08, "7", '7', '&'), new Key(0x09, "8", '8', '*'), new Key(0x0a, "9", '9', '('),
        new Key(0x0b, "0", '0', ')'), new Key(0x0c, "-", '-', '_', "MINUS"), new Key(0x0d, "=", '=', '+', "EQUAL"),
        new Key(0x0e, "Backspace", '\b', NONE, "BS"), new Key(0x0f, "Tab", '\t', NONE),
        new Key(0x10, "q", 'q', 'Q'), new Key(0x11, "w", 'w', 'W'), new Key(0x12, "e", 'e', 'E'),
        new Key(0x13, "r", 'r', 'R'), new Key(0x14, "t", 't', 'T'), new Key(0x15, "y", 'y', 'Y'),
        new Key(0x16, "u", 'u', 'U'), new Key(0x17, "i", 'i', 'I'), new Key(0x18, "o", 'o', 'O'),
        new Key(0x19, "p", 'p', 'P'), new Key(0x1a, "[", '[', '{'), new Key(0x1b, "]", ']', '}'),
        new Key(0x1c, "Enter", '\n', NONE, "RETURN"), new Key(0x1d, "Ctrl", NONE, NONE, "CTRL", "LCTRL", "CONTROL"),
        new Key(0x1e, "a", 'a', 'A'), new Key(0x1f, "s", 's', 'S'), new Key(0x20, "d", 'd', 'D'),
        new Key(0x21, "f", 'f', 'F'), new Key(0x22, "g", 'g', 'G'), new Key(0x23, "h", 'h', 'H'),
        new Key(0x24, "j", 'j', 'J'), new Key(0x25, "k", 'k', 'K'), new Key(0x26, "l", 'l', 'L'),
        new Key(0x27, ";", ';', ':', "SEMICOLON"), new Key(0x28, "'", '\'', '"', "APOSTROPHE"),
        new Key(0x29, "`", '`', '~', "GRAVE"), new Key(0x2a, "Shift", NONE, NONE, "LSHIFT"),
        new Key(0x2b, "\\", '\\', '|', "BACKSLASH"),
        new Key(0x2c, "z", 'z', 'Z'), new Key(0x2d, "x", 'x', 'X'), new Key(0x2e, "c", 'c', 'C'),
        new Key(0x2f, "v", 'v', 'V'), new Key(0x30, "b", 'b', 'B'), new Key(0x31, "n", 'n', 'N'),
        new Key(0x32, "m", 'm', 'M'), new Key(0x33, ",", ',', '<', "COMMA"), new Key(0x34, ".", '.', '>', "PERIOD"),
        new Key(0x35, "/", '/', '?', "SLASH"), new Key(0x36, "RightShift", NONE, NONE, "RSHIFT"),
        new Key(0x37, "KP*", NONE, NONE, "KP_MULTIPLY"), new Key(0x38, "Alt", NONE, NONE, "LALT"),
        new Key(0x39, "Space", ' ', NONE), new Key(0x3a, "CapsLock", NONE, NONE, "CAPS"),
        new Key(0x3b, "F1", NONE, NONE), new Key(0x3c, "F2", NONE, NONE), new Key(0x3d, "F3", NONE, NONE),
        new Key(0x3e, "F4", NONE, NONE), new Key(0x3f, "F5", NONE, NONE), new Key(0x40, "F6", NONE, NONE),
        new Key(0x41, "F7", NONE, NONE), new Key(0x42, "F8", NONE, NONE), new Key(0x43, "F9", NONE, NONE),
        new Key(0x44, "F10", NONE, NONE), new Key(0x45, "NumLock", NONE, NONE),
        new Key(0x46, "ScrollLock", NONE, NONE), new Key(0x47, "KP7", NONE, NONE), new Key(0x48, "KP8", NONE, NONE),
        new Key(0x49, "KP9", NONE, NONE), new Key(0x4a, "KP-", NONE, NONE, "KP_MINUS"),
        new Key(0x4b, "KP4", NONE, NONE), new Key(0x4c, "KP5", NONE, NONE), new Key(0x4d, "KP6", NONE, NONE),
        new Key(0x4e, "KP+", NONE, NONE, "KP_PLUS"), new Key(0x4f, "KP1", NONE, NONE),
        new Key(0x50, "KP2", NONE, NONE), new Key(0x51, "KP3", NONE, NONE), new Key(0x52, "KP0", NONE, NONE),
        new Key(0x53, "KP.", NONE, NONE, "KP_DECIMAL"), new Key(0x56, "102nd", NONE, NONE, "LESS"),
        new Key(0x57, "F11", NONE, NONE), new Key(0x58, "F12", NONE, NONE),
        new Key(0x11c, "KPEnter", NONE, NONE, "KP_ENTER"), new Key(0x11d, "RightCtrl", NONE, NONE, "RCTRL"),
        new Key(0x135, "KP/", NONE, NONE, "KP_DIVIDE"), new Key(0x137, "PrintScreen", NONE, NONE, "PRINT", "SYSRQ"),
        new Key(0x138, "AltGr", NONE, NONE, "RALT", "RIGHTALT"), new Key(0x147, "Home", NONE, NONE),
        new Key(0x148, "Up", NONE, NONE), new Key(0x149, "PageUp", NONE, NONE, "PGUP"),
        new Key(0x14b, "Left", NONE, NONE), new Key(0x14d, "Right", NONE, NONE), new Key(0x14f, "End", NONE, NONE),
        new Key(0x150, "Down", NONE, NONE), new Key(0x151, "PageDown", NONE, NONE, "PGDN"),
        new Key(0x152, "Insert", NONE, NONE, "INS"), new Key(0x153, "Delete", NONE, NONE, "DEL"),
        new Key(0x15b, "Super", NONE, NONE, "META", "WIN", "LSUPER", "LMETA", "LWIN"),
        new Key(0x15c, "RightSuper", NONE, NONE, "RSUPER", "RMETA", "RWIN"),
        new Key(0x15d, "Menu", NONE, NONE, "COMPOSE"),
    };

    private static final Map<Integer, Key> BY_CODE = new HashMap<>();
    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    private static final Map<Character, Stroke> BY_CHAR = new HashMap<>();

    static {
        for (Key k : KEYS) {
            BY_CODE.put(k.code, k);
            BY_NAME.put(k.name.toUpperCase(Locale.ROOT), k.code);
            for (String a : k.aliases) {
                BY_NAME.put(a, k.code);
            }
            if (k.plain != NONE) {
                BY_CHAR.putIfAbsent(k.plain, new Stroke(k.code, false));
            }
            if (k.shifted != NONE) {
                BY_CHAR.putIfAbsent(k.shifted, new Stroke(k.code, true));
            }
        }
        BY_CHAR.remove('\b'); // Backspace deletes; it types nothing
    }

    private UsKeyboard() {
    }

    /**
     * The key called {@code name}, ignoring case: names such as Esc, Enter, Tab, Backspace, Space, F1..F12,
     * Up, Down, Left, Right, Home, End, PageUp, PageDown, Insert, Delete, Ctrl, Shift, Alt, AltGr, Super, or a
     * character that a key types without Shift ("a", "1", "/").
     *
     * @throws IllegalArgumentException for a name no key has
     */
    public static int code(String name) {
        Integer c = BY_NAME.get(name.toUpperCase(Locale.ROOT));
        if (c == null && name.length() == 1) {
            Stroke s = BY_CHAR.get(name.charAt(0));
            if (s != null && !s.shift()) {
                c = s.code();
            }
        }
        if (c == null) {
            throw new IllegalArgumentException("no key is called '" + name + "'; known keys: " + names());
        }
        return c;
    }

    /** The key names {@link #code} knows, for messages. */
    public static String names() {
        List<String> out = new ArrayList<>();
        for (Key k : KEYS) {
            if (k.name.length() > 1) {
                out.add(k.name);
            }
        }
        return String.join(" ", out);
    }

    /** A key's name for logs: the character it types without Shift, or its name ("Esc", "Up", "Shift"). */
    public static String name(int code) {
        Key k = BY_CODE.get(code);
        if (k != null) {
            return k.name;
        }
        int prefix = code >> 8;
        return prefix == 0 ? "unknown" : "unknown 0x" + Integer.toHexString(0xdf + prefix) + "-prefixed";
    }

    /** The character key {@code code} types with or without Shift, or -1 when it types none. */
    public static int character(int code, boolean shift) {
        Key k = BY_CODE.get(code);
        if (k == null) {
            return -1;
        }
        char c = shift && k.shifted != NONE ? k.shifted : k.plain;
        return c == NONE || c == '\b' ? -1 : c;
    }

    /**
     * How to type {@code c} on a US keyboard.
     *
     * @throws IllegalArgumentException when no key types it
     */
    public static Stroke stroke(char c) {
        Stroke s = BY_CHAR.get(c);
        if (s == null) {
            throw new IllegalArgumentException("no key on a US keyboard types '" + printable(c) + "' (U+"
                    + String.format("%04X", (int) c) + ")");
        }
        return s;
    }

    /** The strokes that type {@code text}; checks every character before returning any. */
    public static List<Stroke> strokes(String text) {
        List<Stroke> out = new ArrayList<>(text.length());
        for (int i = 0; i < text.length(); i++) {
            out.add(stroke(text.charAt(i)));
        }
        return out;
    }

    private static String printable(char c) {
        return Character.isISOControl(c) ? "\\u" + String.format("%04x", (int) c) : String.valueOf(c);
    }
}
