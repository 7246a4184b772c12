package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our server hands its clients to another of our servers: {@code spice:migrate HOST:PORT} in the source's shell sends
 * MIGRATE_SWITCH_HOST, and remote-viewer (under Xvfb, password from a .vv file) and our {@code spice listen}
 * (password file) reconnect to the destination, which wants the same password, without being asked for it again.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OurServerMigrationIT {
    private static final String PASSWORD = "migrate-Pa55";

    /** Runs {@code spice:sessions} in {@code shell} until it reports {@code clients} client(s); fails otherwise. */
    private static void awaitClients(Proc shell, int clients, String which) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String wanted = "': " + clients + " client(s)";
        while (System.nanoTime() < end && shell.isAlive()) {
            int before = shell.stdout().length();
            shell.send("spice:sessions");
            Thread.sleep(1000);
            if (shell.stdout().substring(before).contains(wanted)) {
                return;
            }
        }
        fail("the " + which + " server never had " + clients + " client(s)\n" + shell.describe());
    }

    @Test
    void remoteViewerAndOurClientFollowSpiceMigrate() throws Exception {
        Path dir = Peers.workDir(getClass(), "switch-host");
        Path pw = Peers.write(dir.resolve("password.txt"), PASSWORD);
        int src = Peers.freePort();
        int dst = Peers.freePort();
        Path vv = Peers.write(dir.resolve("src.vv"), "[virt-viewer]\ntype=spice\nhost=127.0.0.1\nport=" + src
                + "\npassword=" + PASSWORD + "\n");
        List<String> bounded = List.of(Peers.binary("timeout"), "-k", "5",
                Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds()));
        try (Proc source = Spice.command(bounded, "shell", "--listen", "127.0.0.1:" + src, "--password-file",
                        pw.toString()).pipedInput().start(dir, "source");
                Proc destination = Spice.command(bounded, "shell", "--listen", "127.0.0.1:" + dst, "--password-file",
                        pw.toString()).pipedInput().start(dir, "destination")) {
            source.awaitStdout("SPICE server listening on spice://", Duration.ofSeconds(60));
            destination.awaitStdout("SPICE server listening on spice://", Duration.ofSeconds(60));
            try (Xvfb x = Xvfb.start(dir, "1280x900x24");
                    Proc viewer = x.run(Peers.bounded("remote-viewer", vv.toString())).mergeErr()
                            .start(dir, "remote-viewer");
                    Proc listen = Spice.command(bounded, "listen", "--password-file", pw.toString(), "--audio-out",
                            dir.resolve("listen.wav").toString(), "spice://127.0.0.1:" + src).start(dir, "listen")) {
                listen.awaitStdout("^connected to ", Duration.ofSeconds(60));
                awaitClients(source, 2, "source");

                int before = source.stdout().length();
                source.send("spice:migrate 127.0.0.1:" + dst);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!source.stdout().substring(before).contains("2 client(s) sent to 127.0.0.1:" + dst)) {
                    assertTrue(System.nanoTime() < end, "spice:migrate did not answer\n" + source.describe());
                    Thread.sleep(200);
                }
                awaitClients(destination, 2, "destination");
                awaitClients(source, 0, "source");
                listen.awaitStderr("the server moves this session to spice://127.0.0.1:" + dst, Duration.ofSeconds(10));
                assertTrue(listen.isAlive(), listen::describe);
                assertTrue(viewer.isAlive(), viewer::describe);
                // remote-viewer shows the destination's demo desktop (its title bars, as in RemoteViewerDemoIT)
                long bars = 0;
                for (int i = 0; i < 20 && bars <= 20_000; i++) {
                    Proc.sleep(500);
                    int[] px = Pictures.read(x.screenshot(dir, "x-after-" + i));
                    bars = 0;
                    for (int p = 2; p < px.length; p++) {
                        if (px[p] == 0x2b579a) {
                            bars++;
                        }
                    }
                }
                long shown = bars;
                assertTrue(shown > 20_000, () -> shown + " pixels of the demo's title bars after the migration\n"
                        + viewer.describe());
            }
        }
    }
}
