package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./spice share-folder DIR URI} against the real spice-webdavd in the Linux guest (QEMU's spiceport chardev
 * org.spice-space.webdav.0): inside the guest busybox wget lists the folder and reads a 20 MB file with the same
 * sha256, a PROPFIND lists it, a PUT creates a file in DIR, and "/../etc/passwd" and a symbolic link out of DIR are
 * refused with 403. Then, in the same boot, {@code --share-read-only} of another folder: the guest reads alike and
 * its PUT gets 403, creating nothing.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class GuestWebdavIT {
    static final String PORT = "org.spice-space.webdav.0";
    static final int BYTES = 20 * 1024 * 1024;

    @Test
    void theGuestListsReadsAndWritesTheSharedFolderThenAReadOnlyShareRefusesThePut() throws IOException {
        try (Guest g = Guest.test("webdav")
                .qemu("-device", "virtio-serial", "-chardev", "spiceport,id=webdav,name=" + PORT,
                        "-device", "virtserialport,chardev=webdav,name=" + PORT)
                .boot(Peers.workDir(getClass(), "guest"))) {
            g.await("webdav spice-webdavd on \\S+", Duration.ofSeconds(90));
            share(g, false, 0);
            // the guest goes on once the first share has ended (QEMU takes one client at a time)
            int mark = g.log().length();
            g.send("again");
            g.awaitAfter(mark, "webdav again, spice-webdavd (still running|started again)", Duration.ofSeconds(30));
            share(g, true, mark);
            g.send("done");
            g.await("end", Duration.ofSeconds(30));
        }
    }

    /** Shares a new folder and checks what the guest reports of it from character {@code from} of its log on. */
    private void share(Guest g, boolean readOnly, int from) throws IOException {
        Path work = Peers.workDir(getClass(), readOnly ? "webdav-read-only" : "webdav");
        Path dir = Files.createDirectories(work.resolve("shared"));
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "not for the guest");
        Files.deleteIfExists(dir.resolve("escape"));
        Files.createSymbolicLink(dir.resolve("escape"), outside);
        Files.deleteIfExists(dir.resolve("from-guest.txt"));
        Random r = new Random(17);
        byte[] b = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(dir.resolve("big.bin"))) {
            for (int n = 0; n < BYTES; n += b.length) {
                r.nextBytes(b);
                out.write(b);
            }
        }
        String sha = GuestPortIT.sha256(dir.resolve("big.bin"));
        try (Proc share = Spice.command(List.of(), readOnly
                ? new String[] {"share-folder", "--share-read-only", dir.toString(), g.uri()}
                : new String[] {"share-folder", dir.toString(), g.uri()}).start(work, "share")) {
            Matcher list = g.awaitAfter(from, "webdav list (.*)", Duration.ofSeconds(150));
            assertTrue(list.group(1).contains("big.bin"), list.group());
            Matcher get = g.awaitAfter(from, "webdav get bytes=(\\d+) sha256=(\\w+)", Duration.ofSeconds(240));
            assertEquals(Integer.toString(BYTES), get.group(1), g.describe());
            assertEquals(sha, get.group(2), "sha256 of what the guest read\n" + g.describe());
            Matcher propfind = g.awaitAfter(from, "webdav propfind (.*)", Duration.ofSeconds(30));
            assertTrue(propfind.group(1).startsWith("HTTP/1.1 207") && propfind.group(1).contains("/big.bin"),
                    propfind.group());
            Matcher put = g.awaitAfter(from, "webdav put (.*)", Duration.ofSeconds(30));
            if (readOnly) {
                assertTrue(put.group(1).startsWith("HTTP/1.1 403"), put.group());
                assertFalse(Files.exists(dir.resolve("from-guest.txt")));
            } else {
                assertTrue(put.group(1).startsWith("HTTP/1.1 201"), put.group());
                assertEquals("hello from guest",
                        Files.readString(dir.resolve("from-guest.txt"), StandardCharsets.UTF_8));
            }
            Matcher dotdot = g.awaitAfter(from, "webdav dotdot (.*)", Duration.ofSeconds(30));
            assertTrue(dotdot.group(1).startsWith("HTTP/1.1 403"), dotdot.group() + "\n" + share.describe());
            Matcher link = g.awaitAfter(from, "webdav symlink (.*)", Duration.ofSeconds(30));
            assertTrue(link.group(1).startsWith("HTTP/1.1 403"), link.group() + "\n" + share.describe());
            g.awaitAfter(from, "webdav done", Duration.ofSeconds(30));
        }
    }
}
