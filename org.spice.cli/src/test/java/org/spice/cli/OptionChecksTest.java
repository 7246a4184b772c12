package org.spice.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionChecksTest {

    private static String refusal(org.junit.jupiter.api.function.Executable check) {
        return assertThrows(IllegalArgumentException.class, check).getMessage();
    }

    @Test
    void aFileToReadMustBeAReadableFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "secret");
        assertDoesNotThrow(() -> OptionChecks.readableFile(file));
        assertDoesNotThrow(() -> OptionChecks.readableFile(null));
        assertEquals("cannot read " + dir, refusal(() -> OptionChecks.readableFile(dir)));
        Path missing = dir.resolve("missing");
        assertEquals("cannot read " + missing, refusal(() -> OptionChecks.readableFile(missing)));
    }

    @Test
    void directoriesAndFolders(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertDoesNotThrow(() -> OptionChecks.directoryOrAbsent(dir, "OUT"));
        assertDoesNotThrow(() -> OptionChecks.directoryOrAbsent(dir.resolve("new"), "OUT"));
        assertEquals("--record " + file + " is not a directory",
                refusal(() -> OptionChecks.directoryOrAbsent(file, "--record " + file)));
        assertDoesNotThrow(() -> OptionChecks.folder(dir, "DIR"));
        assertEquals("--share-dir x: not a folder", refusal(() -> OptionChecks.folder(file, "--share-dir x")));
        assertEquals("DIR: not a folder", refusal(() -> OptionChecks.folder(dir.resolve("new"), "DIR")));
    }

    @Test
    void rangesIncludeBothEnds() {
        assertDoesNotThrow(() -> OptionChecks.range("--fps", 1, 1, 120));
        assertDoesNotThrow(() -> OptionChecks.range("--fps", 120, 1, 120));
        assertEquals("--fps must be 1..120, not 0", refusal(() -> OptionChecks.range("--fps", 0, 1, 120)));
        assertEquals("--record-max-mb must be 1..1048576, not 1048577",
                refusal(() -> OptionChecks.range("--record-max-mb", 1048577, 1, 1024 * 1024)));
    }

    @Test
    void hostPortTakesTheLastColonAndAPortFrom1To65535() {
        InetSocketAddress a = OptionChecks.hostPort("--connect", "127.0.0.1:4444");
        assertEquals("127.0.0.1", a.getHostString());
        assertEquals(4444, a.getPort());
        assertTrue(a.isUnresolved());
        assertEquals("::1", OptionChecks.hostPort("--connect", "::1:22").getHostString());
        assertEquals("--connect wants HOST:PORT, not foo", refusal(() -> OptionChecks.hostPort("--connect", "foo")));
        assertEquals("--connect wants HOST:PORT, not :80", refusal(() -> OptionChecks.hostPort("--connect", ":80")));
        assertEquals("--connect wants HOST:PORT, not h:", refusal(() -> OptionChecks.hostPort("--connect", "h:")));
        assertEquals("--connect h:x: bad port", refusal(() -> OptionChecks.hostPort("--connect", "h:x")));
        assertEquals("--connect h:0: port out of range", refusal(() -> OptionChecks.hostPort("--connect", "h:0")));
        assertEquals("--connect h:65536: port out of range",
                refusal(() -> OptionChecks.hostPort("--connect", "h:65536")));
    }
}
