package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Folder sharing, server role: spicy (spice-gtk, under Xvfb) shares a folder with {@code ./spice shell --webdav
 * 127.0.0.1}, which stands in for the guest's spice-webdavd: the folder is served as WebDAV on a loopback port of
 * its own, which the log and {@code spice:webdav} name; curl lists it (PROPFIND), reads a 5 MB file with the same
 * sha256 and a file in a subfolder, and two reads at once both complete (two streams of the multiplex).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OurServerWebdavIT {
    @Test
    void spicysSharedFolderIsServedOnThisHostAsWebdav() throws Exception {
        Path dir = Peers.workDir(getClass(), "share");
        Path shared = Files.createDirectories(dir.resolve("shared"));
        byte[] big = new byte[5 << 20];
        new Random(11).nextBytes(big);
        Files.write(shared.resolve("big.bin"), big);
        Files.writeString(shared.resolve("hello.txt"), "hello from spicy's folder\n");
        Files.createDirectories(shared.resolve("sub"));
        Files.writeString(shared.resolve("sub/inner.txt"), "inside\n");
        int port = Peers.freePort();
        List<String> bounded = List.of(Peers.binary("timeout"), "-k", "5",
                Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds()));
        try (Proc shell = Spice.command(bounded, "shell", "--listen", "127.0.0.1:" + port, "--webdav", "127.0.0.1")
                .pipedInput().start(dir, "shell");
                Xvfb x = Xvfb.start(dir, "1024x768x24")) {
            shell.awaitStdout("SPICE server listening on spice://", Duration.ofSeconds(60));
            try (Proc spicy = x.run(Peers.bounded("spicy", "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "--spice-shared-dir=" + shared)).mergeErr().start(dir, "spicy")) {
                Matcher m = shell.awaitStderr("its shared folder is served at (http://127\\.0\\.0\\.1:\\d+/)",
                        Duration.ofSeconds(60));
                String address = m.group(1);
                int before = shell.stdout().length();
                shell.send("spice:webdav");
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!shell.stdout().substring(before).contains(address)) {
                    assertTrue(System.nanoTime() < end, "spice:webdav does not name " + address + "\n"
                            + shell.describe());
                    Thread.sleep(200);
                }

                Proc.Result list = curl(dir, "propfind", "-X", "PROPFIND", "-H", "Depth: 1", address);
                assertEquals(0, list.exitCode(), list::describe);
                for (String name : List.of("big.bin", "hello.txt", "sub")) {
                    assertTrue(list.stdout().contains(name), "PROPFIND does not list " + name + "\n"
                            + list.describe());
                }
                assertTrue(list.stdout().contains("multistatus"), list::describe);

                // two transfers at once: two streams of the multiplex
                try (Proc first = curlStart(dir, "get-big-1", "-o", dir.resolve("big-1.bin").toString(),
                        address + "big.bin");
                        Proc second = curlStart(dir, "get-big-2", "-o", dir.resolve("big-2.bin").toString(),
                                address + "big.bin")) {
                    assertEquals(0, first.awaitExit(Duration.ofSeconds(90)), first::describe);
                    assertEquals(0, second.awaitExit(Duration.ofSeconds(90)), second::describe);
                }
                String want = GuestPortIT.sha256(shared.resolve("big.bin"));
                assertEquals(want, GuestPortIT.sha256(dir.resolve("big-1.bin")), "big.bin as read over WebDAV");
                assertEquals(want, GuestPortIT.sha256(dir.resolve("big-2.bin")), "big.bin read at the same time");
                Proc.Result inner = curl(dir, "get-inner", address + "sub/inner.txt");
                assertEquals(0, inner.exitCode(), inner::describe);
                assertEquals("inside\n", inner.stdout());
                assertTrue(spicy.isAlive(), spicy::describe);
            }
            assertTrue(shell.isAlive(), shell::describe);
        }
    }

    private static List<String> curlCommand(String... args) {
        List<String> cmd = new ArrayList<>(Peers.bounded("curl"));
        cmd.addAll(List.of("-sS", "--fail", "--max-time", "60"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Proc.Result curl(Path dir, String name, String... args) {
        return Proc.of(curlCommand(args)).run(dir, name, Duration.ofSeconds(90));
    }

    private static Proc curlStart(Path dir, String name, String... args) {
        return Proc.of(curlCommand(args)).start(dir, name);
    }
}
