package org.spice.protocol.server;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.spice.protocol.internal.auth.DigestMd5Server;

/**
 * The users our server accepts with SASL, from a file of lines {@code USER:REALM:HEX[:SCRAM]} (what
 * {@code ./spice sasl-user} writes). HEX is {@code MD5(USER:REALM:PASSWORD)} for DIGEST-MD5, which cannot work from
 * anything weaker: whoever holds it can log in as that user with DIGEST-MD5, so the file must stay private. SCRAM is
 * {@code scram-sha-256$ITERATIONS$SALT$STOREDKEY$SERVERKEY} (base64 each) for SCRAM-SHA-256, which the server checks
 * a client's proof with and cannot log in from. Every line names the same realm.
 */
public record SaslUsers(String realm, Map<String, byte[]> digests, Map<String, Scram> scram) {
    /** A users file larger than this is not one. */
    public static final long MAX_FILE = 1 << 20;
    /** PBKDF2 iterations of new SCRAM keys (RFC 7677's minimum). */
    public static final int SCRAM_ITERATIONS = 4096;
    private static final String SCRAM_PREFIX = "scram-sha-256$";

    /** A user's SCRAM-SHA-256 keys: what a server keeps (RFC 5802 section 3). */
    public record Scram(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
        @Override
        public String toString() {
            return "Scram[iterations=" + iterations + "]";
        }
    }

    /** The stored digest of a user, or null when unknown. */
    public byte[] digest(String user) {
        byte[] d = digests.get(user);
        return d == null ? null : d.clone();
    }

    /** A user's SCRAM keys, or null when unknown or written before SCRAM (then only DIGEST-MD5 lets them in). */
    public Scram scram(String user) {
        return scram.get(user);
    }

    public static SaslUsers read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IOException(file + " is larger than " + MAX_FILE + " bytes: not a SASL users file");
        }
        String realm = null;
        Map<String, byte[]> m = new HashMap<>();
        Map<String, Scram> s = new HashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split(":", -1);
            if (f.length < 3 || f.length > 4 || f[0].isEmpty() || f[2].length() != 32) {
                throw new IOException(file + " line " + n + ": expected USER:REALM:32 hex digits[:SCRAM keys]");
            }
            if (realm != null && !realm.equals(f[1])) {
                throw new IOException(file + " line " + n + ": realm " + f[1] + " differs from " + realm);
            }
            realm = f[1];
            try {
                m.put(f[0], HexFormat.of().parseHex(f[2]));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + n + ": the digest is not hex");
            }
            if (f.length == 4) {
                s.put(f[0], parseScram(f[3], file + " line " + n));
            }
        }
        if (realm == null) {
            throw new IOException(file + ": no users");
        }
        return new SaslUsers(realm, Map.copyOf(m), Map.copyOf(s));
    }

    private static Scram parseScram(String field, String where) throws IOException {
        String[] k = field.split("\\$", -1);
        if (!field.startsWith(SCRAM_PREFIX) || k.length != 5) {
            throw new IOException(where + ": expected scram-sha-256$ITERATIONS$SALT$STOREDKEY$SERVERKEY");
        }
        try {
            int iterations = Integer.parseInt(k[1]);
            byte[] salt = Base64.getDecoder().decode(k[2]);
            byte[] stored = Base64.getDecoder().decode(k[3]);
            byte[] server = Base64.getDecoder().decode(k[4]);
            if (iterations < SCRAM_ITERATIONS || iterations > 10_000_000 || salt.length < 8 || salt.length > 64
                    || stored.length != 32 || server.length != 32) {
                throw new IOException(where + ": SCRAM keys out of range (iterations " + SCRAM_ITERATIONS
                        + "..10000000, salt 8..64 bytes, keys 32 bytes)");
            }
            return new Scram(iterations, salt, stored, server);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": SCRAM keys are not a number and base64");
        }
    }

    /**
     * The line for a user: {@code USER:REALM:HEX:SCRAM} with a fresh random salt; user and realm must not contain
     * ':' or line breaks.
     */
    public static String line(String user, String realm, char[] password) {
        for (String s : new String[] {user, realm}) {
            if (s.isEmpty() || s.indexOf(':') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("user and realm must be non-empty, without ':' or line breaks");
            }
        }
        ScramMechanism sha256 = ScramMechanism.SCRAM_SHA_256;
        byte[] salt = ScramFunctions.salt(16, new SecureRandom());
        byte[] salted = ScramFunctions.saltedPassword(sha256, StringPreparation.SASL_PREPARATION, password, salt,
                SCRAM_ITERATIONS);
        Base64.Encoder b64 = Base64.getEncoder();
        String scram = SCRAM_PREFIX + SCRAM_ITERATIONS + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(ScramFunctions.storedKey(sha256, ScramFunctions.clientKey(sha256, salted))) + "$"
                + b64.encodeToString(ScramFunctions.serverKey(sha256, salted));
        return user + ":" + realm + ":" + HexFormat.of().formatHex(DigestMd5Server.userDigest(user, realm, password))
                + ":" + scram;
    }

    @Override
    public String toString() {
        return "SaslUsers[realm=" + realm + ", users=" + digests.keySet() + ", with SCRAM keys=" + scram.keySet()
                + "]";
    }
}
