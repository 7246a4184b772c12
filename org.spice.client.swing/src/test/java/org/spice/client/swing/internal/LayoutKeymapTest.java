package org.spice.client.swing.internal;

import static java.awt.event.KeyEvent.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spice.inputs.api.UsKeyboard;

class LayoutKeymapTest {
    private static final LayoutKeymap US = LayoutKeymap.named("us");

    private static int standard(int vk) {
        return US.scancode(vk, vk, KEY_LOCATION_STANDARD);
    }

    private static int at(int vk, int location) {
        return US.scancode(vk, vk, location);
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
        assertEquals(0x2a, at(VK_SHIFT, KEY_LOCATION_LEFT));
        assertEquals(0x36, at(VK_SHIFT, KEY_LOCATION_RIGHT));
        assertEquals(0x1d, at(VK_CONTROL, KEY_LOCATION_LEFT));
        assertEquals(0x38, at(VK_ALT, KEY_LOCATION_LEFT));
        // right Ctrl, right Alt and the Windows keys are E0 keys
        assertEquals(0x11d, at(VK_CONTROL, KEY_LOCATION_RIGHT));
        assertEquals(0x138, at(VK_ALT, KEY_LOCATION_RIGHT));
        assertEquals(0x138, standard(VK_ALT_GRAPH));
        assertEquals(0x15b, at(VK_WINDOWS, KEY_LOCATION_LEFT));
        assertEquals(0x15c, at(VK_WINDOWS, KEY_LOCATION_RIGHT));
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
        assertEquals(0x48, at(VK_UP, KEY_LOCATION_NUMPAD));
        assertEquals(0x48, at(VK_KP_UP, KEY_LOCATION_NUMPAD));
        assertEquals(0x47, at(VK_HOME, KEY_LOCATION_NUMPAD));
        assertEquals(0x52, at(VK_INSERT, KEY_LOCATION_NUMPAD));
        assertEquals(0x53, at(VK_DELETE, KEY_LOCATION_NUMPAD));
        assertEquals(0x4c, at(VK_BEGIN, KEY_LOCATION_NUMPAD));
    }

    @Test
    void keypadKeys() {
        assertEquals(0x52, at(VK_NUMPAD0, KEY_LOCATION_NUMPAD));
        assertEquals(0x49, at(VK_NUMPAD9, KEY_LOCATION_NUMPAD));
        assertEquals(0x11c, at(VK_ENTER, KEY_LOCATION_NUMPAD));
        assertEquals(0x135, at(VK_DIVIDE, KEY_LOCATION_NUMPAD));
        assertEquals(0x37, at(VK_MULTIPLY, KEY_LOCATION_NUMPAD));
        assertEquals(0x4a, at(VK_SUBTRACT, KEY_LOCATION_NUMPAD));
        assertEquals(0x4e, at(VK_ADD, KEY_LOCATION_NUMPAD));
        assertEquals(0x53, at(VK_DECIMAL, KEY_LOCATION_NUMPAD));
        assertEquals(0x45, standard(VK_NUM_LOCK));
    }

    /**
     * Every key AWT reported under Xvfb with the layout set to {@code layout} (src/test/resources/awt-x11) maps
     * through the layout table to the physical key that the X keycode names: the fallback for events without a raw
     * code sends what the raw code would have. Keys outside a 105-key PC keyboard are left out: the keycodes that
     * xdotool pressed for keysyms without a key of their own, and the multimedia keys.
     */
    @ParameterizedTest
    @ValueSource(strings = {"us", "de", "fr"})
    void theLayoutTableFindsThePhysicalKeyOfEveryKeyOfAPcKeyboard(String layout) throws IOException {
        LayoutKeymap map = LayoutKeymap.named(layout);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String line : Captured.lines(layout)) {
            String[] f = line.split(" ", 5);
            int x = Integer.parseInt(f[0]);
            int physical = PhysicalKeys.fromXKeycode(x);
            if (physical < 0 || !Captured.onPcKeyboard(x)) {
                continue;
            }
            int fromLayout = map.scancode(Integer.parseInt(f[1]), Integer.decode(f[2]), Integer.parseInt(f[3]));
            checked++;
            if (fromLayout != physical) {
                wrong.add("X keycode " + x + " (" + f[4] + "): layout gives 0x" + Integer.toHexString(fromLayout)
                        + ", the key is 0x" + Integer.toHexString(physical));
            }
        }
        assertTrue(checked > 90, "only " + checked + " keys checked");
        assertEquals(List.of(), wrong);
    }

    @Test
    void germanAndFrenchKeysThatMoved() {
        LayoutKeymap de = LayoutKeymap.named("de");
        assertEquals(0x15, de.scancode(VK_Z, VK_Z, KEY_LOCATION_STANDARD));
        assertEquals(0x2c, de.scancode(VK_Y, VK_Y, KEY_LOCATION_STANDARD));
        assertEquals(0x0c, de.scancode(VK_UNDEFINED, 0x1000000 + 'ß', KEY_LOCATION_UNKNOWN));
        assertEquals(0x28, de.scancode(VK_UNDEFINED, 0x1000000 + 'Ä', KEY_LOCATION_UNKNOWN));
        assertEquals(0x28, de.scancode(VK_UNDEFINED, 0x1000000 + 'ä', KEY_LOCATION_UNKNOWN));
        assertEquals(0x0d, de.scancode(VK_DEAD_ACUTE, VK_DEAD_ACUTE, KEY_LOCATION_STANDARD));
        assertEquals(0x56, de.scancode(VK_LESS, VK_LESS, KEY_LOCATION_STANDARD));
        assertEquals(0x138, de.scancode(VK_ALT_GRAPH, VK_ALT_GRAPH, KEY_LOCATION_STANDARD));
        LayoutKeymap fr = LayoutKeymap.named("fr");
        assertEquals(0x10, fr.scancode(VK_A, VK_A, KEY_LOCATION_UNKNOWN));
        assertEquals(0x1e, fr.scancode(VK_Q, VK_Q, KEY_LOCATION_UNKNOWN));
        assertEquals(0x02, fr.scancode(VK_AMPERSAND, VK_AMPERSAND, KEY_LOCATION_STANDARD));
        assertEquals(0x1a, fr.scancode(VK_DEAD_CIRCUMFLEX, VK_DEAD_CIRCUMFLEX, KEY_LOCATION_STANDARD));
        // the keypad does not depend on the layout
        assertEquals(0x11c, fr.scancode(VK_ENTER, VK_ENTER, KEY_LOCATION_NUMPAD));
        assertEquals(0x47, fr.scancode(VK_HOME, VK_HOME, KEY_LOCATION_NUMPAD));
    }

    @Test
    void unknownLayoutsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayoutKeymap.named("dvorak"));
        assertTrue(e.getMessage().contains("known: us, de, fr"), e.getMessage());
    }

    @Test
    void keysWithoutAScancodeAreRefused() {
        assertEquals(-1, standard(VK_UNDEFINED));
        assertEquals(-1, standard(VK_F13));
        assertEquals(-1, standard(VK_HELP));
    }
}
