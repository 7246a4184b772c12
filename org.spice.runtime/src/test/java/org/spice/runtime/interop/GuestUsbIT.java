package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./spice usb-share --usb-disk D.img --usb-cdrom C.iso} into the Linux guest (QEMU's usb-redir on
 * qemu-xhci, two usbredir channels), in one boot: the guest's kernel lists a SCSI disk and a CD-ROM, reads 64 MiB of
 * each with the sha256 of the files' first 64 MiB, and writes 4096 bytes to the disk at 1 MiB. Then {@code usb-share}
 * is stopped while the guest reads the disk, which hangs neither side, and the image file differs from before exactly
 * at the written block, holding those bytes. Shared again with {@code --read-only}, both come back to the guest with
 * the files' bytes (1 MiB read) and the guest's write fails, leaving the image unchanged.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class GuestUsbIT {
    static final int READ = 64 * 1024 * 1024;
    static final int READ_AGAIN = 1024 * 1024;
    static final int WRITE_AT = 1024 * 1024;

    @Test
    void disksReadWrittenRemovedAndSharedReadOnly() throws IOException {
        Path dir = Peers.workDir(getClass(), "usb");
        Path disk = dir.resolve("disk.img");
        Path cdrom = dir.resolve("cdrom.iso");
        random(disk, READ + 4 * 1024 * 1024, 1);
        random(cdrom, READ + 2 * 1024 * 1024, 2);
        byte[] before = Files.readAllBytes(disk);
        byte[] cdromBytes = Files.readAllBytes(cdrom);
        String devices = "-device qemu-xhci -chardev spicevmc,name=usbredir,id=ur1 -device usb-redir,chardev=ur1"
                + " -chardev spicevmc,name=usbredir,id=ur2 -device usb-redir,chardev=ur2";
        try (Guest g = Guest.test("usb").param("bytes", Integer.toString(READ))
                .param("again", Integer.toString(READ_AGAIN)).qemu(devices.split(" ")).boot(dir)) {
            String sd;
            try (Proc share = Spice.command(List.of(), "usb-share", "--usb-disk", disk.toString(), "--usb-cdrom",
                    cdrom.toString(), g.uri()).start(dir, "usb-share")) {
                Matcher found = g.await("usb disk=(sd[a-z]) cdrom=(sr\\d) ro=(\\d)", Duration.ofSeconds(180));
                assertEquals("0", found.group(3), () -> "the kernel sees the disk read-only\n" + g.describe());
                sd = found.group(1);
                long t0 = System.nanoTime();
                readsBoth(g, 0, found, READ, before, cdromBytes);
                System.out.printf("interop: the guest read 2 x %d MiB over usbredir in %.1f s%n", READ >> 20,
                        (System.nanoTime() - t0) / 1e9);
                Matcher w = g.await("usb write " + sd + " (.*)", Duration.ofSeconds(60));
                assertEquals("offset=1048576 bytes=4096 ok", w.group(1), g::describe);
                removedWhileTheGuestReads(g, share, sd);
            }
            byte[] after = Files.readAllBytes(disk);
            byte[] written = Arrays.copyOf(Files.readAllBytes(Guest.image().share().resolve("frame.raw")), 4096);
            assertArrayEquals(written, Arrays.copyOfRange(after, WRITE_AT, WRITE_AT + 4096), "the written block");
            System.arraycopy(written, 0, before, WRITE_AT, 4096);
            assertArrayEquals(before, after, "the image changed outside the written block");

            // shared again, read-only: the disk and the CD-ROM come back with the files' bytes, the write fails
            int mark = g.log().indexOf(Guest.MARK + "usb removed ");
            try (Proc again = Spice.command(List.of(), "usb-share", "--usb-disk", disk.toString(), "--usb-cdrom",
                    cdrom.toString(), "--read-only", g.uri()).start(dir, "usb-share-read-only")) {
                Matcher found = g.awaitAfter(mark, "usb disk=(sd[a-z]) cdrom=(sr\\d) ro=(\\d)",
                        Duration.ofSeconds(180));
                readsBoth(g, mark, found, READ_AGAIN, after, cdromBytes);
                Matcher w = g.awaitAfter(mark, "usb write " + found.group(1) + " (.*)", Duration.ofSeconds(60));
                assertTrue(w.group(1).startsWith("failed"), g::describe);
                g.await("end", Duration.ofSeconds(30));
            }
            assertArrayEquals(after, Files.readAllBytes(disk), "the read-only image changed");
        }
    }

    /** The guest's sha256 of the first {@code read} bytes of the disk and the CD-ROM {@code found} names. */
    private static void readsBoth(Guest g, int from, Matcher found, int read, byte[] disk, byte[] cdrom) {
        Matcher d = g.awaitAfter(from, "usb read " + found.group(1) + " bytes=" + read + " sha256=(\\w+)",
                Duration.ofSeconds(240));
        assertEquals(sha256(disk, read), d.group(1), "the disk's first bytes\n" + g.describe());
        Matcher c = g.awaitAfter(from, "usb read " + found.group(2) + " bytes=" + read + " sha256=(\\w+)",
                Duration.ofSeconds(240));
        assertEquals(sha256(cdrom, read), c.group(1), "the CD-ROM's first bytes\n" + g.describe());
    }

    /**
     * Stops {@code share} (SIGTERM) while the guest reads disk {@code sd} over and over: our process ends within 20 s
     * without an error in its log, the guest's read ends with an error and its kernel reports the USB disconnect, and
     * QEMU keeps running.
     */
    private static void removedWhileTheGuestReads(Guest g, Proc share, String sd) {
        g.await("usb reading " + sd, Duration.ofSeconds(60));
        Proc.sleep(2000); // the guest is a few reads in
        // the JVM's exit status for SIGTERM, after its shutdown hooks ran
        assertEquals(143, share.terminate(Duration.ofSeconds(20)), share::describe);
        assertFalse(Pattern.compile("Exception|SEVERE|ERROR").matcher(share.stderr()).find(), share::describe);
        String error = g.await("usb read failed: (.*)", Duration.ofSeconds(60)).group(1);
        assertTrue(error.contains("/dev/" + sd), g::describe);
        g.await("usb removed " + sd + ": usb [-\\d.]+: USB disconnect, device number \\d+", Duration.ofSeconds(60));
        assertTrue(g.qemu.isAlive(), g::describe);
    }

    private static void random(Path file, int bytes, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] b = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n = 0; n < bytes; n += b.length) {
                r.nextBytes(b);
                out.write(b, 0, Math.min(b.length, bytes - n));
            }
        }
    }

    private static String sha256(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, length);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
