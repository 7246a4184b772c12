package org.spice.smartcard.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** PKCS#12 files for the tests, made by the JDK's keytool (the password goes through a file). */
final class TestCards {
    static final String PASSWORD = "p12-secret";
    static final byte[] PIN = "123456".getBytes(StandardCharsets.US_ASCII);

    private TestCards() {
    }

    /** A PKCS#12 file with one key pair and self-signed certificate per {@code keyalg} ("RSA" or "EC"). */
    static Path pkcs12(Path dir, String... keyalgs) throws Exception {
        Path pw = Files.writeString(dir.resolve("p12.pw"), PASSWORD);
        Path file = dir.resolve("card.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        for (int i = 0; i < keyalgs.length; i++) {
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "key" + i, "-keyalg", keyalgs[i],
                    "-keysize", keyalgs[i].equals("EC") ? "256" : "2048", "-dname", "CN=PIV test " + i, "-validity",
                    "30", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass:file", pw.toString())
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(out, StandardCharsets.UTF_8));
            }
        }
        return file;
    }
}
