package org.spice.client.swing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keychain through a stand-in secret-tool that keeps items as files, as the real one keeps them in the Secret
 * Service: the password goes on standard input and comes back on standard output, never as an argument; the item
 * is named by the address without its password query; without secret-tool or a session bus there is no keychain.
 */
class KeychainTest {
    @TempDir
    Path dir;

    /** A secret-tool that logs its arguments and keeps each item in a file named after its server attribute. */
    private Keychain fake() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = bin.resolve("secret-tool");
        Files.writeString(tool, """
                #!/bin/sh
                echo "$@" >> "%1$s/args"
                case "$1" in
                  store) key=$(printf '%%s' "$6" | tr '/:?&=' '_____'); cat > "%1$s/item-$key" ;;
                  lookup) key=$(printf '%%s' "$5" | tr '/:?&=' '_____'); [ -f "%1$s/item-$key" ] || exit 1
                          cat "%1$s/item-$key" ;;
                  clear) key=$(printf '%%s' "$5" | tr '/:?&=' '_____'); rm -f "%1$s/item-$key" ;;
                esac
                """.formatted(dir));
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        return Keychain.find(Map.of("PATH", bin.toString(), "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nowhere"));
    }

    @Test
    void aKeptPasswordComesBackForItsAddressOnlyAndNeverAsAnArgument() throws IOException {
        Keychain k = fake();
        assertNull(k.unavailable());
        assertNull(k.lookup("spice://127.0.0.1:5930"), "nothing kept yet");
        assertTrue(k.store("spice://127.0.0.1:5930?password=Secr3t-é", "Secr3t-é"));
        assertEquals("Secr3t-é", k.lookup("spice://127.0.0.1:5930"));
        assertNull(k.lookup("spice://127.0.0.1:5931"), "another address");
        String args = Files.readString(dir.resolve("args"), StandardCharsets.UTF_8);
        assertFalse(args.contains("Secr3t"), "the password was an argument: " + args);
        assertTrue(args.contains("store --label=SPICE password for spice://127.0.0.1:5930 application "
                + Keychain.APPLICATION + " server spice://127.0.0.1:5930"), args);
        k.clear("spice://127.0.0.1:5930");
        assertNull(k.lookup("spice://127.0.0.1:5930"), "still kept after clear");
    }

    @Test
    void withoutSecretToolOrASessionBusThereIsNoKeychain() throws IOException {
        fake();
        Keychain noTool = Keychain.find(Map.of("PATH", dir.toString(), "DBUS_SESSION_BUS_ADDRESS", "unix:path=/x"));
        assertTrue(noTool.unavailable().contains("secret-tool"), noTool.unavailable());
        assertNull(noTool.lookup("spice://h:1"));
        assertFalse(noTool.store("spice://h:1", "p"));
        Keychain noBus = Keychain.find(Map.of("PATH", dir.resolve("bin").toString()));
        assertTrue(noBus.unavailable().contains("DBUS_SESSION_BUS_ADDRESS"), noBus.unavailable());
        assertNull(noBus.lookup("spice://h:1"));
        assertFalse(Files.exists(dir.resolve("args")), "secret-tool ran without a keychain");
    }
}
