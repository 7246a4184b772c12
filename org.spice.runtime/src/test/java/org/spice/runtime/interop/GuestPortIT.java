package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./spice port} against a virtio-serial port of the Linux guest (QEMU's spiceport chardev): 50 MB go each
 * way at once while the guest reads slowly (64 KiB, then a pause), so the client must wait for the guest rather
 * than lose bytes; the sha256 the guest computed of what it received equals that of our stdin, and our stdout
 * equals, byte for byte, what the guest says it sent.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class GuestPortIT {
    static final String NAME = "org.spice.test.port";
    static final int BYTES = 50 * 1024 * 1024;

    @Test
    void fiftyMegabytesEachWayWithASlowReader() throws IOException {
        Path dir = Peers.workDir(getClass(), "port");
        Path toGuest = dir.resolve("to-guest.bin");
        String toGuestSha = writeRandom(toGuest, BYTES);
        try (Guest g = Guest.test("port").param("port", NAME).param("bytes", Integer.toString(BYTES))
                .qemu("-device", "virtio-serial", "-chardev", "spiceport,id=p,name=" + NAME,
                        "-device", "virtserialport,chardev=p,name=" + NAME)
                .boot(dir)) {
            g.await("port " + NAME + " at /dev/vport\\S+", Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            // stdout (what the guest sends) goes to port.out; the command ends when QEMU does.
            try (Proc port = Spice.command(List.of(), "port", "--wait", "120", g.uri(), NAME).input(toGuest)
                    .start(dir, "port")) {
                Matcher received = g.await("port received bytes=(\\d+) sha256=(\\w+)", Duration.ofSeconds(300));
                Matcher sent = g.await("port sent bytes=(\\d+) sha256=(\\w+)", Duration.ofSeconds(60));
                System.out.printf("interop: 50 MB each way through the guest's virtio port in %.1f s%n",
                        (System.nanoTime() - t0) / 1e9);
                assertEquals(toGuestSha, received.group(2), "sha256 of what the guest received\n" + g.describe());
                // The guest powers off after its report; QEMU ends and so does our port command.
                port.awaitExit(Duration.ofSeconds(150));
                assertEquals(BYTES, Files.size(port.out), () -> "bytes from the guest\n" + port.describe());
                assertEquals(sent.group(2), sha256(port.out), "sha256 of what our client received");
            }
        }
    }

    private static String writeRandom(Path file, int bytes) throws IOException {
        Random r = new Random(15);
        byte[] b = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n = 0; n < bytes; n += b.length) {
                r.nextBytes(b);
                out.write(b, 0, Math.min(b.length, bytes - n));
            }
        }
        return sha256(file);
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
