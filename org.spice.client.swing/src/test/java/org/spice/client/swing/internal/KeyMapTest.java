package org.spice.client.swing.internal;

import static java.awt.event.KeyEvent.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spice.desktop.UsKeyboard;

class KeyMapTest {
    private static int standard(int vk) {
        return KeyMap.scancode(vk, KEY_LOCATION_STANDARD);
    }

    @Test
    void mainBlockKeysAreTheirSet1Scancodes() {
        assertEquals(0x01, standard(VK_ESCAPE));
        assertEquals(0x02, standard(VK_1));
        assertEquals(0x0b, standard(VK_0));
        assertEquals(0x10, standard(VK_Q));
        assertEquals(0x1e, standard(VK_A));
        assertEquals(0x2c, standard(VK_Z));
        assertEquals(0x1c, standard(VK_ENTER));
        assertEquals(0x0e, standard(VK_BACK_SPACE));
        assertEquals(0x0f, standard(VK_TAB));
        assertEquals(0x39, standard(VK_SPACE));
        assertEquals(0x29, standard(VK_BACK_QUOTE));
        assertEquals(0x2b, standard(VK_BACK_SLASH));
        assertEquals(0x3a, standard(VK_CAPS_LOCK));
        assertEquals(0x3b, standard(VK_F1));
        assertEquals(0x44, standard(VK_F10));
        assertEquals(0x57, standard(VK_F11));
        assertEquals(0x58, standard(VK_F12));
    }

    @Test
    void leftAndRightModifiersDiffer() {
        assertEquals(0x2a, KeyMap.scancode(VK_SHIFT, KEY_LOCATION_LEFT));
        assertEquals(0x36, KeyMap.scancode(VK_SHIFT, KEY_LOCATION_RIGHT));
        assertEquals(0x1d, KeyMap.scancode(VK_CONTROL, KEY_LOCATION_LEFT));
        assertEquals(0x38, KeyMap.scancode(VK_ALT, KEY_LOCATION_LEFT));
        // right Ctrl, right Alt and the Windows keys are E0 keys
        assertEquals(0x11d, KeyMap.scancode(VK_CONTROL, KEY_LOCATION_RIGHT));
        assertEquals(0x138, KeyMap.scancode(VK_ALT, KEY_LOCATION_RIGHT));
        assertEquals(0x138, standard(VK_ALT_GRAPH));
        assertEquals(0x15b, KeyMap.scancode(VK_WINDOWS, KEY_LOCATION_LEFT));
        assertEquals(0x15c, KeyMap.scancode(VK_WINDOWS, KEY_LOCATION_RIGHT));
        assertEquals(0x15d, standard(VK_CONTEXT_MENU));
    }

    @Test
    void navigationKeysAreE0KeysAndTheKeypadsAreNot() {
        assertEquals(UsKeyboard.UP, standard(VK_UP));
        assertEquals(0x148, standard(VK_UP));
        assertEquals(0x14b, standard(VK_LEFT));
        assertEquals(0x14d, standard(VK_RIGHT));
        assertEquals(0x150, standard(VK_DOWN));
        assertEquals(0x147, standard(VK_HOME));
        assertEquals(0x14f, standard(VK_END));
        assertEquals(0x149, standard(VK_PAGE_UP));
        assertEquals(0x151, standard(VK_PAGE_DOWN));
        assertEquals(0x152, standard(VK_INSERT));
        assertEquals(0x153, standard(VK_DELETE));
        assertEquals(0x137, standard(VK_PRINTSCREEN));
        // the same keys on the keypad with Num Lock off
        assertEquals(0x48, KeyMap.scancode(VK_UP, KEY_LOCATION_NUMPAD));
        assertEquals(0x48, KeyMap.scancode(VK_KP_UP, KEY_LOCATION_NUMPAD));
        assertEquals(0x47, KeyMap.scancode(VK_HOME, KEY_LOCATION_NUMPAD));
        assertEquals(0x52, KeyMap.scancode(VK_INSERT, KEY_LOCATION_NUMPAD));
        assertEquals(0x53, KeyMap.scancode(VK_DELETE, KEY_LOCATION_NUMPAD));
        assertEquals(0x4c, KeyMap.scancode(VK_BEGIN, KEY_LOCATION_NUMPAD));
    }

    @Test
    void keypadKeys() {
        assertEquals(0x52, KeyMap.scancode(VK_NUMPAD0, KEY_LOCATION_NUMPAD));
        assertEquals(0x49, KeyMap.scancode(VK_NUMPAD9, KEY_LOCATION_NUMPAD));
        assertEquals(0x11c, KeyMap.scancode(VK_ENTER, KEY_LOCATION_NUMPAD));
        assertEquals(0x135, KeyMap.scancode(VK_DIVIDE, KEY_LOCATION_NUMPAD));
        assertEquals(0x37, KeyMap.scancode(VK_MULTIPLY, KEY_LOCATION_NUMPAD));
        assertEquals(0x4a, KeyMap.scancode(VK_SUBTRACT, KEY_LOCATION_NUMPAD));
        assertEquals(0x4e, KeyMap.scancode(VK_ADD, KEY_LOCATION_NUMPAD));
        assertEquals(0x53, KeyMap.scancode(VK_DECIMAL, KEY_LOCATION_NUMPAD));
        assertEquals(0x45, standard(VK_NUM_LOCK));
    }

    @Test
    void keysWithoutAScancodeAreRefused() {
        assertEquals(-1, standard(VK_UNDEFINED));
        assertEquals(-1, standard(VK_F13));
        assertEquals(-1, standard(VK_HELP));
    }
}
