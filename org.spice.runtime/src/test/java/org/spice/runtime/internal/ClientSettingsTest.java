package org.spice.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.cli.ClientSettings;
import org.spice.display.video.VideoCodec;

class ClientSettingsTest {
    @AfterEach
    void clear() {
        System.clearProperty("spice.client.settings");
    }

    @Test
    void settingsPersistBetweenRunsAndNeverHoldAPassword(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/client.properties");
        System.setProperty("spice.client.settings", file.toString());
        ClientSettings none = ClientSettings.load();
        assertNull(none.caFile());
        new ClientSettings(Path.of("/etc/ca.pem"), "C=XX,CN=host", 25).save();
        ClientSettings back = ClientSettings.load();
        assertEquals(Path.of("/etc/ca.pem"), back.caFile());
        assertEquals("C=XX,CN=host", back.hostSubject());
        assertEquals(25, back.timeoutSeconds());
        assertNull(back.preferredCompression());
        assertFalse(Files.readString(file).toLowerCase().contains("password"));
    }

    @Test
    void thePreferredCompressionIsKept(@TempDir Path dir) throws Exception {
        System.setProperty("spice.client.settings", dir.resolve("client.properties").toString());
        new ClientSettings(null, null, null, "lz4", null).save();
        assertEquals("lz4", ClientSettings.load().preferredCompression());
        assertEquals("auto-glz", ScreenshotCommand.compressionName("AUTO_GLZ"));
        assertNull(ScreenshotCommand.compressionName("zstd"));
    }

    @Test
    void thePreferredVideoCodecsAreKeptInTheirCanonicalForm(@TempDir Path dir) throws Exception {
        System.setProperty("spice.client.settings", dir.resolve("client.properties").toString());
        String list = VideoCodec.canonicalList(" H264, vp8,gstreamer:vp9,h264 ,MJPEG");
        assertEquals("h264,vp8,vp9,mjpeg", list);
        new ClientSettings(null, null, null, null, list).save();
        assertEquals(list, ClientSettings.load().preferredVideoCodecs());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> VideoCodec.canonicalList("h264,theora"));
        assertEquals("unknown video codec 'theora' (one of mjpeg, vp8, h264, vp9, h265)", e.getMessage());
    }
}
