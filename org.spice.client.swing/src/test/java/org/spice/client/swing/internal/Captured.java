package org.spice.client.swing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** AWT key events captured under Xvfb (src/test/resources/awt-x11/LAYOUT.txt). */
final class Captured {
    private Captured() {
    }

    /** The lines of one layout's capture, comments left out: X keycode, key code, extended key code, location, text. */
    static List<String> lines(String layout) throws IOException {
        try (InputStream in = Captured.class.getResourceAsStream("/awt-x11/" + layout + ".txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#"))
                    .toList();
        }
    }

    /**
     * Whether X keycode {@code x} is a key of a 105-key PC keyboard with a layout-table entry: 9..91 (Esc to the
     * keypad's '.'), the less-than key 94, F11 and F12, keypad Enter, right Ctrl, keypad '/', right Alt, the
     * navigation block 110..119, Pause, the left Windows key and the menu key. Not the right Windows key (134):
     * AWT reports both Windows keys at the standard location, so only the raw code tells them apart; not Print
     * (107): keycodemapdb, and with it remote-viewer, sends it as 0x54 (SysRq), the table as E0 37; nor 92, where
     * xdotool put ISO_Level3_Shift on a keycode no keyboard has, nor the multimedia keys.
     */
    static boolean onPcKeyboard(int x) {
        return x >= 9 && x <= 91 || x >= 94 && x <= 96 || x >= 104 && x <= 106 || x == 108
                || x >= 110 && x <= 119 || x == 127 || x == 133 || x == 135;
    }
}
