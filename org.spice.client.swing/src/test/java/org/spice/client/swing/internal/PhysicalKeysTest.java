package org.spice.client.swing.internal;

import static java.awt.event.KeyEvent.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spice.client.swing.internal.PhysicalKeys.Platform;
import org.spice.inputs.api.UsKeyboard;

class PhysicalKeysTest {
    @Test
    void xKeycodesOfTheMainBlockAreEvdevCodesMinusEight() {
        assertEquals(UsKeyboard.ESC, PhysicalKeys.fromXKeycode(9));
        assertEquals(0x02, PhysicalKeys.fromXKeycode(10)); // 1
        assertEquals(0x10, PhysicalKeys.fromXKeycode(24)); // Q (A on AZERTY)
        assertEquals(0x15, PhysicalKeys.fromXKeycode(29)); // Y (Z on QWERTZ)
        assertEquals(0x2c, PhysicalKeys.fromXKeycode(52)); // Z (Y on QWERTZ)
        assertEquals(0x29, PhysicalKeys.fromXKeycode(49)); // ` (^ on QWERTZ, a dead key)
        assertEquals(0x0d, PhysicalKeys.fromXKeycode(21)); // = (´ on QWERTZ, a dead key)
        assertEquals(UsKeyboard.LEFT_SHIFT, PhysicalKeys.fromXKeycode(50));
        assertEquals(UsKeyboard.LEFT_CTRL, PhysicalKeys.fromXKeycode(37));
        assertEquals(UsKeyboard.LEFT_ALT, PhysicalKeys.fromXKeycode(64));
        assertEquals(UsKeyboard.SPACE, PhysicalKeys.fromXKeycode(65));
        assertEquals(UsKeyboard.F1, PhysicalKeys.fromXKeycode(67));
        assertEquals(UsKeyboard.F11, PhysicalKeys.fromXKeycode(95));
        assertEquals(UsKeyboard.F12, PhysicalKeys.fromXKeycode(96));
    }

    @Test
    void keypadKeys() {
        assertEquals(0x45, PhysicalKeys.fromXKeycode(77)); // Num Lock
        assertEquals(0x47, PhysicalKeys.fromXKeycode(79)); // KP7 / Home
        assertEquals(0x4f, PhysicalKeys.fromXKeycode(87)); // KP1 / End
        assertEquals(0x52, PhysicalKeys.fromXKeycode(90)); // KP0 / Insert
        assertEquals(0x53, PhysicalKeys.fromXKeycode(91)); // KP. (KP, on German layouts)
        assertEquals(0x37, PhysicalKeys.fromXKeycode(63)); // KP*
        assertEquals(0x4a, PhysicalKeys.fromXKeycode(82)); // KP-
        assertEquals(0x4e, PhysicalKeys.fromXKeycode(86)); // KP+
        assertEquals(UsKeyboard.KP_ENTER, PhysicalKeys.fromXKeycode(104));
        assertEquals(0x135, PhysicalKeys.fromXKeycode(106)); // KP/
    }

    @Test
    void e0Keys() {
        assertEquals(UsKeyboard.RIGHT_CTRL, PhysicalKeys.fromXKeycode(105));
        assertEquals(UsKeyboard.RIGHT_ALT, PhysicalKeys.fromXKeycode(108)); // AltGr: E0 38
        assertEquals(UsKeyboard.HOME, PhysicalKeys.fromXKeycode(110));
        assertEquals(UsKeyboard.UP, PhysicalKeys.fromXKeycode(111));
        assertEquals(UsKeyboard.PAGE_UP, PhysicalKeys.fromXKeycode(112));
        assertEquals(UsKeyboard.LEFT, PhysicalKeys.fromXKeycode(113));
        assertEquals(UsKeyboard.RIGHT, PhysicalKeys.fromXKeycode(114));
        assertEquals(UsKeyboard.END, PhysicalKeys.fromXKeycode(115));
        assertEquals(UsKeyboard.DOWN, PhysicalKeys.fromXKeycode(116));
        assertEquals(UsKeyboard.PAGE_DOWN, PhysicalKeys.fromXKeycode(117));
        assertEquals(UsKeyboard.INSERT, PhysicalKeys.fromXKeycode(118));
        assertEquals(UsKeyboard.DELETE, PhysicalKeys.fromXKeycode(119));
        assertEquals(0x15b, PhysicalKeys.fromXKeycode(133)); // left Windows key
        assertEquals(0x15c, PhysicalKeys.fromXKeycode(134)); // right Windows key
        assertEquals(0x15d, PhysicalKeys.fromXKeycode(135)); // menu
        assertEquals(0x146, PhysicalKeys.fromXKeycode(127)); // Pause
    }

    @Test
    void isoAndJapaneseKeys() {
        assertEquals(0x56, PhysicalKeys.fromXKeycode(94)); // the 102nd key: < > on ISO keyboards
        assertEquals(0x73, PhysicalKeys.fromXKeycode(97)); // Ro (Japanese \ _)
        assertEquals(0x7d, PhysicalKeys.fromXKeycode(132)); // Yen
        assertEquals(0x79, PhysicalKeys.fromXKeycode(100)); // Henkan
        assertEquals(0x7b, PhysicalKeys.fromXKeycode(102)); // Muhenkan
        assertEquals(0x70, PhysicalKeys.fromXKeycode(101)); // Katakana/Hiragana
    }

