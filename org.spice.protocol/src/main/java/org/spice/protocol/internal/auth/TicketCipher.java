package org.spice.protocol.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.Link;

/**
 * SPICE ticket authentication: the server sends a fresh RSA-1024 public key in each link reply, the client
 * answers with the NUL-terminated password encrypted under RSA-OAEP (SHA-1, MGF1-SHA-1).
 */
public final class TicketCipher {
    private static final String OAEP = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";

    private TicketCipher() {
    }

    /** A key pair for one link: a new key each time, so a captured ticket cannot be replayed. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(Link.TICKET_KEY_BITS);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    /** The client's ticket for {@code password} (null: the empty password) under the server's DER key. */
    public static byte[] encrypt(byte[] publicKeyDer, String password) {
        byte[] pw = (password == null ? "" : password).getBytes(StandardCharsets.UTF_8);
        if (pw.length > Link.MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("SPICE passwords are at most " + Link.MAX_PASSWORD_LENGTH + " bytes");
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(publicKeyDer));
        } catch (GeneralSecurityException e) {
            throw new SpiceProtocolException("link reply carries no usable RSA public key", e);
        }
        byte[] plain = Arrays.copyOf(pw, pw.length + 1);
        try {
            Cipher c = Cipher.getInstance(OAEP);
            c.init(Cipher.ENCRYPT_MODE, key);
            return c.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new SpiceProtocolException("cannot encrypt the ticket with the server's key", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(pw, (byte) 0);
        }
    }

    /**
     * Whether {@code ticket} decrypts to {@code expected}. A ticket that does not decrypt at all is simply wrong.
     * The comparison takes the same time wherever the first difference lies.
     */
    public static boolean matches(PrivateKey key, byte[] ticket, byte[] expected) {
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance(OAEP);
            c.init(Cipher.DECRYPT_MODE, key);
            plain = c.doFinal(ticket);
        } catch (GeneralSecurityException e) {
            return false;
        }
        int len = 0;
        while (len < plain.length && plain[len] != 0) {
            len++;
        }
        byte[] given = Arrays.copyOf(plain, len);
        boolean ok = MessageDigest.isEqual(given, expected);
        Arrays.fill(plain, (byte) 0);
        Arrays.fill(given, (byte) 0);
        return ok;
    }
}
