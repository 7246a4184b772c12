package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./spice smartcard-share --pkcs12 F.p12} into the Linux guest through QEMU's usb-ccid with
 * ccid-card-passthru on the smartcard spicevmc chardev: inside the guest pcscd (with libccid) lists the USB CCID
 * reader with a card in it, opensc's PIV driver takes our emulated card (its ATR is ours), {@code pkcs15-tool}
 * reads F.p12's certificate byte for byte and {@code pkcs11-tool -O} lists its subject and serial, and a
 * SHA256-RSA-PKCS signature made in the guest with the PIN ({@code pkcs11-tool --sign}) over a file the test also
 * has verifies against F.p12's certificate here.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GuestSmartcardIT {
    /** Our emulated PIV card's ATR: T=1, historical bytes 00 "SPICEJVM" 05 90 00, TCK. */
    static final String ATR = "3b8c80010053504943454a564d05900085";

    @Test
    void theGuestReadsTheCertificateAndSignsWithTheSharedCard() throws Exception {
        Path dir = Peers.workDir(getClass(), "piv");
        Path p12 = OurServerSmartcardIT.pkcs12(dir);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, OurServerSmartcardIT.P12_PASSWORD.toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate("piv");
        String devices = "-device qemu-xhci -device usb-ccid -chardev spicevmc,id=ccid,name=smartcard"
                + " -device ccid-card-passthru,chardev=ccid";
        try (Guest g = Guest.test("smartcard").qemu(devices.split(" ")).boot(dir);
                Proc share = Spice.command(List.of(), OurServerSmartcardIT.shareArgs(dir, g.uri())
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
}
