package org.spice.agent.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Clipboard text for a guest whose agent announces GUEST_LINEEND_CRLF (a Windows guest), both ways. */
class LineEndsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void lfBecomesCrLfOnceAndBack() {
        assertArrayEquals(b("a\r\nb\r\n\r\nc"), LineEnds.toCrLf(b("a\nb\n\nc")));
        assertArrayEquals(b("a\nb\n\nc"), LineEnds.toLf(b("a\r\nb\r\n\r\nc")));
        // text that already has CR LF is not given a second CR; a CR alone is not a line end and stays
        assertArrayEquals(b("x\r\ny\rz"), LineEnds.toCrLf(b("x\r\ny\rz")));
        assertArrayEquals(b("x\ny\rz\r"), LineEnds.toLf(b("x\r\ny\rz\r")));
        assertArrayEquals(b("\r\nü€\r\n"), LineEnds.toCrLf(b("\nü€\n")));
        assertArrayEquals(new byte[0], LineEnds.toLf(new byte[0]));
    }
}
