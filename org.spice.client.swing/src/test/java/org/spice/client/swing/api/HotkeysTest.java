package org.spice.client.swing.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HotkeysTest {
    @Test
    void remoteViewersSyntaxSetsTheNamedActionsAndKeepsTheOthers() {
        Hotkeys h = Hotkeys.parse("release-cursor=ctrl+shift+F12, toggle-fullscreen=");
        assertEquals(List.of("ctrl", "shift", "f12"), h.of(Hotkeys.RELEASE_CURSOR));
        assertEquals("Ctrl+Shift+F12", h.label(Hotkeys.RELEASE_CURSOR));
        assertEquals(List.of(), h.of(Hotkeys.TOGGLE_FULLSCREEN));
        assertEquals(List.of("ctrl", "alt", "end"), h.of(Hotkeys.SECURE_ATTENTION));
        assertEquals("Ctrl+Alt", Hotkeys.parse(null).label(Hotkeys.RELEASE_CURSOR));
    }

    @Test
    void mistakesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Hotkeys.parse("release=ctrl+alt"))
                .getMessage().contains("unknown hotkey action 'release'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Hotkeys.parse("release-cursor=ctrl+hyper"))
                .getMessage().contains("unknown key 'hyper'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Hotkeys.parse("release-cursor"))
                .getMessage().contains("is not ACTION=KEYS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Hotkeys.parse("release-cursor=a+b"))
                .getMessage().contains("more than one key"));
    }
}
