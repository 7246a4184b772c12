package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The smartcard channel between our processes: {@code spice smartcard-share} shares the emulated PIV card of a
 * PKCS#12 file with {@code spice shell}, whose {@code spice:apdu} command sends APDUs through the server's
 * RemoteSmartcard service: SELECT answers the application property template, GET DATA returns the PKCS#12
 * certificate, and after VERIFY the card signs with the PKCS#12 key.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OurServerSmartcardIT {
    static final String PIN = "123456";
    static final String P12_PASSWORD = "p12-password";
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    /** A PKCS#12 file with an RSA-2048 key made by the JDK's keytool, its password file and the PIN file. */
    static Path pkcs12(Path dir) throws Exception {
        Path pw = Peers.write(dir.resolve("p12-password.txt"), P12_PASSWORD);
        Peers.write(dir.resolve("pin.txt"), PIN + "\n");
        Path file = dir.resolve("card.p12");
        Peers.runOk(dir, "keytool", "keytool", "-genkeypair", "-alias", "piv", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=SPICE PIV test",
                "-validity", "30", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass:file",
                pw.toString());
        return file;
    }

    static List<String> shareArgs(Path dir, String uri) {
        return List.of("smartcard-share", "--pkcs12", dir.resolve("card.p12").toString(), "--pin-file",
                dir.resolve("pin.txt").toString(), "--pkcs12-password-file",
                dir.resolve("p12-password.txt").toString(), uri);
    }

    /** Sends {@code spice:apdu HEX} to the shell and returns the response that matches {@code responseRegex}. */
    static byte[] apdu(Proc shell, String command, String responseRegex) throws InterruptedException {
        int before = shell.stdout().length();
        shell.send("spice:apdu " + command);
        Pattern p = Pattern.compile("(" + responseRegex + ")$", Pattern.MULTILINE);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end && shell.isAlive()) {
            Matcher m = p.matcher(shell.stdout().substring(before));
            if (m.find()) {
                return HexFormat.of().parseHex(m.group(1));
            }
            Thread.sleep(100);
        }
        return fail("no answer to spice:apdu " + command + " matching " + responseRegex + "\n" + shell.describe());
    }

    private static int sw(byte[] r) {
        return (r[r.length - 2] & 0xff) << 8 | r[r.length - 1] & 0xff;
    }

    @Test
    void theServerSignsWithTheClientsEmulatedCard() throws Exception {
        Path dir = Peers.workDir(getClass(), "piv");
        Path p12 = pkcs12(dir);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, P12_PASSWORD.toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate("piv");
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        List<String> prefix = List.of(Peers.binary("timeout"), "-k", "5",
                Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds()));
        try (Proc shell = Spice.command(prefix, "shell", "--listen", "127.0.0.1:" + port).pipedInput()
                .start(dir, "spice-shell")) {
            // Gogo's prompt may come first on the line
            shell.awaitStdout("SPICE server listening on spice://", Duration.ofSeconds(40));
            shell.awaitStdout("channels: .* smartcard:0( |$)", Duration.ofSeconds(10));
            try (Proc share = Spice.command(List.of(), shareArgs(dir, uri).toArray(String[]::new))
                    .start(dir, "smartcard-share")) {
                share.awaitStdout("^sharing emulated PIV card \\(1 key from card.p12\\) in reader"
                        + " 'SPICE JVM virtual PIV reader' \\(reader id 0\\)$", Duration.ofSeconds(60));
                shell.awaitStderr("smartcard reader 'SPICE JVM virtual PIV reader' added as 0", Duration.ofSeconds(10));

                // SELECT PIV: the application property template with the PIX and the NIST RID
                byte[] select = apdu(shell, "00A4040005A000000308", "61[0-9A-F]*9000");
                assertEquals("61114F0600001000010079074F05A0000003089000", HEX.formatHex(select));

                // GET DATA of the PIV Authentication certificate (extended length: the whole object at once)
                byte[] object = apdu(shell, "00CB3FFF0000055C035FC1050000", "53[0-9A-F]*9000");
                byte[] der = cert.getEncoded();
                int at = indexOf(object, der);
                assertTrue(at > 0 && object[at - 4] == 0x70, "the certificate inside tag 70");
                assertArrayEquals(der, Arrays.copyOfRange(object, at, at + der.length));

                // VERIFY, then GENERAL AUTHENTICATE with slot 9A over a PKCS#1 block: the signature verifies
                byte[] pin = Arrays.copyOf(PIN.getBytes(StandardCharsets.US_ASCII), 8);
                Arrays.fill(pin, PIN.length(), 8, (byte) 0xff);
                assertEquals(0x9000, sw(apdu(shell, "0020008008" + HEX.formatHex(pin), "(?<![0-9A-F])9000")));
                byte[] message = "signed by a card shared over SPICE".getBytes(StandardCharsets.UTF_8);
                byte[] block = pkcs1Sha256((RSAPublicKey) cert.getPublicKey(), message);
                String body = "7C820106" + "8200" + "81820100" + HEX.formatHex(block);
                byte[] signed = apdu(shell, "0087079A00010A" + body + "0000", "7C[0-9A-F]*9000");
                assertEquals(0x9000, sw(signed));
                byte[] signature = Arrays.copyOfRange(signed, 8, 8 + 256);
                Signature v = Signature.getInstance("SHA256withRSA");
                v.initVerify(cert.getPublicKey());
                v.update(message);
                assertTrue(v.verify(signature), "the card's signature verifies with the PKCS#12 certificate");

                share.terminate(Duration.ofSeconds(20));
                shell.awaitStderr("smartcard:0 from .* closed", Duration.ofSeconds(20));
            }
            assertTrue(!shell.stderr().contains("SEVERE"), shell::describe);
        }
    }

    /**
     * The PC/SC pass-through is wired in the runtime (javax.smartcardio reaches the bundle): asking for a reader
     * this machine does not have is answered by PC/SC itself, as a usage error, before anything connects.
     */
    @Test
    void aPcscReaderThatIsNotThereIsAUsageError() {
        Path dir = Peers.workDir(getClass(), "pcsc");
        Proc.Result r = Spice.command(List.of(), "smartcard-share", "--reader", "No Such Reader",
                "spice://127.0.0.1:" + Peers.freePort()).run(dir, "smartcard-share", Duration.ofSeconds(60));
        assertEquals(64, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("error: PC/SC"), r::describe);
        assertTrue(r.stderr().contains("'No Such Reader'"), r::describe);
        assertTrue(!r.stderr().contains("javax.smartcardio is missing"), r::describe);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The PKCS#1 v1.5 block of a SHA-256 DigestInfo, as a host's PIV driver hands it to the card's raw RSA. */
    static byte[] pkcs1Sha256(RSAPublicKey key, byte[] message) throws Exception {
        byte[] prefix = new BigInteger("3031300d060960864801650304020105000420", 16).toByteArray();
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(message);
        int size = (key.getModulus().bitLength() + 7) / 8;
        byte[] block = new byte[size];
        Arrays.fill(block, (byte) 0xff);
        block[0] = 0;
        block[1] = 1;
        block[size - prefix.length - hash.length - 1] = 0;
        System.arraycopy(prefix, 0, block, size - prefix.length - hash.length, prefix.length);
        System.arraycopy(hash, 0, block, size - hash.length, hash.length);
        return block;
    }
}
