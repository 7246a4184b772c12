package org.spice.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UsKeyboardTest {

    @Test
    void textBecomesStrokes() {
        assertEquals(List.of(new UsKeyboard.Stroke(0x23, true), new UsKeyboard.Stroke(0x17, false),
                new UsKeyboard.Stroke(0x02, true), new UsKeyboard.Stroke(0x39, false),
                new UsKeyboard.Stroke(0x1c, false), new UsKeyboard.Stroke(0x28, true)),
                UsKeyboard.strokes("Hi! \n\""));
    }

    @Test
    void everyPrintableAsciiCharacterHasAKeyAndComesBack() {
        for (char c = ' '; c < 127; c++) {
            UsKeyboard.Stroke s = UsKeyboard.stroke(c);
            assertEquals(c, UsKeyboard.character(s.code(), s.shift()), "character " + c);
        }
    }

    @Test
    void charactersWithoutAKeyAreRefusedBeforeAnything() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UsKeyboard.strokes("caf\u00e9"));
        assertTrue(e.getMessage().contains("U+00E9"), e.getMessage());
    }

    @Test
    void namesBothWays() {
        assertEquals(0x01, UsKeyboard.code("ESC"));
        assertEquals(0x01, UsKeyboard.code("escape"));
        assertEquals(0x1c, UsKeyboard.code("Enter"));
        assertEquals(0x0f, UsKeyboard.code("TAB"));
        assertEquals(0x3b, UsKeyboard.code("F1"));
        assertEquals(0x44, UsKeyboard.code("F10"));
        assertEquals(0x57, UsKeyboard.code("f11"));
        assertEquals(0x58, UsKeyboard.code("F12"));
        assertEquals(UsKeyboard.UP, UsKeyboard.code("UP"));
        assertEquals(UsKeyboard.DOWN, UsKeyboard.code("down"));
        assertEquals(UsKeyboard.LEFT, UsKeyboard.code("Left"));
        assertEquals(UsKeyboard.RIGHT, UsKeyboard.code("RIGHT"));
        assertEquals(UsKeyboard.DELETE, UsKeyboard.code("del"));
        assertEquals(0x1e, UsKeyboard.code("a"));
        assertEquals(0x1e, UsKeyboard.code("A"));
        assertEquals(0x35, UsKeyboard.code("/"));
        assertThrows(IllegalArgumentException.class, () -> UsKeyboard.code("F13"));
        assertThrows(IllegalArgumentException.class, () -> UsKeyboard.code("!"));
        assertEquals("a", UsKeyboard.name(0x1e));
        assertEquals("Up", UsKeyboard.name(0x148));
        assertEquals("Esc", UsKeyboard.name(0x01));
        assertEquals("unknown 0xe0-prefixed", UsKeyboard.name(0x17f));
        assertEquals(-1, UsKeyboard.character(0x01, false));
        assertEquals('A', UsKeyboard.character(0x1e, true));
    }

    @Test
    void keyEventsDescribeTheirBytes() {
        assertEquals("0x1e", new KeyEvent(1, 0x1e, true).bytes());
        assertEquals("0x9e", new KeyEvent(1, 0x1e, false).bytes());
        assertEquals("0xe0 0x48", new KeyEvent(1, 0x148, true).bytes());
        assertEquals(0xe0, new KeyEvent(1, 0x148, true).prefix());
        assertEquals(0xe1, new KeyEvent(1, 0x21d, true).prefix());
        assertThrows(IllegalArgumentException.class, () -> new KeyEvent(1, 0x9e, true));
    }
}
