package org.spice.inputs.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.desktop.UsKeyboard;

class SendKeysCommandTest {

    @Test
    void keysNamesCombosAndText() {
        List<SendKeysCommand.Step> s = SendKeysCommand.steps(List.of("ESC", "enter", "F12", "ctrl+alt+del",
                "text:Hi!", "KP+", "a"));
        assertEquals(List.of("ESC", "enter", "F12", "ctrl+alt+del", "H", "i", "!", "KP+", "a"),
                s.stream().map(SendKeysCommand.Step::label).toList());
        assertArrayEquals(new int[] {0x01}, s.get(0).codes());
        assertArrayEquals(new int[] {0x1c}, s.get(1).codes());
        assertArrayEquals(new int[] {0x58}, s.get(2).codes());
        assertArrayEquals(new int[] {0x1d, 0x38, UsKeyboard.DELETE}, s.get(3).codes());
        assertArrayEquals(new int[] {UsKeyboard.LEFT_SHIFT, 0x23}, s.get(4).codes());
        assertArrayEquals(new int[] {0x17}, s.get(5).codes());
        assertArrayEquals(new int[] {UsKeyboard.LEFT_SHIFT, 0x02}, s.get(6).codes());
        assertArrayEquals(new int[] {0x4e}, s.get(7).codes());
        assertArrayEquals(new int[] {0x1e}, s.get(8).codes());
    }

    @Test
    void unknownKeysAreUsageErrorsBeforeAnythingIsSent() {
        assertThrows(IllegalArgumentException.class, () -> SendKeysCommand.steps(List.of("ESC", "F13")));
        assertThrows(IllegalArgumentException.class, () -> SendKeysCommand.steps(List.of("ctrl+")));
        assertThrows(IllegalArgumentException.class, () -> SendKeysCommand.steps(List.of("+")));
        assertThrows(IllegalArgumentException.class, () -> SendKeysCommand.steps(List.of("text:caf\u00e9")));
        assertThrows(IllegalArgumentException.class, () -> SendKeysCommand.steps(List.of("")));
    }
}
