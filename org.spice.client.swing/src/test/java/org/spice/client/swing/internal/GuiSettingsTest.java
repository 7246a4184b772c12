package org.spice.client.swing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuiSettingsTest {
    @TempDir
    Path dir;

    @Test
    void resizeGuestAndRecentConnectionsAreKeptWithoutPasswords() throws IOException {
        Path file = dir.resolve("spice-jvm/gui.properties");
        GuiSettings s = new GuiSettings(file);
        assertTrue(s.resizeGuest(), "on by default, as remote-viewer");
        s.setResizeGuest(false);
        s.remember("spice://a:5900");
        s.remember("spice://b:5900?tls-port=5901&password=secret");
        s.remember("spice://a:5900");
        GuiSettings again = new GuiSettings(file);
        assertFalse(again.resizeGuest());
        assertEquals(List.of("spice://a:5900", "spice://b:5900?tls-port=5901"), again.recent());
        assertFalse(Files.readString(file).contains("secret"));
    }

    @Test
    void theStatusLineIsOnUntilTurnedOff() {
        Path file = dir.resolve("spice-jvm/gui.properties");
        GuiSettings s = new GuiSettings(file);
        assertTrue(s.statusLine());
        s.setStatusLine(false);
        assertFalse(new GuiSettings(file).statusLine());
        s.setStatusLine(true);
        assertTrue(new GuiSettings(file).statusLine());
    }

    @Test
    void onlyTheLatestConnectionsAreKept() {
        GuiSettings s = new GuiSettings(dir.resolve("gui.properties"));
        for (int i = 0; i < GuiSettings.RECENT_MAX + 3; i++) {
            s.remember("spice://h" + i + ":5900");
        }
        List<String> recent = new GuiSettings(dir.resolve("gui.properties")).recent();
        assertEquals(GuiSettings.RECENT_MAX, recent.size());
        assertEquals("spice://h" + (GuiSettings.RECENT_MAX + 2) + ":5900", recent.get(0));
    }

    @Test
    void aBrokenFileIsIgnored() throws IOException {
        Path file = Files.writeString(dir.resolve("gui.properties"), "resize-guest=\\u12");
        assertTrue(new GuiSettings(file).resizeGuest());
    }
}
