package org.spice.client.swing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.spice.client.swing.api.Hotkeys;

class HotkeyMatcherTest {
    @Test
    void ctrlAltAloneReleasesOnTheFirstRelease() {
        HotkeyMatcher m = new HotkeyMatcher(Hotkeys.DEFAULT);
        assertNull(m.pressed("ctrl"));
        assertNull(m.pressed("alt"));
        assertEquals(Hotkeys.RELEASE_CURSOR, m.released("alt"));
        assertNull(m.released("ctrl"));
    }

    @Test
    void ctrlAltDelIsTheGuestsNotARelease() {
        HotkeyMatcher m = new HotkeyMatcher(Hotkeys.DEFAULT);
        m.pressed("ctrl");
        m.pressed("alt");
        assertNull(m.pressed("delete"));
        assertNull(m.released("delete"));
        assertNull(m.released("alt"));
        assertNull(m.released("ctrl"));
        // Ctrl+Alt+Shift is not Ctrl+Alt either
        m.pressed("ctrl");
        m.pressed("alt");
        m.pressed("shift");
        assertNull(m.released("shift"));
    }

    @Test
    void combinationsWithAKeyFireOnItsPressWithExactlyTheirModifiers() {
        HotkeyMatcher m = new HotkeyMatcher(Hotkeys.DEFAULT);
        m.pressed("shift");
        assertEquals(Hotkeys.TOGGLE_FULLSCREEN, m.pressed("f11"));
        m.released("f11");
        m.released("shift");
        assertNull(m.pressed("f11"));
        m.released("f11");
        m.pressed("ctrl");
        m.pressed("alt");
        assertEquals(Hotkeys.SECURE_ATTENTION, m.pressed("end"));
    }

    @Test
    void configuredReleaseKeysReplaceCtrlAlt() {
        HotkeyMatcher m = new HotkeyMatcher(Hotkeys.parse("release-cursor=ctrl+shift+f12"));
        m.pressed("ctrl");
        m.pressed("alt");
        assertNull(m.released("alt"));
        m.released("ctrl");
        m.pressed("ctrl");
        m.pressed("shift");
        assertEquals(Hotkeys.RELEASE_CURSOR, m.pressed("f12"));
        assertEquals("f12", HotkeyMatcher.name(java.awt.event.KeyEvent.VK_F12));
        assertEquals("q", HotkeyMatcher.name(java.awt.event.KeyEvent.VK_Q));
    }
}
