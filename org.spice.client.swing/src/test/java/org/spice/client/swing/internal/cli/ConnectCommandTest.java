package org.spice.client.swing.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.client.swing.api.VvFile;

/** What the connection dialog tells the user about what they typed: a sentence, never an exception. */
class ConnectCommandTest {
    @TempDir
    Path dir;

    @Test
    void malformedAddressesGetAMessage() {
        for (String bad : List.of("spice://", "spice://host", "http://host:80", "host:5900x", "spice://h:99999")) {
            String why = ConnectCommand.check(bad);
            assertNotNull(why, bad + " was accepted");
            assertTrue(!why.isBlank() && !why.contains("Exception"), why);
        }
        assertNull(ConnectCommand.check("spice://127.0.0.1:5900"));
        assertNull(ConnectCommand.check("spice+tls://example.com:5901"));
    }

    @Test
    void disableEffectsTakesRemoteViewersNames() {
        ConnectCommand c = new ConnectCommand(null);
        c.disableEffects = "wallpaper, font-smooth,animation,all";
        c.validate();
        c.disableEffects = "wallpaper,sparkles";
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                c::validate);
        assertEquals("--disable-effects: 'sparkles' is not a display effect (wallpaper, font-smooth, animation, all)",
                e.getMessage());
    }

    @Test
    void vvFilesAreCheckedAndTheirUnknownKeysListed() throws IOException {
        assertEquals(dir.resolve("none.vv") + ": no such readable file",
                ConnectCommand.check(dir.resolve("none.vv").toString()));
        Path broken = Files.writeString(dir.resolve("broken.vv"), "[virt-viewer]\ntype=vnc\nhost=h\nport=1\n");
        assertEquals("type=vnc: only spice connections are supported", ConnectCommand.check(broken.toString()));
        Path extra = Files.writeString(dir.resolve("extra.vv"),
                "[virt-viewer]\ntype=spice\nhost=h\nport=5900\nproxy=http://p:3128\nusb-filter=-1,-1,-1,-1,0\n");
        assertNull(ConnectCommand.check(extra.toString()));
        assertEquals(List.of("usb-filter"), VvFile.read(extra).ignoredKeys()); // proxy= is used (HTTP CONNECT)
    }
}
