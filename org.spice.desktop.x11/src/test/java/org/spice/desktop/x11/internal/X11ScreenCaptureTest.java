package org.spice.desktop.x11.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The checks that need no X server: which displays shared memory can serve and which pixel layouts are read. The
 * capture itself is tested against Xvfb by org.spice.runtime's ScreenSourceIT.
 */
class X11ScreenCaptureTest {
    @Test
    void onlyLocalDisplaysShareMemory() {
        assertNull(X11ScreenCapture.notLocal(":0"));
        assertNull(X11ScreenCapture.notLocal(":99.0"));
        assertNull(X11ScreenCapture.notLocal("unix:1"));
        assertEquals("DISPLAY is not set", X11ScreenCapture.notLocal(null));
        assertEquals("DISPLAY is not set", X11ScreenCapture.notLocal(""));
        assertTrue(X11ScreenCapture.notLocal("localhost:10.0").contains("over the network"));
        assertTrue(X11ScreenCapture.notLocal("host.example:0").contains("over the network"));
    }

    @Test
    void onlyLittleEndianThirtyTwoBitRgbIsRead() {
        assertNull(X11ScreenCapture.unreadable(24, 32, 0, 0xff0000, 0xff00, 0xff));
        assertNull(X11ScreenCapture.unreadable(32, 32, 0, 0xff0000, 0xff00, 0xff));
        assertTrue(X11ScreenCapture.unreadable(16, 16, 0, 0xf800, 0x7e0, 0x1f).contains("depth 16 at 16 bits"));
        assertTrue(X11ScreenCapture.unreadable(24, 32, 1, 0xff0000, 0xff00, 0xff).contains("byte order 1"));
        assertTrue(X11ScreenCapture.unreadable(24, 32, 0, 0xff, 0xff00, 0xff0000).contains("masks ff/ff00/ff0000"));
    }
}