    @Test
    void keycodesWithoutAKeyHaveNoScancode() {
        assertEquals(-1, PhysicalKeys.fromXKeycode(8));
        assertEquals(-1, PhysicalKeys.fromXKeycode(0));
        assertEquals(-1, PhysicalKeys.fromXKeycode(300));
        assertEquals(-1, PhysicalKeys.fromLinux(122)); // Hangeul: F2, no set-1 code in one byte
        assertEquals(-1, PhysicalKeys.scancode(Platform.X11, 0, 0, VK_A, KEY_LOCATION_STANDARD));
        assertEquals(-1, PhysicalKeys.scancode(Platform.OTHER, 38, 30, VK_A, KEY_LOCATION_STANDARD));
    }

    @Test
    void eachKeyOfTheCapturesHasADistinctScancode() throws IOException {
        Map<Integer, Integer> byScancode = new HashMap<>();
        for (String line : Captured.lines("us")) {
            int x = Integer.parseInt(line.split(" ")[0]);
            int c = PhysicalKeys.fromXKeycode(x);
            if (c >= 0) {
                Integer before = byScancode.put(c, x);
                assertEquals(true, before == null || before == x || x == 107 || before == 107 || x == 92
                        || before == 92, "X keycodes " + before + " and " + x + " share 0x" + Integer.toHexString(c));
            }
        }
    }

    @Test
    void windowsScancodesTakeTheirPrefixFromTheKey() {
        assertEquals(0x1e, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x1e, VK_A, KEY_LOCATION_STANDARD));
        assertEquals(0x1d, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x1d, VK_CONTROL, KEY_LOCATION_LEFT));
        assertEquals(0x11d, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x1d, VK_CONTROL, KEY_LOCATION_RIGHT));
        assertEquals(0x138, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x38, VK_ALT_GRAPH, KEY_LOCATION_STANDARD));
        assertEquals(0x148, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x48, VK_UP, KEY_LOCATION_STANDARD));
        assertEquals(0x48, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x48, VK_UP, KEY_LOCATION_NUMPAD));
        assertEquals(0x48, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x48, VK_NUMPAD8, KEY_LOCATION_NUMPAD));
        assertEquals(0x11c, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x1c, VK_ENTER, KEY_LOCATION_NUMPAD));
        assertEquals(0x1c, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x1c, VK_ENTER, KEY_LOCATION_STANDARD));
        assertEquals(0x15b, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x5b, VK_WINDOWS, KEY_LOCATION_LEFT));
        assertEquals(0x56, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x56, VK_LESS, KEY_LOCATION_STANDARD));
        assertEquals(0x135, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0x35, VK_DIVIDE, KEY_LOCATION_NUMPAD));
        assertEquals(-1, PhysicalKeys.scancode(Platform.WINDOWS, 0, 0, VK_A, KEY_LOCATION_STANDARD));
    }

    @Test
    void macVirtualKeyCodes() {
        assertEquals(0x1f, PhysicalKeys.scancode(Platform.MAC, 0x01, 0, VK_S, KEY_LOCATION_STANDARD)); // kVK_ANSI_S
        assertEquals(0x2c, PhysicalKeys.fromMac(0x06)); // kVK_ANSI_Z
        assertEquals(0x1c, PhysicalKeys.fromMac(0x24)); // kVK_Return
        assertEquals(0x11c, PhysicalKeys.fromMac(0x4c)); // kVK_ANSI_KeypadEnter
        assertEquals(0x148, PhysicalKeys.fromMac(0x7e)); // kVK_UpArrow
        assertEquals(0x15b, PhysicalKeys.fromMac(0x37)); // kVK_Command: the left Windows key
        assertEquals(0x138, PhysicalKeys.fromMac(0x3d)); // kVK_RightOption
        assertEquals(0x56, PhysicalKeys.fromMac(0x0a)); // kVK_ISO_Section
        assertEquals(-1, PhysicalKeys.fromMac(0x34));
        assertEquals(-1, PhysicalKeys.fromMac(500));
    }

    @Test
    void rawCodesAreReadFromTheEventsParameterString() {
        assertArrayEquals(new long[] {52, 0}, AwtKeys.parse("KEY_PRESSED,keyCode=90,keyText=Z,keyChar='z',"
                + "keyLocation=KEY_LOCATION_STANDARD,rawCode=52,primaryLevelUnicode=122,scancode=0,"
                + "extendedKeyCode=0x5a"));
        assertArrayEquals(new long[] {0, 0}, AwtKeys.parse("KEY_PRESSED,keyCode=90"));
        assertArrayEquals(new long[] {0, 0}, AwtKeys.parse(",rawCode=99999999999999999999,scancode=1"));
    }
}
