package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
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
 *
 * <p>Then, in the same boot, {@code ./spice smartcard-share --pkcs12 F.p12} through QEMU's usb-ccid (on the same
 * USB) with ccid-card-passthru on the smartcard spicevmc chardev: inside the guest pcscd (with libccid) lists the
 * USB CCID reader with a card in it, opensc's PIV driver takes our emulated card (its ATR is ours),
 * {@code pkcs15-tool} reads F.p12's certificate byte for byte and {@code pkcs11-tool -O} lists its subject and
 * serial, and a SHA256-RSA-PKCS signature made in the guest with the PIN ({@code pkcs11-tool --sign}) over a file
 * the test also has verifies against F.p12's certificate here.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class GuestUsbIT {
    static final int READ = 64 * 1024 * 1024;
    static final int READ_AGAIN = 1024 * 1024;
    static final int WRITE_AT = 1024 * 1024;
    /** Our emulated PIV card's ATR: T=1, historical bytes 00 "SPICEJVM" 05 90 00, TCK. */
    static final String ATR = "3b8c80010053504943454a564d05900085";

    @Test
    void disksReadWrittenRemovedAndSharedReadOnlyThenTheSmartcard() throws Exception {
        Path dir = Peers.workDir(getClass(), "usb");
        Path disk = dir.resolve("disk.img");
        Path cdrom = dir.resolve("cdrom.iso");
        random(disk, READ + 4 * 1024 * 1024, 1);
        random(cdrom, READ + 2 * 1024 * 1024, 2);
        byte[] before = Files.readAllBytes(disk);
        byte[] cdromBytes = Files.readAllBytes(cdrom);
        String devices = "-device qemu-xhci -chardev spicevmc,name=usbredir,id=ur1 -device usb-redir,chardev=ur1"
                + " -chardev spicevmc,name=usbredir,id=ur2 -device usb-redir,chardev=ur2"
                + " -device usb-ccid -chardev spicevmc,id=ccid,name=smartcard -device ccid-card-passthru,chardev=ccid";
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
            }
            assertArrayEquals(after, Files.readAllBytes(disk), "the read-only image changed");

            g.send("smartcard");
            theGuestReadsTheCertificateAndSignsWithTheSharedCard(g, Peers.workDir(GuestUsbIT.class, "smartcard"));
        }
    }

    /** The smartcard part (see the class comment); QEMU takes one client at a time, so it comes last. */
    private static void theGuestReadsTheCertificateAndSignsWithTheSharedCard(Guest g, Path dir) throws Exception {
        Path p12 = OurServerSmartcardIT.pkcs12(dir);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, OurServerSmartcardIT.P12_PASSWORD.toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate("piv");
        try (Proc share = Spice.command(List.of(), OurServerSmartcardIT.shareArgs(dir, g.uri())
                .toArray(String[]::new)).start(dir, "smartcard-share")) {
            g.await("smartcard usb reader", Duration.ofSeconds(60));
            // pcscd's reader (libccid names QEMU's usb-ccid after the Gemalto reader it imitates) holds a card
            Matcher reader = g.await("smartcard reader (\\S+)", Duration.ofSeconds(150));
            assertTrue(reader.group(1).contains("USB_SmartCard_Reader") && reader.group(1).contains("CCID"),
                    g::describe);
            assertEquals(ATR, g.await("smartcard atr (\\w+)", Duration.ofSeconds(30)).group(1), g::describe);
            assertEquals("Personal_Identity_Verification_Card",
                    g.await("smartcard card (\\S+)", Duration.ofSeconds(30)).group(1).trim(), g::describe);

            // pkcs15-tool -c: the PIV Authentication certificate with F.p12's serial (DER: tag 02, length, value)
            byte[] serial = cert.getSerialNumber().toByteArray();
            String encoded = String.format("02_%02X_%s", serial.length, HexFormat.of().withUpperCase()
                    .formatHex(serial));
            g.await("smartcard pkcs15 X\\.509_Certificate_\\[Certificate_for_PIV_Authentication\\]",
                    Duration.ofSeconds(60));
            assertEquals(encoded, g.await("smartcard pkcs15 Encoded_serial=(\\S+)", Duration.ofSeconds(30))
                    .group(1).trim(), g::describe);
            // pkcs15-tool --read-certificate: the certificate itself
            g.await("smartcard end", Duration.ofSeconds(60));
            Matcher pem = Pattern.compile("(?s)" + Guest.MARK + "smartcard certificate\\r?\\n(-----BEGIN CERTIFICATE"
                    + ".*?-----END CERTIFICATE-----)").matcher(g.log());
            assertTrue(pem.find(), g::describe);
            X509Certificate read = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(pem.group(1).replace("\r", "").getBytes(StandardCharsets.US_ASCII)));
            assertArrayEquals(cert.getEncoded(), read.getEncoded(), "the certificate the guest read");

            g.send("sign");
            g.send(OurServerSmartcardIT.PIN);
            // pkcs11-tool -O: the certificate object with F.p12's subject and serial
            assertEquals("DN:_CN=SPICE_PIV_test", g.await("smartcard pkcs11 subject=(\\S+)", Duration.ofSeconds(90))
                    .group(1).trim(), g::describe);
            assertEquals(cert.getSerialNumber().toString(16).toUpperCase(), g.await(
                    "smartcard pkcs11 serial=0*(\\w+)", Duration.ofSeconds(30)).group(1), g::describe);
            Matcher signed = g.await("smartcard (signature|sign failed:) ?(.*)", Duration.ofSeconds(90));
            assertEquals("signature", signed.group(1), g::describe);
            Signature verify = Signature.getInstance("SHA256withRSA");
            verify.initVerify(cert.getPublicKey());
            verify.update(Files.readAllBytes(Guest.image().share().resolve("frame.raw")));
            assertTrue(verify.verify(Base64.getDecoder().decode(signed.group(2).trim())),
                    "the guest's signature does not verify with F.p12's certificate\n" + g.describe());
            g.send("done");
            g.await("end", Duration.ofSeconds(30));
            assertTrue(share.isAlive(), share::describe);
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
